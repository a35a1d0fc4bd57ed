// See IntervalMessage.h.
#include "engine/agents/IntervalMessage.h"

#include "engine/metrics/HdrV2Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace perflab::agents {

namespace {

constexpr double kMaxCount = 9007199254740992.0; // 2^53: every integer below is exact in JSON
constexpr qsizetype kMaxThreads = 1024;
constexpr qsizetype kMaxTimingParts = 64;

QString histogramText(const metrics::LatencyHistogram &histogram)
{
    return QString::fromLatin1(metrics::encodeHdrV2Compressed(histogram).toBase64());
}

// Nothing happened on the route in the interval: it is left out of the message.
bool isEmpty(const load::RouteStats &stats)
{
    return stats.responses == 0 && stats.statusCounts.empty() && stats.errors.empty() &&
           stats.bytesReceived == 0 && stats.lateSends == 0 && stats.serverTiming.empty() &&
           stats.corrected.totalCount() == 0 && stats.uncorrected.totalCount() == 0;
}

const QStringList &knownErrorKinds()
{
    static const QStringList kinds{
        QLatin1String(load::ErrorKind::Connect),   QLatin1String(load::ErrorKind::Timeout),
        QLatin1String(load::ErrorKind::Reset),     QLatin1String(load::ErrorKind::Protocol),
        QLatin1String(load::ErrorKind::Status4xx), QLatin1String(load::ErrorKind::Status5xx)};
    return kinds;
}

// Reading with the field's path in every error.
class Reader
{
public:
    std::optional<QString> error;

    void fail(const QString &path, const QString &what)
    {
        if (!error)
            error = path + QStringLiteral(": ") + what;
    }
    std::uint64_t count(const QJsonObject &object, const QString &path, const QString &key,
                        bool required = false)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                fail(path + key, QStringLiteral("missing"));
            return 0;
        }
        return countValue(value, path + key);
    }
    std::uint64_t countValue(const QJsonValue &value, const QString &path)
    {
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < 0 || number > kMaxCount || std::floor(number) != number) {
            fail(path, QStringLiteral("expected a whole number from 0 to 2^53"));
            return 0;
        }
        return std::uint64_t(number);
    }
    double amount(const QJsonObject &object, const QString &path, const QString &key)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return 0;
        const double number = value.toDouble(-1);
        if (!value.isDouble() || !(number >= 0) || number > kMaxCount) {
            fail(path + key, QStringLiteral("expected a number from 0 to 2^53"));
            return 0;
        }
        return number;
    }
    bool flag(const QJsonObject &object, const QString &path, const QString &key)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return false;
        if (!value.isBool())
            fail(path + key, QStringLiteral("expected true or false"));
        return value.toBool();
    }
    void histogram(const QJsonObject &object, const QString &path, const QString &key,
                   metrics::LatencyHistogram &out)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return;
        if (!value.isString()) {
            fail(path + key, QStringLiteral("expected a base64 HdrHistogram V2 encoding"));
            return;
        }
        const auto decodedBase64 = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                                  QByteArray::AbortOnBase64DecodingErrors);
        if (!decodedBase64) {
            fail(path + key, QStringLiteral("not base64"));
            return;
        }
        auto decoded = metrics::decodeHdrV2(*decodedBase64);
        if (auto *problem = std::get_if<metrics::HdrDecodeError>(&decoded)) {
            fail(path + key, problem->message);
            return;
        }
        out = std::get<metrics::LatencyHistogram>(std::move(decoded));
    }
};

