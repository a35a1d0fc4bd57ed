// job_queue_depth for the Redis backend: the entries of the stream no worker has read yet, for
// the whole shared queue (every instance's jobs), measured every config.depthInterval while
// background.queue_backend is "redis". The gauge is shared with the SQLite queue, whose
// pending jobs it counts too, so this adds only its own part; while Redis does not answer the
// last figure stays.
#pragma once

#include <QCoro/QCoroTask>

#include <chrono>
#include <functional>
#include <stop_token>

namespace perflab::metrics {
class Gauge;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class RedisJobStore;

// start() and beginStop() on the runner thread; unpublish() after it has ended.
class RedisQueueDepth
{
public:
    RedisQueueDepth(RedisJobStore &store, const settings::SettingsStore &settings, metrics::Gauge &gauge);

    void start();
    void beginStop(std::function<void()> stopped);
    void unpublish();

private:
    QCoro::Task<> measureLoop();
    void publish(qint64 depth);

    RedisJobStore &m_store;
    const settings::SettingsStore &m_settings;
    metrics::Gauge &m_gauge;
    std::stop_source m_stop;
    std::function<void()> m_stopped;
    bool m_running = false;
    qint64 m_published = 0;
};

} // namespace perflab::tasks
