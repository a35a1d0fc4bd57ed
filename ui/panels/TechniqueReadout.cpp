// See TechniqueReadout.h.
#include "ui/panels/TechniqueReadout.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <map>

namespace perflab::ui {

SampleWindow::SampleWindow(metrics::SampleSchema schema, double spanS)
    : m_schema(std::move(schema)), m_spanS(spanS), m_totals(std::size_t(m_schema.columns().size()), 0.0)
{
}

void SampleWindow::add(const metrics::Sample &sample)
{
    m_rows.push_back(sample);
    for (qsizetype i = 0; i < sample.values.size() && std::size_t(i) < m_totals.size(); ++i)
        m_totals[std::size_t(i)] += sample.values.at(i);
    double span = 0;
    for (const metrics::Sample &row : m_rows)
        span += row.intervalS;
    // Ten rows of 0.1 s add up to a hair under 1 s in floating point: allow for it.
    while (m_rows.size() > 1 && span - m_rows.front().intervalS >= m_spanS - 1e-6) {
        span -= m_rows.front().intervalS;
        m_rows.pop_front();
    }
}

double SampleWindow::sum(const QString &column) const
{
    const qsizetype index = m_schema.indexOf(column);
    double total = 0;
    for (const metrics::Sample &row : m_rows)
        total += row.value(index);
    return total;
}

double SampleWindow::perSecond(const QString &column) const
{
    double span = 0;
    for (const metrics::Sample &row : m_rows)
        span += row.intervalS;
    return span > 0 ? sum(column) / span : 0.0;
}

double SampleWindow::latest(const QString &column) const
{
    return m_rows.empty() ? 0.0 : m_rows.back().value(m_schema.indexOf(column));
}

double SampleWindow::maxOf(const QString &column) const
{
    const qsizetype index = m_schema.indexOf(column);
    double most = 0;
    for (const metrics::Sample &row : m_rows)
        most = std::max(most, row.value(index));
    return most;
}

double SampleWindow::total(const QString &column) const
{
    const qsizetype index = m_schema.indexOf(column);
    return index < 0 ? 0.0 : m_totals[std::size_t(index)];
}

namespace {

const QString kNone = QStringLiteral("—");

QString count(double value)
{
    return QLocale().toString(qint64(std::llround(value)));
}

QString rate(double perSecond)
{
    return perSecond >= 100 ? QStringLiteral("%1/s").arg(count(perSecond))
                            : QStringLiteral("%1/s").arg(QLocale().toString(perSecond, 'f', 1));
}

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(100.0 * share, 'f', 1));
}

