// See MaskedUrl.h. By hand rather than through QUrl: QUrl rejects (and then cannot rebuild)
// exactly the malformed URLs that error messages quote.
#include "engine/net/MaskedUrl.h"

#include <QList>

#include <algorithm>

namespace perflab::net {

namespace {

const QString kMask = QStringLiteral("***");

// A port may be empty ("host:/db"); anything else but digits cannot be one.
bool isPort(QStringView text)
{
    for (const QChar c : text)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

QString maskUserInfoPassword(const QString &url)
{
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return url; // sqlite:PATH and other scheme-only forms carry no password
    const qsizetype start = schemeEnd + 3;
    qsizetype authorityEnd = start;
    while (authorityEnd < url.size() && !QStringView(u"/?#").contains(url[authorityEnd]))
        ++authorityEnd;
    const QStringView authority = QStringView(url).sliced(start, authorityEnd - start);

    qsizetype colon = -1;
    qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        colon = authority.first(at).indexOf(u':');
        if (colon < 0)
            return url; // a user name without a password
        colon += start;
        at += start;
    } else {
        // No '@' before the first '/', '?' or '#'. If a ':' is then followed by something that
        // is not a port, the authority was cut short inside a password holding a raw delimiter
        // ("user:pa/ss@host"): mask up to the last '@'. An IPv6 literal's colons do not count.
        const qsizetype ipv6End = authority.startsWith(u'[') ? authority.indexOf(u']') : -1;
        colon = authority.indexOf(u':', std::max<qsizetype>(ipv6End, 0));
        const qsizetype lastAt = url.lastIndexOf(u'@');
        if (colon < 0 || lastAt < authorityEnd || isPort(authority.sliced(colon + 1)))
            return url;
        colon += start;
        at = lastAt;
    }
    return url.left(colon + 1) + kMask + url.mid(at);
}

// libpq and several Redis clients also take the password as a query parameter.
QString maskQueryPassword(const QString &url)
{
    const qsizetype query = url.indexOf(u'?');
    if (query < 0)
        return url;
    qsizetype end = url.indexOf(u'#', query);
    if (end < 0)
        end = url.size();
    QString masked = url.left(query + 1);
    const QStringView params = QStringView(url).sliced(query + 1, end - query - 1);
    bool first = true;
    for (QStringView param : params.split(u'&')) {
        if (!first)
            masked += u'&';
        first = false;
        const qsizetype equals = param.indexOf(u'=');
        if (equals >= 0 && param.first(equals).compare(u"password", Qt::CaseInsensitive) == 0) {
            masked += param.first(equals + 1);
            masked += kMask;
        } else {
            masked += param;
        }
    }
    masked += QStringView(url).sliced(end);
    return masked;
}

} // namespace

QString maskedUrl(const QString &url)
{
    return maskQueryPassword(maskUserInfoPassword(url));
}

} // namespace perflab::net
