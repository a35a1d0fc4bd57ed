// See AgentsChoice.h.
#include "ui/run/AgentsChoice.h"

#include "engine/redis/RedisUrl.h"

#include <QSettings>

namespace perflab::ui {

std::optional<AgentsChoice> loadAgentsChoice()
{
    const QString forced = qEnvironmentVariable("PERFLAB_UI_AGENTS");
    if (!forced.isEmpty()) {
        const qsizetype comma = forced.lastIndexOf(QLatin1Char(','));
        bool ok = false;
        const int count = comma > 0 ? forced.mid(comma + 1).toInt(&ok) : 0;
        if (ok && count > 0 && redis::parseRedisUrl(forced.left(comma)).url)
            return AgentsChoice{forced.left(comma), count};
        qWarning("perflab: PERFLAB_UI_AGENTS: expected redis://host:port/db,COUNT, got '%s'; ignored",
                 qPrintable(forced));
    }
    QSettings settings;
    if (!settings.value(QStringLiteral("agents/enabled"), false).toBool())
        return std::nullopt;
    AgentsChoice choice;
    choice.redisUrl = settings.value(QStringLiteral("agents/redis")).toString();
    choice.count = settings.value(QStringLiteral("agents/count"), 1).toInt();
    if (!redis::parseRedisUrl(choice.redisUrl).url || choice.count < 1)
        return std::nullopt;
    return choice;
}

void saveAgentsChoice(const std::optional<AgentsChoice> &choice)
{
    QSettings settings;
    settings.setValue(QStringLiteral("agents/enabled"), choice.has_value());
    if (choice) {
        settings.setValue(QStringLiteral("agents/redis"), choice->redisUrl);
        settings.setValue(QStringLiteral("agents/count"), choice->count);
    }
}

} // namespace perflab::ui
