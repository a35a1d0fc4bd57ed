// See HttpCaching.h.
#include "engine/lab/middleware/HttpCaching.h"

namespace perflab::lab {

namespace {
// The opaque part of an entity tag: W/"x" and "x" compare equal under weak comparison.
QByteArrayView opaqueTag(QByteArrayView tag)
{
    tag = tag.trimmed();
    if (tag.startsWith("W/"))
        tag = tag.sliced(2);
    return tag;
}

QByteArrayView headerOf(const http::HttpResponse &response, QByteArrayView name)
{
    for (const auto &[field, value] : response.headers) {
        if (QByteArrayView(field).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}
} // namespace

HttpCaching::HttpCaching(const settings::SettingsStore &settings, metrics::Registry &registry)
    : m_settings(settings),
      m_savedBytes(
          registry
              .counterFamily(
                  QStringLiteral("http_cache_saved_bytes_total"),
                  QStringLiteral("Response body bytes not sent because If-None-Match matched (304)."))
              .series())
{
}

bool HttpCaching::ifNoneMatchMatches(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    ifNoneMatch = ifNoneMatch.trimmed();
    if (ifNoneMatch == "*")
        return !etag.isEmpty();
    if (etag.isEmpty())
        return false;
    const QByteArrayView wanted = opaqueTag(etag);
    while (!ifNoneMatch.isEmpty()) {
        const qsizetype comma = ifNoneMatch.indexOf(',');
        const QByteArrayView candidate = comma < 0 ? ifNoneMatch : ifNoneMatch.first(comma);
        if (opaqueTag(candidate) == wanted)
            return true;
        if (comma < 0)
            break;
        ifNoneMatch = ifNoneMatch.sliced(comma + 1);
    }
    return false;
}

http::Outcome HttpCaching::invoke(http::RequestContext &context, http::Next next)
{
    const bool enabled = m_settings.view().httpCache.enabled;
    const std::optional<QByteArrayView> ifNoneMatch = context.request.header("if-none-match");
    const http::Method method = context.request.method;
    auto apply = [enabled, ifNoneMatch, method, savedBytes = m_savedBytes](http::HttpResponse &response) {
        if (!enabled) {
            std::erase_if(response.headers, [](const auto &field) {
                return QByteArrayView(field.first).compare("ETag", Qt::CaseInsensitive) == 0 ||
                       QByteArrayView(field.first).compare("Cache-Control", Qt::CaseInsensitive) == 0;
            });
            return;
        }
        if (!ifNoneMatch || response.status < 200 || response.status > 299)
            return;
        if (!ifNoneMatchMatches(*ifNoneMatch, headerOf(response, "ETag")))
            return;
        if (method == http::Method::Get || method == http::Method::Head) {
            response.status = 304;
            savedBytes->inc(std::uint64_t(response.body.size()));
            response.body.clear();
            response.stream.reset();
            // 304 keeps the validators and caching fields only (RFC 9110 §15.4.5).
            std::erase_if(response.headers, [](const auto &field) {
                return QByteArrayView(field.first).compare("ETag", Qt::CaseInsensitive) != 0 &&
                       QByteArrayView(field.first).compare("Cache-Control", Qt::CaseInsensitive) != 0 &&
                       QByteArrayView(field.first).compare("Vary", Qt::CaseInsensitive) != 0;
            });
        } else {
            response = http::HttpResponse::error(412, QStringLiteral("Precondition Failed"));
        }
    };
    return next(context).then(std::move(apply));
}

} // namespace perflab::lab
