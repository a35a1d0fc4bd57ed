// HTTP caching (guide chapter 3, RFC 9110 §13): when http_cache.enabled, a GET or HEAD whose
// If-None-Match matches the response's ETag — weak comparison, lists, and "*" — gets 304 Not
// Modified with the ETag and Cache-Control and no body; any other method gets 412 Precondition
// Failed. When disabled, responses leave without Cache-Control and ETag and conditionals are
// ignored, so the difference shows on the wire and in the numbers.
#pragma once

#include "engine/http/Middleware.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

namespace perflab::lab {

class HttpCaching final : public http::Middleware
{
public:
    // Counts the body bytes a 304 kept off the wire (http_cache_saved_bytes_total).
    HttpCaching(const settings::SettingsStore &settings, metrics::Registry &registry);
    http::Outcome invoke(http::RequestContext &context, http::Next next) override;

    // RFC 9110 §13.1.2: does an If-None-Match field value match this entity tag?
    static bool ifNoneMatchMatches(QByteArrayView ifNoneMatch, QByteArrayView etag);

private:
    const settings::SettingsStore &m_settings;
    metrics::Counter *m_savedBytes;
};

} // namespace perflab::lab
