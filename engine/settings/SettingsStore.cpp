// See SettingsStore.h.
#include "engine/settings/SettingsStore.h"

#include <QMutexLocker>

namespace perflab::settings {

namespace {

// Versions are unique across every store of the process, not counted per store: a thread's
// cache is keyed by (store address, version), and a store created where a destroyed one
// lived (a lab restarted in the same window) must never match the old store's snapshot.
std::atomic<quint64> g_nextVersion{1};

quint64 newVersion()
{
    return g_nextVersion.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

SettingsStore::SettingsStore(LabSettings initial, QObject *parent)
    : QObject(parent), m_current(std::make_shared<const LabSettings>(std::move(initial))),
      m_version(newVersion())
{
}

SettingsStore::ThreadCache &SettingsStore::refreshed() const
{
    thread_local ThreadCache cache;
    const quint64 version = m_version.load(std::memory_order_acquire);
    if (cache.store != this || cache.version != version) {
        QMutexLocker lock(&m_mutex);
        cache.store = this;
        cache.snapshot = m_current;
        cache.version = m_version.load(std::memory_order_relaxed);
    }
    return cache;
}

std::shared_ptr<const LabSettings> SettingsStore::current() const
{
    return refreshed().snapshot;
}

const LabSettings &SettingsStore::view() const
{
    return *refreshed().snapshot;
}

std::variant<std::shared_ptr<const LabSettings>, SettingsError> SettingsStore::patch(const QJsonObject &patch)
{
    std::shared_ptr<const LabSettings> next;
    {
        QMutexLocker lock(&m_mutex);
        auto result = applyPatch(*m_current, patch);
        if (auto *error = std::get_if<SettingsError>(&result))
            return *error;
        next = std::make_shared<const LabSettings>(std::move(std::get<LabSettings>(result)));
        m_current = next;
        m_version.store(newVersion(), std::memory_order_release);
    }
    Q_EMIT changed(patch, next->toJson());
    return next;
}

} // namespace perflab::settings
