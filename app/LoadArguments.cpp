// See LoadArguments.h.
#include "LoadArguments.h"

#include "engine/net/MaskedUrl.h"

#include <cmath>
#include <cstring>

namespace perflab::app {

QString loadUsageText()
{
    return QStringLiteral(
        "usage: perflab load URL [-c CONNECTIONS] [-d DURATION] [-R RATE] [--timeout T] [--threads N]\n"
        "                        [-H \"Name: value\"]... [-m METHOD] [--body TEXT] [--latency] [--json]\n"
        "  -c N         connections, all threads together (default 10)\n"
        "  -d DURATION  how long to run: 10s, 500ms, 2m or plain seconds (default 10s)\n"
        "  -R RATE      open loop at RATE requests/s in total, latency measured from the intended\n"
        "               send time (coordinated omission corrected); without -R: closed loop\n"
        "  --timeout T  per request (default 10s); --threads N client threads (default 1)\n"
        "  --latency    print the full percentile spectrum; --json one JSON object instead of text\n"
        "after the figures, whether the generator kept up (asked vs sent, send lag, client thread\n"
        "CPU); exit 4 when it was the limit. In a terminal a progress line shows on stderr.\n");
}

std::variant<RequestUrl, QString> splitRequestUrl(const QString &url)
{
    // The URL's path is the request's; the target is scheme://host:port.
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    const qsizetype pathStart = schemeEnd < 0 ? -1 : url.indexOf(QLatin1Char('/'), schemeEnd + 3);
    const QString origin = pathStart < 0 ? url : url.left(pathStart);
    auto target = load::HttpTarget::parse(origin);
    if (auto *message = std::get_if<QString>(&target))
        return *message;
    RequestUrl split{std::get<load::HttpTarget>(target),
                     pathStart < 0 ? QStringLiteral("/") : url.mid(pathStart)};
    split.target.basePath.clear();
    return split;
}

std::optional<std::chrono::milliseconds> parseDuration(const QString &text)
{
    struct Unit
    {
        const char *suffix;
        double ms;
    };
    static const Unit units[] = {{"ms", 1.0}, {"s", 1000.0}, {"m", 60'000.0}, {"h", 3'600'000.0}};
    QString number = text.trimmed();
    double scale = 1000.0;
    for (const Unit &unit : units) {
        if (number.endsWith(QLatin1String(unit.suffix))) {
            number.chop(qsizetype(std::strlen(unit.suffix)));
            scale = unit.ms;
            break;
        }
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || !(value >= 0) || std::isinf(value) || value * scale > 1e12)
        return std::nullopt;
    return std::chrono::milliseconds(std::llround(value * scale));
}

std::variant<LoadCommandOptions, UsageError> parseLoadOptions(const QStringList &args)
{
    LoadCommandOptions options;
    options.model.connections = 10;
    double rate = 0;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        auto error = [&flag](const QString &expected, const std::optional<QString> &got) {
            return UsageError{
                QStringLiteral("load: %1 expects %2, got '%3'").arg(flag, expected, got.value_or(QString()))};
        };
        if (flag == QLatin1String("-c") || flag == QLatin1String("--connections")) {
            const auto v = value();
            const auto n = v ? parseInteger(*v, 1, 100'000) : std::nullopt;
            if (!n)
                return error(QStringLiteral("a number of connections 1..100000"), v);
            options.model.connections = int(*n);
        } else if (flag == QLatin1String("-d") || flag == QLatin1String("--duration")) {
            const auto v = value();
            const auto duration = v ? parseDuration(*v) : std::nullopt;
            if (!duration || duration->count() == 0)
                return error(QStringLiteral("a duration such as 10s, 500ms, 2m or seconds"), v);
            options.duration = *duration;
        } else if (flag == QLatin1String("-R") || flag == QLatin1String("--rate")) {
            const auto v = value();
            bool ok = false;
            rate = v ? v->toDouble(&ok) : 0;
            if (!ok || !(rate > 0) || rate > 10'000'000)
                return error(QStringLiteral("a rate in requests/s > 0"), v);
        } else if (flag == QLatin1String("--timeout")) {
            const auto v = value();
            const auto timeout = v ? parseDuration(*v) : std::nullopt;
            if (!timeout || timeout->count() == 0)
                return error(QStringLiteral("a duration such as 2s or 500ms"), v);
            options.options.timeout = *timeout;
        } else if (flag == QLatin1String("--threads") || flag == QLatin1String("-t")) {
            const auto v = value();
            const auto n = v ? parseInteger(*v, 1, 62) : std::nullopt;
            if (!n)
                return error(QStringLiteral("a number of client threads 1..62"), v);
            options.options.threads = int(*n);
        } else if (flag == QLatin1String("-H") || flag == QLatin1String("--header")) {
            const auto v = value();
            const qsizetype colon = v ? v->indexOf(QLatin1Char(':')) : -1;
            if (colon <= 0)
                return error(QStringLiteral("a header \"Name: value\""), v);
            options.request.headers.append(
                {v->left(colon).trimmed().toUtf8(), v->mid(colon + 1).trimmed().toUtf8()});
        } else if (flag == QLatin1String("-m") || flag == QLatin1String("--method")) {
            const auto v = value();
            if (!v || v->isEmpty() || v->contains(QLatin1Char(' ')))
                return error(QStringLiteral("an HTTP method such as GET or POST"), v);
            options.request.method = v->toUpper().toLatin1();
        } else if (flag == QLatin1String("--body")) {
            const auto v = value();
            if (!v)
                return error(QStringLiteral("the request body"), v);
            options.request.body = v->toUtf8();
        } else if (flag == QLatin1String("--json")) {
            options.json = true;
        } else if (flag == QLatin1String("--latency")) {
            options.latencySpectrum = true;
        } else if (flag.startsWith(QLatin1Char('-'))) {
            return UsageError{QStringLiteral("load: unknown argument '%1'").arg(flag)};
        } else if (options.url.isEmpty()) {
            options.url = flag;
        } else {
            return UsageError{
                QStringLiteral("load: unexpected argument '%1' (one URL only)").arg(net::maskedUrl(flag))};
        }
    }
    if (options.url.isEmpty())
        return UsageError{QStringLiteral("load: expected a URL, e.g. http://127.0.0.1:8000/hello")};
    auto split = splitRequestUrl(options.url);
    if (auto *message = std::get_if<QString>(&split))
        return UsageError{QStringLiteral("load: URL '%1': %2").arg(net::maskedUrl(options.url), *message)};
    options.target = std::get<RequestUrl>(split).target;
    options.request.path = std::get<RequestUrl>(split).path;
    if (rate > 0) {
        options.model.kind = load::LoadModelKind::Open;
        options.model.rate = rate;
    }
    return options;
}

} // namespace perflab::app
