// HlogTag: the tag of a latency.hlog line, "<phase>/<route>". An .hlog line is split at commas
// (hdr-histogram-js splits at commas only, HdrHistogram Java at commas and spaces), so a tag
// cannot hold either; phases ("cache on") and routes ("GET /users/{id}") have spaces. Both parts
// are percent-encoded (RFC 3986 style, "%2C" for ','): '%', ',', every byte of UTF-8 that is
// not printable ASCII (space included), and in the phase part '/' too, so the first '/' of a
// tag always ends the phase. Route templates keep their own '/'.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace perflab::report {

QByteArray hlogTag(const QString &phase, const QString &route);

struct HlogTagParts
{
    QString phase;
    QString route; // "" when the tag has no '/' (another writer's tag)
};
// Splits at the first '/' and decodes; nullopt when a '%' is not followed by two hex digits.
std::optional<HlogTagParts> splitHlogTag(QByteArrayView tag);

} // namespace perflab::report
