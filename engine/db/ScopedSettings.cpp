// Connection settings for a scope: see ScopedSettings.h.
#include "engine/db/ScopedSettings.h"

#include "engine/db/QueryResult.h"
#include "engine/db/Schema.h"

namespace perflab::db {

namespace {

// The current value, or an empty string when the database does not say.
QString currentValue(QSqlDatabase &db, const QString &name)
{
    const QueryResult result = dialectOf(db) == Dialect::Sqlite
                                   ? execQuery(db, QStringLiteral("PRAGMA ") + name)
                                   : execQuery(db, QStringLiteral("SELECT current_setting(?)"), {name});
    if (!result.ok() || result.rows.isEmpty() || result.rows.first().isEmpty())
        return {};
    return result.rows.first().first().toString();
}

void apply(QSqlDatabase &db, const SessionSetting &setting)
{
    // A pragma takes no bound values; names and values come from the code, never from input.
    if (dialectOf(db) == Dialect::Sqlite)
        execQuery(db, QStringLiteral("PRAGMA ") + setting.name + QLatin1Char('=') + setting.value);
    else
        execQuery(db, QStringLiteral("SELECT set_config(?, ?, false)"), {setting.name, setting.value});
}

} // namespace

ScopedSettings::ScopedSettings(QSqlDatabase &db, const QList<SessionSetting> &settings) : m_db(db)
{
    for (const SessionSetting &setting : settings) {
        const QString previous = currentValue(db, setting.name);
        if (previous.isEmpty())
            continue;
        m_previous.append({setting.name, previous});
        apply(db, setting);
    }
}

ScopedSettings::~ScopedSettings()
{
    for (auto it = m_previous.crbegin(); it != m_previous.crend(); ++it)
        apply(m_db, *it);
}

} // namespace perflab::db
