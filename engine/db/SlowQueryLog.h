// The slow-query log (guide chapter 4): the pool's QueryObserver that times every
// statement into db_query_duration_seconds, and adds up the statements that took at least
// database.slow_query_ms per fingerprint (SqlFingerprint.h), for GET /admin/slow-queries and
// the GUI's slow-query table.
//
//     auto slowLog = std::make_shared<SlowQueryLog>(settings, registry);
//     pool.setQueryObserver(slowLog);
//     slowLog->toJson(); // {"threshold_ms": 500, "queries": [{"fingerprint": ...}, ...]}
//
// Cost: every statement records into the histogram without a lock (per-thread recording,
// metrics/HistogramSeries.h) and reads the threshold with one atomic load (SettingsStore's
// per-thread snapshot), so a threshold change applies from the next statement. Only slow
// statements are fingerprinted and take the log's mutex.
//
// Bounded: at most `capacity` fingerprints (1000 by default). A new fingerprint arriving when
// the log is full evicts the one with the smallest total time, so the log keeps what cost the
// most and a stream of one-off statements cannot grow it.
#pragma once

#include "engine/db/QueryObserver.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace perflab::metrics {
class Counter;
class HistogramSeries;
class Registry;
} // namespace perflab::metrics

namespace perflab::settings {
class SettingsStore;
}

namespace perflab::db {

struct SlowQueryEntry
{
    QString fingerprint;
    quint64 count = 0; // slow statements with this fingerprint
    double totalMs = 0;
    double maxMs = 0;
    qint64 lastAtMs = 0; // wall clock of the latest one, ms since the epoch
    // The slowest one's SQL with its bound values inlined, at most 1000 characters ("…" last).
    QString example;
    quint64 failed = 0; // how many of them failed

    double meanMs() const { return count ? totalMs / double(count) : 0; }
    // {"fingerprint", "count", "total_ms", "max_ms", "mean_ms", "last_at", "example", "failed"}
    QJsonObject toJson() const;
};

class SlowQueryLog final : public QueryObserver
{
public:
    static constexpr int kDefaultCapacity = 1000;
    static constexpr qsizetype kExampleMaxChars = 1000;
    // At most one event per fingerprint per this interval (see setListener()).
    static constexpr std::chrono::milliseconds kListenerInterval{1000};

    using Listener = std::function<void(const SlowQueryEntry &)>;

    // Registers db_query_duration_seconds and db_slow_queries_total in `registry`. `settings`
    // and `registry` must outlive the log.
    SlowQueryLog(const settings::SettingsStore &settings, metrics::Registry &registry,
                 int capacity = kDefaultCapacity);
    ~SlowQueryLog() override;
    SlowQueryLog(const SlowQueryLog &) = delete;
    SlowQueryLog &operator=(const SlowQueryLog &) = delete;

    // QueryObserver: from any thread.
    void statementFinished(const QString &sql, const QVariantList &values, double ms, bool ok) override;

    // The `limit` entries with the largest total time (ties: the larger max first).
    std::vector<SlowQueryEntry> worstFirst(int limit = 100) const;
    // {"threshold_ms": <the current database.slow_query_ms>, "queries": [worstFirst(limit)...]}
    QJsonObject toJson(int limit = 100) const;
    // Forgets every entry and resets slowCount() (db_slow_queries_total, a counter, goes on).
    void clear();

    // Called after a slow statement with its fingerprint's updated entry, on the statement's
    // connection thread and outside the log's lock (so it may call back into the log; a GUI
    // must queue to its own thread). At most once per fingerprint per kListenerInterval: the
    // events become chart markers, and a flood of one slow statement must not swamp them.
    // The statements in between are not lost, only not announced: the next event carries
    // the added-up entry. The interval restarts for a fingerprint that was evicted or
    // cleared. A call already under way may finish after setListener() returns.
    void setListener(Listener listener);

    // Slow statements seen since construction or the last clear().
    quint64 slowCount() const;
    // Fingerprints held now, and at most.
    int size() const;
    int capacity() const { return m_capacity; }

private:
    struct Slot
    {
        SlowQueryEntry entry;
        std::chrono::steady_clock::time_point lastAnnounced;
        bool announced = false;
    };
    void evictSmallestLocked();

    const settings::SettingsStore &m_settings;
    metrics::HistogramSeries *m_duration;
    metrics::Counter *m_slowTotal;
    const int m_capacity;

    mutable std::mutex m_mutex;
    QHash<QString, Slot> m_slots;
    quint64 m_slowCount = 0;
    std::shared_ptr<const Listener> m_listener;
};

} // namespace perflab::db
