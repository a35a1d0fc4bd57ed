// See StreamingRoutes.h.
#include "engine/lab/StreamingRoutes.h"

#include "engine/async/Cancellation.h"
#include "engine/async/SimulatedIo.h"
#include "engine/async/Sleep.h"
#include "engine/http/Router.h"
#include "engine/settings/SettingsStore.h"

#include <QDateTime>

#include <chrono>
#include <optional>

namespace perflab::lab {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using settings::SettingsStore;

constexpr int kStreamLines = 1000;
constexpr double kLineIntervalS = 0.01; // the guide's asyncio.sleep(0.01)
constexpr double kEventIntervalS = 1.0; // the guide's asyncio.sleep(1)
constexpr int kEventsPerPing = 15;

// Counts how a generator ended, exactly once. "Stopped" is decided in the destructor: a stream
// dropped by its connection without being asked for more ended early just as one that saw
// its stop token did.
class CountedStream : public http::ResponseStream
{
public:
    ~CountedStream() override
    {
        if (!m_completed)
            m_counters.stopped.fetch_add(1, std::memory_order_relaxed);
    }

protected:
    CountedStream(const SettingsStore &settings, std::shared_ptr<StreamingStats> stats,
                  StreamCounters &counters)
        : m_settings(settings), m_stats(std::move(stats)), m_counters(counters)
    {
        m_counters.opened.fetch_add(1, std::memory_order_relaxed);
    }

    QByteArray produced(QByteArray chunk)
    {
        m_counters.chunks.fetch_add(1, std::memory_order_relaxed);
        return chunk;
    }

    std::optional<QByteArray> completed()
    {
        m_completed = true;
        m_counters.completed.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }

    // The guide's interval, scaled now (a live io_scale change applies to running streams).
    // False when stop was requested before or during the wait.
    QCoro::Task<bool> pause(double guideSeconds, std::stop_token stop)
    {
        const auto delay =
            std::chrono::ceil<std::chrono::milliseconds>(async::scaledDelay(m_settings, guideSeconds));
        bool elapsed = true;
        try {
            co_await async::sleep(delay, std::move(stop));
        } catch (const async::Cancelled &) {
            elapsed = false;
        }
        co_return elapsed;
    }

private:
    const SettingsStore &m_settings;
    std::shared_ptr<StreamingStats> m_stats; // owns m_counters
    StreamCounters &m_counters;
    bool m_completed = false;
};

// The guide's generate_large_data(): a line, then 10 ms, 1000 times.
class LineStream final : public CountedStream
{
public:
    LineStream(const SettingsStore &settings, std::shared_ptr<StreamingStats> stats)
        : CountedStream(settings, stats, stats->lines)
    {
    }

    QCoro::Task<std::optional<QByteArray>> next(std::stop_token stop) override
    {
        if (stop.stop_requested())
            co_return std::nullopt;
        if (m_next == kStreamLines)
            co_return completed();
        if (m_next > 0) {
            const bool elapsed = co_await pause(kLineIntervalS, stop);
            if (!elapsed)
                co_return std::nullopt;
        }
        co_return produced(QByteArray("data line " + QByteArray::number(m_next++) + '\n'));
    }

private:
    int m_next = 0;
};

// The guide's event_generator(), with the comment pings that keep idle proxies from closing it.
class EventStream final : public CountedStream
{
public:
    EventStream(const SettingsStore &settings, std::shared_ptr<StreamingStats> stats)
        : CountedStream(settings, stats, stats->events)
    {
    }

    QCoro::Task<std::optional<QByteArray>> next(std::stop_token stop) override
    {
        if (stop.stop_requested())
            co_return std::nullopt;
        if (!m_eventDue) {
            const bool elapsed = co_await pause(kEventIntervalS, stop);
            if (!elapsed)
                co_return std::nullopt;
            if (m_counter % kEventsPerPing == 0) {
                m_eventDue = true; // the event follows the ping without another wait
                co_return produced(QByteArrayLiteral(": ping\n\n"));
            }
        }
        m_eventDue = false;
        co_return produced(event(m_counter++));
    }

private:
    static QByteArray event(qint64 counter)
    {
        const QByteArray time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
        return QByteArray("data: {\"counter\":" + QByteArray::number(counter) + ",\"time\":\"" + time +
                          "\"}\n\n");
    }

    qint64 m_counter = 0;
    bool m_eventDue = true; // the first event goes out at once
};

QByteArray buildBigBody()
{
    const QByteArray description(40, 'x');
    QByteArray body;
    body.reserve(17 * 1024);
    body += "{\"items\":[";
    for (int i = 0; i < 200; ++i) {
        if (i > 0)
            body += ',';
        const QByteArray id = QByteArray::number(i);
        body += "{\"id\":" + id + ",\"name\":\"item " + id + "\",\"description\":\"" + description + "\"}";
    }
    body += "]}";
    return body;
}

} // namespace

QByteArray bigBody()
{
    static const QByteArray body = buildBigBody();
    return body;
}

void addStreamingRoutes(http::Router &router, settings::SettingsStore &settings,
                        std::shared_ptr<StreamingStats> stats)
{
    if (!stats)
        stats = std::make_shared<StreamingStats>();
    const SettingsStore *store = &settings;

    router.addGet("/stream", [store, stats](const HttpRequest &) {
        HttpResponse response = HttpResponse::text(200, {});
        response.stream = std::make_shared<LineStream>(*store, stats);
        return response;
    });
    router.addGet("/events", [store, stats](const HttpRequest &) {
        HttpResponse response = HttpResponse::text(200, {}, QByteArrayLiteral("text/event-stream"));
        response.addHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
        // nginx and similar proxies buffer responses by default, which would hold events back.
        response.addHeader(QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no"));
        response.stream = std::make_shared<EventStream>(*store, stats);
        return response;
    });
    router.addGet("/big", [body = bigBody()](const HttpRequest &) { return HttpResponse::json(200, body); });
}

} // namespace perflab::lab
