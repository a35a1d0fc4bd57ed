// See CacheSettingsLink.h.
#include "engine/cache/CacheSettingsLink.h"

#include "engine/cache/MemoryCache.h"
#include "engine/settings/SettingsStore.h"

#include <cmath>

namespace perflab::cache {

void applyCacheSettings(MemoryCache &cache, const settings::CacheSettings &settings)
{
    cache.setMaxEntries(settings.maxEntries);
    cache.setDefaultTtl(std::chrono::milliseconds(std::llround(settings.ttlS * 1000.0)));
}

CacheSettingsLink::CacheSettingsLink(MemoryCache &cache, settings::SettingsStore &settings)
{
    applyCacheSettings(cache, settings.current()->cache);
    // No context object: a direct call on the patching thread, whatever thread that is.
    m_connection = QObject::connect(&settings, &settings::SettingsStore::changed,
                                    [&cache, &settings](const QJsonObject &, const QJsonObject &) {
                                        applyCacheSettings(cache, settings.current()->cache);
                                    });
}

CacheSettingsLink::~CacheSettingsLink()
{
    QObject::disconnect(m_connection);
}

} // namespace perflab::cache
