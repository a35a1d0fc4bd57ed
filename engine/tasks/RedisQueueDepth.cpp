// See RedisQueueDepth.h.
#include "engine/tasks/RedisQueueDepth.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/metrics/Counter.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/RedisJobStore.h"

#include <utility>

namespace perflab::tasks {

RedisQueueDepth::RedisQueueDepth(RedisJobStore &store, const settings::SettingsStore &settings,
                                 metrics::Gauge &gauge)
    : m_store(store), m_settings(settings), m_gauge(gauge)
{
}

void RedisQueueDepth::start()
{
    if (m_running)
        return;
    m_stop = std::stop_source();
    m_stopped = nullptr;
    m_running = true;
    measureLoop(); // detached: it ends after beginStop()
}

void RedisQueueDepth::beginStop(std::function<void()> stopped)
{
    m_stop.request_stop();
    if (m_running)
        m_stopped = std::move(stopped);
    else if (stopped)
        stopped();
}

void RedisQueueDepth::unpublish()
{
    publish(0);
}

void RedisQueueDepth::publish(qint64 depth)
{
    m_gauge.add(depth - m_published);
    m_published = depth;
}

QCoro::Task<> RedisQueueDepth::measureLoop()
{
    const std::stop_token stop = m_stop.get_token();
    while (!stop.stop_requested()) {
        if (m_settings.view().background.queueBackend == QLatin1String("redis")) {
            auto measuring = m_store.depth();
            if (const std::optional<qint64> depth = co_await std::move(measuring))
                publish(*depth);
        } else {
            publish(0); // not in use here: its figure would mislead
        }
        try {
            auto waiting = async::sleep(m_store.config().depthInterval, stop);
            co_await std::move(waiting);
        } catch (const async::Cancelled &) {
        }
    }
    m_running = false;
    if (m_stopped)
        std::exchange(m_stopped, nullptr)();
}

} // namespace perflab::tasks
