// The guide's chapter 5 responses that are big or never end:
//
//   GET /stream   1000 lines "data line i\n", chunked, 10 ms apart (text/plain)
//   GET /events   Server-Sent Events (text/event-stream, Cache-Control: no-cache): an event
//                 `data: {"counter":n,"time":"<ISO 8601 UTC>"}\n\n` at once and then every 1 s,
//                 a comment `: ping\n\n` before every 15th event (every 15 s, the usual keep-alive
//                 period of SSE servers); endless until the client leaves
//   GET /big      {"items":[{"id":i,"name":"item i","description":"x"*40} for i in 0..199]}
//                 (16 991 bytes, built once; left to the compression middleware)
//
// Delays are the guide's, times simulation.io_scale read before each wait, so a live change
// applies to running streams. Both streams end as soon as the connection requests stop (the
// client went away): a waiting generator is woken at once, and no further chunk is produced.
#pragma once

#include <QByteArray>

#include <atomic>
#include <memory>

namespace perflab::http {
class Router;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::lab {

// Thread-safe figures of one kind of stream, for tests and instruments.
struct StreamCounters
{
    std::atomic<qint64> opened{0};    // responses started
    std::atomic<qint64> completed{0}; // generators that reached their natural end
    std::atomic<qint64> stopped{0};   // generators ended early: the client went away
    std::atomic<qint64> chunks{0};    // chunks produced (lines, events and pings)
};

struct StreamingStats
{
    StreamCounters lines;  // GET /stream
    StreamCounters events; // GET /events
};

// `settings` must outlive the router and any stream still running. `stats` (optional) is
// shared with the streams, so it may be read while they run.
void addStreamingRoutes(http::Router &router, settings::SettingsStore &settings,
                        std::shared_ptr<StreamingStats> stats = nullptr);

// The exact /big body.
QByteArray bigBody();

} // namespace perflab::lab
