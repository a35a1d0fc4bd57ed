// What a load run sends and how (docs/load-generator.md): the target, the request mix and the load
// model. Built by the scenario parser (scenario/Scenario) or by `perflab load`'s flags, consumed by
// LoadEngine. Plain values, validated by whoever builds them.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <chrono>
#include <variant>
#include <vector>

namespace perflab::load {

// An http:// URL split into what the client needs (no TLS: the lab is plain HTTP/1.1).
struct HttpTarget
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 80;
    QString basePath; // path prefix of the URL without a trailing '/', e.g. "" or "/api"

    // "http://host[:port][/path]"; an error names what is wrong ("expected http://host:port").
    static std::variant<HttpTarget, QString> parse(const QString &url);
    QString url() const;           // "http://host:port" + basePath
    QByteArray hostHeader() const; // "host:port"
};

// One entry of the request mix. `path` may hold templates: {uniform:a..b}, {zipf:a..b}
// (s = 1.1), {seq:a..b} (see PathTemplate.h); it is relative to the target's basePath.
struct RequestSpec
{
    QByteArray method = QByteArrayLiteral("GET");
    QString path = QStringLiteral("/");
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    double weight = 1.0;

    // The route label of every statistic: "GET /users/{zipf:1..10000}" (the template, never a
    // generated path, so the number of series stays bounded).
    QString name() const { return QString::fromLatin1(method) + QLatin1Char(' ') + path; }
};

// A linear ramp from the previous stage's rate (0 for the first) to `rate` over `durationS`.
struct Stage
{
    double durationS = 0;
    double rate = 0;
};

enum class LoadModelKind {
    Closed, // `connections` each send, wait for the answer, think, send again
    Open,   // a constant total `rate`, latency measured from the intended send time
    Stages, // open loop whose rate follows `stages`
};

struct LoadModel
{
    LoadModelKind kind = LoadModelKind::Closed;
    int connections = 50;
    double thinkMs = 0;        // closed: pause between an answer and the next request
    double rate = 0;           // open: requests per second, all connections together
    std::vector<Stage> stages; // stages: the rate over time from the model's start

    // The rate at `elapsedS` after the model started (open and stages), 0 for closed.
    double rateAt(double elapsedS) const;
};

struct LoadOptions
{
    int threads = 1;                           // client threads, each with its own loop
    std::chrono::milliseconds timeout{10'000}; // per request, from the actual send
    std::chrono::milliseconds connectTimeout{5'000};
};

} // namespace perflab::load
