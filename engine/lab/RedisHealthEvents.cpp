// See RedisHealthEvents.h.
#include "engine/lab/RedisHealthEvents.h"

#include "engine/metrics/TimeSeriesStore.h"

#include <QDateTime>
#include <QJsonObject>

namespace perflab::lab {

RedisHealthEvents::RedisHealthEvents(redis::RedisClient &client, QString role,
                                     std::shared_ptr<metrics::TimeSeriesStore> store, QObject *parent)
    : QObject(parent), m_client(client), m_role(std::move(role)), m_store(std::move(store))
{
    // Direct: the health changes on whichever thread's connection saw it, and the time of the
    // event is that moment.
    connect(&client, &redis::RedisClient::healthChanged, this, &RedisHealthEvents::onHealthChanged,
            Qt::DirectConnection);
}

QString RedisHealthEvents::turnText(const redis::RedisHealth &health, bool wasUnreachable)
{
    if (!health.configured)
        return {};
    if (health.up)
        return wasUnreachable ? QStringLiteral("Redis back at %1").arg(health.address) : QString();
    // While the client connects after a new address, nothing has failed yet.
    if (wasUnreachable || health.reason.isEmpty() ||
        health.reason.startsWith(QLatin1String("connecting to Redis")))
        return {};
    return health.reason;
}

void RedisHealthEvents::onHealthChanged()
{
    const redis::RedisHealth health = m_client.health();
    QString text;
    {
        const std::lock_guard lock(m_mutex);
        if (health.address != m_address) {
            m_address = health.address;
            m_unreachable = false;
        }
        text = turnText(health, m_unreachable);
        if (text.isEmpty())
            return;
        m_unreachable = !health.up;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_store->addEvent(now, QStringLiteral("redis"),
                      QJsonObject{{QStringLiteral("role"), m_role},
                                  {QStringLiteral("up"), health.up},
                                  {QStringLiteral("address"), health.address},
                                  {QStringLiteral("text"), text}});
    Q_EMIT turned(now, text);
}

} // namespace perflab::lab