void readRoute(Reader &reader, const QJsonObject &object, const QString &path, load::RouteStats &stats)
{
    reader.histogram(object, path, QStringLiteral("corrected"), stats.corrected);
    reader.histogram(object, path, QStringLiteral("uncorrected"), stats.uncorrected);
    stats.responses = reader.count(object, path, QStringLiteral("responses"));
    const QJsonObject status = object.value(QStringLiteral("status")).toObject();
    if (status.size() > 500)
        reader.fail(path + QStringLiteral("status"), QStringLiteral("too many status codes"));
    for (auto it = status.begin(); it != status.end() && !reader.error; ++it) {
        bool ok = false;
        const int code = it.key().toInt(&ok);
        if (!ok || code < 100 || code > 599)
            reader.fail(path + QStringLiteral("status"),
                        QStringLiteral("expected status codes 100..599, got \"%1\"").arg(it.key().left(20)));
        else if (const std::uint64_t n =
                     reader.countValue(it.value(), path + QStringLiteral("status.") + it.key()))
            stats.statusCounts[code] = n;
    }
    const QJsonObject errors = object.value(QStringLiteral("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end() && !reader.error; ++it) {
        if (!knownErrorKinds().contains(it.key()))
            reader.fail(path + QStringLiteral("errors"),
                        QStringLiteral("unknown error kind \"%1\"").arg(it.key().left(20)));
        else if (const std::uint64_t n =
                     reader.countValue(it.value(), path + QStringLiteral("errors.") + it.key()))
            stats.errors[it.key()] = n;
    }
    stats.bytesReceived = reader.count(object, path, QStringLiteral("bytes"));
    stats.lateSends = reader.count(object, path, QStringLiteral("late"));
    const QJsonObject timing = object.value(QStringLiteral("timing")).toObject();
    if (timing.size() > kMaxTimingParts)
        reader.fail(path + QStringLiteral("timing"),
                    QStringLiteral("more than %1 parts").arg(kMaxTimingParts));
    static const QRegularExpression partName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    for (auto it = timing.begin(); it != timing.end() && !reader.error; ++it) {
        const QJsonArray pair = it.value().toArray();
        if (!partName.match(it.key()).hasMatch() || pair.size() != 2) {
            reader.fail(path + QStringLiteral("timing"),
                        QStringLiteral("expected {\"part\": [total_ms, count]}"));
            break;
        }
        const QString where = path + QStringLiteral("timing.") + it.key();
        load::ServerTimingPart part;
        const double total = pair[0].toDouble(-1);
        if (!pair[0].isDouble() || !(total >= 0) || total > kMaxCount)
            reader.fail(where, QStringLiteral("expected a total in ms >= 0"));
        part.totalMs = total;
        part.count = reader.countValue(pair[1], where);
        stats.serverTiming[it.key()] = part;
    }
}

void readGenerator(Reader &reader, const QJsonObject &object, load::GeneratorStats &stats)
{
    const QString path = QStringLiteral("generator.");
    stats.elapsedNs = std::int64_t(reader.count(object, path, QStringLiteral("elapsed_ns")));
    stats.asked = reader.amount(object, path, QStringLiteral("asked"));
    stats.sent = reader.count(object, path, QStringLiteral("sent"));
    reader.histogram(object, path, QStringLiteral("send_lag"), stats.sendLag);
    const QJsonArray threads = object.value(QStringLiteral("threads")).toArray();
    if (threads.size() > kMaxThreads)
        reader.fail(path + QStringLiteral("threads"),
                    QStringLiteral("more than %1 threads").arg(kMaxThreads));
    for (qsizetype i = 0; i < threads.size() && !reader.error; ++i) {
        const QJsonArray pair = threads[i].toArray();
        const QString where = path + QStringLiteral("threads[%1]").arg(i);
        if (pair.size() != 2) {
            reader.fail(where, QStringLiteral("expected [cpu_ns, run_wait_ns]"));
            break;
        }
        stats.threads.push_back({std::int64_t(reader.countValue(pair[0], where)),
                                 std::int64_t(reader.countValue(pair[1], where))});
    }
    stats.cpuKnown = reader.flag(object, path, QStringLiteral("cpu_known"));
    stats.runWaitKnown = reader.flag(object, path, QStringLiteral("run_wait_known"));
    stats.connectionsOpen = std::int64_t(reader.count(object, path, QStringLiteral("open")));
    stats.connectionsConnecting = std::int64_t(reader.count(object, path, QStringLiteral("connecting")));
    stats.connectFailures = reader.count(object, path, QStringLiteral("connect_failures"));
}

} // namespace

