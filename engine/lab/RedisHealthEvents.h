// Redis going away and coming back as events of the lab's time series (kind "redis", beside the
// settings changes and slow queries): a marker on the charts, a row of the events table and of
// the report, at the time it happened. Only the turns are events — "Redis unreachable: connection
// refused at 127.0.0.1:6379" when a configured Redis stops answering, "Redis back at
// 127.0.0.1:6379" when it answers again —, not the retries in between nor the first connection
// after a settings change (the change is its own marker).
#pragma once

#include "engine/redis/RedisClient.h"

#include <QObject>
#include <QString>

#include <memory>
#include <mutex>

namespace perflab::metrics {
class TimeSeriesStore;
}

namespace perflab::lab {

class RedisHealthEvents final : public QObject
{
    Q_OBJECT
public:
    // Follows `client` (which must outlive this object) for `role` ("cache").
    RedisHealthEvents(redis::RedisClient &client, QString role,
                      std::shared_ptr<metrics::TimeSeriesStore> store, QObject *parent = nullptr);

    // The event's text for a health, or empty when it is no turn from `wasUnreachable`.
    static QString turnText(const redis::RedisHealth &health, bool wasUnreachable);

Q_SIGNALS:
    // Emitted on the thread that saw the turn (a worker's, the client's), after the store has it.
    void turned(qint64 timestampMs, const QString &text);

private:
    void onHealthChanged();

    redis::RedisClient &m_client;
    const QString m_role;
    std::shared_ptr<metrics::TimeSeriesStore> m_store;
    std::mutex m_mutex;
    QString m_address;          // the Redis the state below is about
    bool m_unreachable = false; // an "unreachable" event was the last one for m_address
};

} // namespace perflab::lab