QString bytesPerSecond(double perSecond)
{
    if (perSecond >= 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB/s").arg(QLocale().toString(perSecond / (1024.0 * 1024.0), 'f', 1));
    if (perSecond >= 1024.0)
        return QStringLiteral("%1 KiB/s").arg(QLocale().toString(perSecond / 1024.0, 'f', 1));
    return QStringLiteral("%1 B/s").arg(count(perSecond));
}

QString milliseconds(double ms)
{
    return QStringLiteral("%1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 2 : 1));
}

using S = QStringList;
const auto L = [](const char *text) { return QString::fromUtf8(text); };

std::map<QString, std::vector<ReadoutLine>> makeLines()
{
    std::map<QString, std::vector<ReadoutLine>> lines;
    lines[L("cache")] = {
        {L("Hit rate"), L("Cache lookups answered from the cache, over the last second."),
         S{L("cache_hits"), L("cache_misses")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             const double lookups = w.sum(L("cache_hits")) + w.sum(L("cache_misses"));
             return lookups > 0 ? percent(w.sum(L("cache_hits")) / lookups) : QStringLiteral("no lookups");
         }},
        {L("Entries"), L("Entries in the cache now, of its maximum."), S{L("cache_entries")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 of %2")
                 .arg(count(w.latest(L("cache_entries"))), count(s.cache.maxEntries));
         }},
        {L("Evictions"), L("Entries dropped because the cache was full."), S{L("cache_evictions")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("cache_evictions")));
         }},
    };
    lines[L("http_cache")] = {
        {L("304 share"), L("Responses that were 304 Not Modified, of all responses in the last second."),
         S{L("not_modified"), L("requests")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             const double requests = w.sum(L("requests"));
             return requests > 0 ? percent(w.sum(L("not_modified")) / requests)
                                 : QStringLiteral("no requests");
         }},
        {L("Bytes saved"), L("Body bytes not sent because the client's copy was still valid."),
         S{L("http_cache_saved_bytes")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return bytesPerSecond(w.perSecond(L("http_cache_saved_bytes")));
         }},
    };
    lines[L("compression")] = {
        {L("Ratio"), L("Body bytes before gzip per byte after, over the last second."),
         S{L("compression_in_bytes"), L("compression_out_bytes")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             const double out = w.sum(L("compression_out_bytes"));
             return out > 0 ? QStringLiteral("%1 : 1").arg(
                                  QLocale().toString(w.sum(L("compression_in_bytes")) / out, 'f', 1))
                            : QStringLiteral("nothing compressed");
         }},
        {L("Bytes saved"), L("Body bytes gzip kept off the network."),
         S{L("compression_in_bytes"), L("compression_out_bytes")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return bytesPerSecond(w.perSecond(L("compression_in_bytes")) -
                                   w.perSecond(L("compression_out_bytes")));
         }},
        {L("Bytes out"), L("Response bytes written, gzip and identity."),
         S{L("bytes_gzip"), L("bytes_identity")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return QStringLiteral("%1 gzip, %2 identity")
                 .arg(bytesPerSecond(w.perSecond(L("bytes_gzip"))),
                      bytesPerSecond(w.perSecond(L("bytes_identity"))));
         }},
    };
    lines[L("concurrency")] = {
        {L("/limited in flight"), L("Requests of /limited holding a permit now, of the limit."),
         S{L("limited_in_flight")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 of %2")
                 .arg(count(w.latest(L("limited_in_flight"))), count(s.concurrency.maxInFlight));
         }},
        {L("/queued places held"), L("Requests of /queued holding a queue place now, of the queue's size."),
         S{L("queued_in_flight")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 of %2")
                 .arg(count(w.latest(L("queued_in_flight"))), count(s.concurrency.queueSize));
         }},
        {L("Waiting"), L("Requests waiting for a permit or a place now."), S{L("queue_depth")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return count(w.latest(L("queue_depth")));
         }},
        {L("503 (no place in time)"),
         L("Requests turned away because no place came free within the queue timeout."), S{L("rejected")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("rejected")));
         }},
    };
    lines[L("background")] = {
        {L("Tasks running"), L("Background tasks running in this process now."), S{L("tasks_running")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return count(w.latest(L("tasks_running")));
         }},
        {L("Done"), L("Background tasks and jobs finished, per second."),
         S{L("tasks_completed"), L("jobs_completed")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return QStringLiteral("tasks %1, jobs %2")
                 .arg(rate(w.perSecond(L("tasks_completed"))), rate(w.perSecond(L("jobs_completed"))));
         }},
        {L("Jobs queued / running"), L("Jobs waiting in the durable queue, and jobs a worker runs now."),
         S{L("job_queue_depth"), L("jobs_running")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 / %2 of %3 workers")
                 .arg(count(w.latest(L("job_queue_depth"))), count(w.latest(L("jobs_running"))),
                      count(s.background.workers));
         }},
        {L("Failed since start"), L("Background tasks and jobs that failed since the lab started."),
         S{L("tasks_failed"), L("jobs_failed")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return QStringLiteral("%1 tasks, %2 jobs")
                 .arg(count(w.total(L("tasks_failed"))), count(w.total(L("jobs_failed"))));
         }},
    };
    // "not used" when the backend is not on Redis: its client then never connects.
    const auto redisState = [](double up, bool used) {
        return !used    ? QStringLiteral("not used")
               : up > 0 ? QStringLiteral("up")
                        : QStringLiteral("unreachable");
    };
    lines[L("redis")] = {
        {L("Cache's Redis"), L("Whether the Redis of the cache answers (backend redis)."), S{},
         [redisState](const SampleWindow &w, const settings::LabSettings &s) {
             return redisState(w.latest(L("redis_cache_up")), s.cache.backend == QLatin1String("redis"));
         }},
        {L("Queue's Redis"), L("Whether the Redis of the job queue answers (queue backend redis)."), S{},
         [redisState](const SampleWindow &w, const settings::LabSettings &s) {
             return redisState(w.latest(L("redis_queue_up")),
                               s.background.queueBackend == QLatin1String("redis"));
         }},
        {L("Commands"),
         L("Redis commands answered per second, and their p99 (worst 100 ms interval of the last second)."),
         S{L("redis_command_count"), L("redis_command_p99_ms")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return w.sum(L("redis_command_count")) > 0
                        ? QStringLiteral("%1, p99 %2")
                              .arg(rate(w.perSecond(L("redis_command_count"))),
                                   milliseconds(w.maxOf(L("redis_command_p99_ms"))))
                        : QStringLiteral("none");
         }},
        {L("Cache errors"),
         L("Cache requests Redis could not answer, per second; they were read from the database."),
         S{L("cache_errors")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("cache_errors")));
         }},
    };
    lines[L("database")] = {
        {L("Pool in use"), L("Connections checked out now, of the pool's size plus its overflow."),
         S{L("pool_in_use")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 of %2 + %3")
                 .arg(count(w.latest(L("pool_in_use"))), count(s.database.poolSize),
                      count(s.database.maxOverflow));
         }},
        {L("Waiters"), L("Requests waiting for a connection now."), S{L("pool_waiters")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return count(w.latest(L("pool_waiters")));
         }},
        {L("Slow queries"), L("Statements at or over the slow-query threshold, per second."),
         S{L("slow_queries")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("slow_queries")));
         }},
        {L("Query p99"),
         L("The 99th percentile of statement time, worst 100 ms interval of the last second."),
         S{L("db_query_count"), L("db_query_p99_ms")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return w.sum(L("db_query_count")) > 0 ? milliseconds(w.maxOf(L("db_query_p99_ms")))
                                                   : QStringLiteral("no queries");
         }},
    };
    lines[L("simulation")] = {
        {L("Requests"), L("Requests answered per second."), S{L("requests")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("requests")));
         }},
        {L("Server errors"), L("5xx responses per second (simulated failures among them)."), S{L("errors")},
         [](const SampleWindow &w, const settings::LabSettings &) { return rate(w.perSecond(L("errors"))); }},
    };
    lines[L("server")] = {
        {L("Open connections"), L("Client connections open now, of the maximum."), S{L("connections")},
         [](const SampleWindow &w, const settings::LabSettings &s) {
             return QStringLiteral("%1 of %2")
                 .arg(count(w.latest(L("connections"))), count(s.server.maxConnections));
         }},
        {L("Requests"), L("Requests answered per second."), S{L("requests")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return rate(w.perSecond(L("requests")));
         }},
        {L("In flight"), L("Requests received and not yet answered."), S{L("in_flight")},
         [](const SampleWindow &w, const settings::LabSettings &) {
             return count(w.latest(L("in_flight")));
         }},
    };
    return lines;
}

const std::map<QString, std::vector<ReadoutLine>> &allLines()
{
    static const std::map<QString, std::vector<ReadoutLine>> lines = makeLines();
    return lines;
}

} // namespace

const std::vector<ReadoutLine> &readoutLines(const QString &section)
{
    static const std::vector<ReadoutLine> none;
    const auto it = allLines().find(section);
    return it == allLines().end() ? none : it->second;
}

QString ReadoutLine::evaluate(const SampleWindow &window, const settings::LabSettings &settings) const
{
    if (window.isEmpty())
        return kNone;
    for (const QString &column : columns) {
        if (!window.has(column))
            return kNone;
    }
    return value(window, settings);
}

QStringList readoutColumns()
{
    QStringList columns;
    for (const auto &[section, lines] : allLines()) {
        for (const ReadoutLine &line : lines) {
            for (const QString &column : line.columns) {
                if (!columns.contains(column))
                    columns << column;
            }
        }
    }
    return columns;
}

} // namespace perflab::ui
