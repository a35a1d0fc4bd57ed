// See SlowQueryLog.h.
#include "engine/db/SlowQueryLog.h"

#include "engine/db/SqlExample.h"
#include "engine/db/SqlFingerprint.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <optional>

namespace perflab::db {

namespace {

// From a SQLite point lookup (tens of µs) to a statement that holds a connection for 30 s.
std::vector<double> queryBucketsSeconds()
{
    return {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

bool worseThan(const SlowQueryEntry &a, const SlowQueryEntry &b)
{
    if (a.totalMs != b.totalMs)
        return a.totalMs > b.totalMs;
    if (a.maxMs != b.maxMs)
        return a.maxMs > b.maxMs;
    return a.fingerprint < b.fingerprint; // a stable order for equal figures
}

} // namespace

QJsonObject SlowQueryEntry::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("fingerprint"), fingerprint);
    json.insert(QStringLiteral("count"), qint64(count));
    json.insert(QStringLiteral("total_ms"), totalMs);
    json.insert(QStringLiteral("max_ms"), maxMs);
    json.insert(QStringLiteral("mean_ms"), meanMs());
    json.insert(QStringLiteral("last_at"), lastAtMs);
    json.insert(QStringLiteral("example"), example);
    json.insert(QStringLiteral("failed"), qint64(failed));
    return json;
}

SlowQueryLog::SlowQueryLog(const settings::SettingsStore &settings, metrics::Registry &registry, int capacity)
    : m_settings(settings),
      m_duration(registry
                     .histogramFamily(QStringLiteral("db_query_duration_seconds"),
                                      QStringLiteral("Time to run a database statement and fetch its rows"),
                                      {}, queryBucketsSeconds())
                     .series()),
      m_slowTotal(registry
                      .counterFamily(QStringLiteral("db_slow_queries_total"),
                                     QStringLiteral("Database statements that took at least "
                                                    "database.slow_query_ms"))
                      .series()),
      m_capacity(std::max(capacity, 1))
{
}

SlowQueryLog::~SlowQueryLog() = default;

void SlowQueryLog::statementFinished(const QString &sql, const QVariantList &values, double ms, bool ok)
{
    m_duration->recordMicros(std::llround(ms * 1000.0));
    if (ms < m_settings.view().database.slowQueryMs)
        return;
    m_slowTotal->inc();

    // Outside the lock: the fingerprint is the costly part, and needs nothing shared.
    const QString fingerprint = fingerprintSql(sql);
    const qint64 nowWallMs = QDateTime::currentMSecsSinceEpoch();
    const auto now = std::chrono::steady_clock::now();

    std::optional<SlowQueryEntry> announcement;
    std::shared_ptr<const Listener> listener;
    {
        const std::lock_guard lock(m_mutex);
        ++m_slowCount;
        auto found = m_slots.find(fingerprint);
        if (found == m_slots.end()) {
            if (m_slots.size() >= m_capacity)
                evictSmallestLocked();
            found = m_slots.insert(fingerprint, Slot{});
            found->entry.fingerprint = fingerprint;
        }
        Slot &slot = *found;
        SlowQueryEntry &entry = slot.entry;
        if (entry.count == 0 || ms > entry.maxMs) {
            entry.maxMs = ms;
            // Bounded work (kExampleMaxChars), and only for a new maximum.
            entry.example = sqlWithValuesInlined(sql, values, kExampleMaxChars);
        }
        ++entry.count;
        entry.totalMs += ms;
        entry.lastAtMs = nowWallMs;
        if (!ok)
            ++entry.failed;

        if (m_listener && (!slot.announced || now - slot.lastAnnounced >= kListenerInterval)) {
            slot.announced = true;
            slot.lastAnnounced = now;
            announcement = entry;
            listener = m_listener;
        }
    }
    if (announcement)
        (*listener)(*announcement);
}

void SlowQueryLog::evictSmallestLocked()
{
    auto smallest = m_slots.begin();
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
        if (worseThan(smallest->entry, it->entry))
            smallest = it;
    }
    if (smallest != m_slots.end())
        m_slots.erase(smallest);
}

std::vector<SlowQueryEntry> SlowQueryLog::worstFirst(int limit) const
{
    std::vector<SlowQueryEntry> entries;
    {
        const std::lock_guard lock(m_mutex);
        entries.reserve(size_t(m_slots.size()));
        for (const Slot &slot : m_slots)
            entries.push_back(slot.entry);
    }
    const size_t kept = std::min(entries.size(), size_t(std::max(limit, 0)));
    std::partial_sort(entries.begin(), entries.begin() + std::ptrdiff_t(kept), entries.end(), worseThan);
    entries.resize(kept);
    return entries;
}

QJsonObject SlowQueryLog::toJson(int limit) const
{
    QJsonArray queries;
    for (const SlowQueryEntry &entry : worstFirst(limit))
        queries.append(entry.toJson());
    return {
        {QStringLiteral("threshold_ms"), m_settings.view().database.slowQueryMs},
        {QStringLiteral("queries"), queries},
    };
}

void SlowQueryLog::clear()
{
    const std::lock_guard lock(m_mutex);
    m_slots.clear();
    m_slowCount = 0;
}

void SlowQueryLog::setListener(Listener listener)
{
    auto shared = listener ? std::make_shared<const Listener>(std::move(listener)) : nullptr;
    const std::lock_guard lock(m_mutex);
    m_listener = std::move(shared);
}

quint64 SlowQueryLog::slowCount() const
{
    const std::lock_guard lock(m_mutex);
    return m_slowCount;
}

int SlowQueryLog::size() const
{
    const std::lock_guard lock(m_mutex);
    return int(m_slots.size());
}

} // namespace perflab::db
