// Response compression (guide chapter 5, GZipMiddleware) with zlib, switched by the live
// settings compression.{enabled,min_size,level}. Unlike Starlette's substring test, the
// client's Accept-Encoding is parsed with its q-values ("gzip;q=0" refuses gzip, "*" accepts
// it). Skipped: bodies under min_size, bodies already encoded, text/event-stream (a proxy-
// friendly SSE stream must not be buffered) and 204/304. Eligible responses get
// "Vary: Accept-Encoding" whether or not this client got gzip. Streamed bodies are compressed
// chunk by chunk with Z_SYNC_FLUSH, so each chunk leaves when it is produced.
#pragma once

#include "engine/http/Middleware.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

namespace perflab::lab {

class Compression final : public http::Middleware
{
public:
    // Counts body bytes before and after gzip (http_compression_{input,output}_bytes_total),
    // streams included, so the lab can show the ratio and the bytes saved.
    Compression(const settings::SettingsStore &settings, metrics::Registry &registry);
    http::Outcome invoke(http::RequestContext &context, http::Next next) override;

    // Whether an Accept-Encoding field value allows gzip (RFC 9110 §12.5.3).
    static bool acceptsGzip(QByteArrayView acceptEncoding);
    // One-shot gzip of `data` at `level`, with a per-thread reusable zlib state.
    static QByteArray gzip(QByteArrayView data, int level);

private:
    const settings::SettingsStore &m_settings;
    metrics::Counter *m_inputBytes;
    metrics::Counter *m_outputBytes;
};

} // namespace perflab::lab