QByteArray encodeInterval(const IntervalMessage &message)
{
    QJsonArray routes;
    for (std::size_t i = 0; i < message.routes.size(); ++i) {
        const load::RouteStats &stats = message.routes[i];
        if (isEmpty(stats))
            continue;
        QJsonObject route{{QStringLiteral("i"), qint64(i)},
                          {QStringLiteral("responses"), qint64(stats.responses)},
                          {QStringLiteral("bytes"), qint64(stats.bytesReceived)},
                          {QStringLiteral("late"), qint64(stats.lateSends)}};
        if (stats.corrected.totalCount() > 0)
            route.insert(QStringLiteral("corrected"), histogramText(stats.corrected));
        if (stats.uncorrected.totalCount() > 0)
            route.insert(QStringLiteral("uncorrected"), histogramText(stats.uncorrected));
        QJsonObject status;
        for (const auto &[code, n] : stats.statusCounts)
            status.insert(QString::number(code), qint64(n));
        route.insert(QStringLiteral("status"), status);
        QJsonObject errors;
        for (const auto &[kind, n] : stats.errors)
            errors.insert(kind, qint64(n));
        route.insert(QStringLiteral("errors"), errors);
        QJsonObject timing;
        for (const auto &[part, figures] : stats.serverTiming)
            timing.insert(part, QJsonArray{figures.totalMs, qint64(figures.count)});
        route.insert(QStringLiteral("timing"), timing);
        routes.append(route);
    }
    const load::GeneratorStats &g = message.generator;
    QJsonArray threads;
    for (const load::ClientThreadTime &thread : g.threads)
        threads.append(QJsonArray{qint64(std::max<std::int64_t>(0, thread.cpuNs)),
                                  qint64(std::max<std::int64_t>(0, thread.runWaitNs))});
    QJsonObject generator{
        {QStringLiteral("elapsed_ns"), qint64(std::max<std::int64_t>(0, g.elapsedNs))},
        {QStringLiteral("asked"), std::max(0.0, g.asked)},
        {QStringLiteral("sent"), qint64(g.sent)},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("cpu_known"), g.cpuKnown},
        {QStringLiteral("run_wait_known"), g.runWaitKnown},
        {QStringLiteral("open"), qint64(std::max<std::int64_t>(0, g.connectionsOpen))},
        {QStringLiteral("connecting"), qint64(std::max<std::int64_t>(0, g.connectionsConnecting))},
        {QStringLiteral("connect_failures"), qint64(g.connectFailures)}};
    if (g.sendLag.totalCount() > 0)
        generator.insert(QStringLiteral("send_lag"), histogramText(g.sendLag));
    const QJsonObject document{
        {QStringLiteral("agent"), message.agent}, {QStringLiteral("seq"), qint64(message.seq)},
        {QStringLiteral("phase"), message.phase}, {QStringLiteral("last"), message.lastOfPhase},
        {QStringLiteral("final"), message.final}, {QStringLiteral("to_ms"), message.toMs},
        {QStringLiteral("routes"), routes},       {QStringLiteral("generator"), generator}};
    if (message.error.isEmpty())
        return QJsonDocument(document).toJson(QJsonDocument::Compact);
    QJsonObject withError = document;
    withError.insert(QStringLiteral("error"), message.error.left(500));
    return QJsonDocument(withError).toJson(QJsonDocument::Compact);
}

std::variant<IntervalMessage, QString> decodeInterval(const QByteArray &bytes,
                                                      const std::vector<QString> &routeNames, int phaseCount)
{
    if (bytes.size() > kMaxIntervalBytes)
        return QStringLiteral("larger than %1 bytes").arg(kMaxIntervalBytes);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("not a JSON object (%1 at byte %2)")
            .arg(parseError.errorString())
            .arg(parseError.offset);
    const QJsonObject object = document.object();
    IntervalMessage message;
    Reader reader;
    message.agent = object.value(QStringLiteral("agent")).toString();
    if (message.agent.isEmpty() || message.agent.size() > 128)
        return QStringLiteral("agent: expected a name of 1 to 128 characters");
    message.seq = reader.count(object, QString(), QStringLiteral("seq"), true);
    const std::uint64_t phase = reader.count(object, QString(), QStringLiteral("phase"), true);
    if (!reader.error && phase >= std::uint64_t(phaseCount))
        reader.fail(QStringLiteral("phase"),
                    QStringLiteral("expected 0..%1, got %2").arg(phaseCount - 1).arg(phase));
    message.phase = int(phase);
    message.error = object.value(QStringLiteral("error")).toString().left(500);
    message.lastOfPhase = reader.flag(object, QString(), QStringLiteral("last"));
    message.final = reader.flag(object, QString(), QStringLiteral("final"));
    message.toMs = qint64(reader.count(object, QString(), QStringLiteral("to_ms"), true));
    message.routes.resize(routeNames.size());
    for (std::size_t i = 0; i < routeNames.size(); ++i)
        message.routes[i].route = routeNames[i];
    const QJsonValue routesValue = object.value(QStringLiteral("routes"));
    if (!routesValue.isArray())
        reader.fail(QStringLiteral("routes"), QStringLiteral("expected an array"));
    const QJsonArray routes = routesValue.toArray();
    std::vector<bool> seen(routeNames.size(), false);
    for (qsizetype r = 0; r < routes.size() && !reader.error; ++r) {
        const QString path = QStringLiteral("routes[%1].").arg(r);
        const QJsonObject route = routes[r].toObject();
        const std::uint64_t index = reader.count(route, path, QStringLiteral("i"), true);
        if (reader.error)
            break;
        if (index >= routeNames.size() || seen[index]) {
            reader.fail(path + QStringLiteral("i"),
                        QStringLiteral("expected a route of the plan (0..%1) given once, got %2")
                            .arg(qsizetype(routeNames.size()) - 1)
                            .arg(index));
            break;
        }
        seen[index] = true;
        readRoute(reader, route, path, message.routes[index]);
    }
    if (!reader.error)
        readGenerator(reader, object.value(QStringLiteral("generator")).toObject(), message.generator);
    if (reader.error)
        return *reader.error;
    return message;
}

} // namespace perflab::agents
