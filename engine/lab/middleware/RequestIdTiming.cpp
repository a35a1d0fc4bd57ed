// See RequestIdTiming.h.
#include "engine/lab/middleware/RequestIdTiming.h"

#include <QRandomGenerator>

#include <charconv>

namespace perflab::lab {

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

void appendMs(QByteArray &out, double ms)
{
    char digits[32];
    auto result = std::to_chars(digits, digits + sizeof digits, ms, std::chars_format::fixed, 3);
    out.append(digits, result.ptr - digits);
}

// Process prefix + per-thread counter: unique without a shared atomic on the hot path.
QByteArray newRequestId()
{
    static const quint32 process = QRandomGenerator::global()->generate();
    static std::atomic<quint32> nextThread{0};
    thread_local const quint32 thread = nextThread.fetch_add(1);
    thread_local quint64 counter = 0;
    // to_chars, not snprintf: this runs on every request and the format parser showed up in profiles.
    char buffer[48];
    char *end = std::to_chars(buffer, buffer + 16, process, 16).ptr;
    *end++ = '-';
    end = std::to_chars(end, end + 16, thread, 16).ptr;
    *end++ = '-';
    end = std::to_chars(end, buffer + sizeof buffer, ++counter, 16).ptr;
    return QByteArray(buffer, end - buffer);
}

bool acceptableId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (char c : id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':'))
            return false;
    }
    return true;
}
} // namespace

http::Outcome RequestIdTiming::invoke(http::RequestContext &context, http::Next next)
{
    const Clock::time_point enteredChain = Clock::now();
    QByteArray requestId;
    if (auto given = context.request.header("x-request-id"); given && acceptableId(*given))
        requestId = given->toByteArray();
    else
        requestId = newRequestId();

    auto finish = [&context, enteredChain, requestId = std::move(requestId)](http::HttpResponse &response) {
        const Clock::time_point now = Clock::now();
        QByteArray timing;
        timing.reserve(96);
        double accounted = 0;
        for (const auto &[name, ms] : context.timings) {
            timing.append(name);
            timing.append(";dur=");
            appendMs(timing, ms);
            timing.append(", ");
            if (name == "queue")
                accounted += ms;
        }
        timing.append("handler;dur=");
        appendMs(timing, std::max(0.0, msSince(enteredChain, now) - accounted));
        for (const auto &[name, ms] : response.timings) {
            timing.append(", ");
            timing.append(name);
            timing.append(";dur=");
            appendMs(timing, ms);
        }
        timing.append(", total;dur=");
        appendMs(timing, msSince(context.started, now));
        response.headers.reserve(response.headers.size() + 2); // one allocation, not two
        response.addHeader(QByteArrayLiteral("Server-Timing"), std::move(timing));
        response.addHeader(QByteArrayLiteral("X-Request-Id"), requestId);
    };
    return next(context).then(std::move(finish));
}

} // namespace perflab::lab
