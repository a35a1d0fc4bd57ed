// Keeps a MemoryCache's live limits equal to the lab settings cache.max_entries and
// cache.ttl_s (its default TTL): applied when linked and again on every settings change.
#pragma once

#include <QMetaObject>

namespace perflab::settings {
class SettingsStore;
struct CacheSettings;
} // namespace perflab::settings

namespace perflab::cache {

class MemoryCache;

void applyCacheSettings(MemoryCache &cache, const settings::CacheSettings &settings);

// Applies the change on the thread that patched the settings (MemoryCache is thread-safe).
// Both the cache and the store must outlive the link; destroying it stops following.
class CacheSettingsLink
{
public:
    CacheSettingsLink(MemoryCache &cache, settings::SettingsStore &settings);
    ~CacheSettingsLink();
    CacheSettingsLink(const CacheSettingsLink &) = delete;
    CacheSettingsLink &operator=(const CacheSettingsLink &) = delete;

private:
    QMetaObject::Connection m_connection;
};

} // namespace perflab::cache
