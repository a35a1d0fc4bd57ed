// HttpTarget's URL parsing and LoadModel's rate over time.
#include "engine/load/LoadPlan.h"

#include "engine/net/MaskedUrl.h"

namespace perflab::load {

namespace {

const QString kExpectedUrl = QStringLiteral("expected http://host[:port][/path]");

} // namespace

std::variant<HttpTarget, QString> HttpTarget::parse(const QString &url)
{
    const auto fail = [&url](const QString &what) {
        return QStringLiteral("%1, got '%2' (%3)").arg(kExpectedUrl, net::maskedUrl(url), what);
    };
    if (url.startsWith(QStringLiteral("https://"), Qt::CaseInsensitive))
        return fail(QStringLiteral("https is not supported: the load generator speaks plain HTTP/1.1"));
    const QString scheme = QStringLiteral("http://");
    if (!url.startsWith(scheme, Qt::CaseInsensitive))
        return fail(QStringLiteral("the URL must start with http://"));

    QString rest = url.mid(scheme.size());
    if (rest.contains(QLatin1Char('?')) || rest.contains(QLatin1Char('#')))
        return fail(QStringLiteral("no query or fragment: request paths carry those"));
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    QString authority = slash < 0 ? rest : rest.left(slash);
    QString path = slash < 0 ? QString() : rest.mid(slash);
    if (authority.contains(QLatin1Char('@')))
        return fail(QStringLiteral("no user name or password"));

    HttpTarget target;
    QString portText;
    if (authority.startsWith(QLatin1Char('['))) { // [IPv6 literal]
        const qsizetype close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("unclosed '[' in the host"));
        target.host = authority.mid(1, close - 1);
        const QString after = authority.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(QLatin1Char(':')))
            return fail(QStringLiteral("unexpected text after the host"));
        portText = after.mid(1);
        if (after.startsWith(QLatin1Char(':')) && portText.isEmpty())
            return fail(QStringLiteral("missing port after ':'"));
    } else {
        const qsizetype colon = authority.indexOf(QLatin1Char(':'));
        target.host = colon < 0 ? authority : authority.left(colon);
        if (colon >= 0) {
            portText = authority.mid(colon + 1);
            if (portText.isEmpty())
                return fail(QStringLiteral("missing port after ':'"));
        }
    }
    if (target.host.isEmpty())
        return fail(QStringLiteral("missing host"));
    if (!portText.isEmpty()) {
        bool digitsOnly = true;
        for (const QChar c : std::as_const(portText))
            digitsOnly = digitsOnly && c.isDigit() && c.unicode() < 128;
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!digitsOnly || !ok || port < 1 || port > 65535)
            return fail(QStringLiteral("bad port '%1': expected an integer from 1 to 65535").arg(portText));
        target.port = quint16(port);
    }
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    target.basePath = path;
    return target;
}

QString HttpTarget::url() const
{
    return QStringLiteral("http://") + QString::fromLatin1(hostHeader()) + basePath;
}

QByteArray HttpTarget::hostHeader() const
{
    // An IPv6 literal goes back into brackets, as RFC 3986 writes it in an authority.
    const QString shownHost =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return (shownHost + QLatin1Char(':') + QString::number(port)).toUtf8();
}

double LoadModel::rateAt(double elapsedS) const
{
    switch (kind) {
    case LoadModelKind::Closed:
        return 0;
    case LoadModelKind::Open:
        return rate;
    case LoadModelKind::Stages: {
        double previous = 0;
        double t = elapsedS < 0 ? 0 : elapsedS;
        for (const Stage &stage : stages) {
            if (t < stage.durationS)
                return previous + (stage.rate - previous) * (t / stage.durationS);
            t -= stage.durationS;
            previous = stage.rate;
        }
        return previous; // after the last stage its rate holds
    }
    }
    return 0;
}

} // namespace perflab::load
