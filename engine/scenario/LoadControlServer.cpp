// See LoadControlServer.h.
#include "engine/scenario/LoadControlServer.h"

#include "engine/async/ThreadExecutor.h"
#include "engine/async/WakeSlot.h"
#include "engine/http/HttpServer.h"
#include "engine/http/Router.h"
#include "engine/report/JsonReport.h"
#include "engine/scenario/ScenarioRunner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace perflab::scenario {

// Only the runner's thread reads or clears `runner`, so a job that runs after the server went
// finds null rather than a dangling runner.
struct LoadControlServer::Shared
{
    ScenarioRunner *runner = nullptr;
    std::shared_ptr<async::detail::ThreadExecutor> home;
};

namespace {

using Shared = LoadControlServer::Shared;

QJsonObject stateJson(const ScenarioRunner &runner)
{
    const auto live = runner.currentLoad();
    if (!live)
        return {{QStringLiteral("running"), false},
                {QStringLiteral("phase"), QJsonValue::Null},
                {QStringLiteral("phase_index"), QJsonValue::Null},
                {QStringLiteral("segment"), QJsonValue::Null},
                {QStringLiteral("model"), QJsonValue::Null}};
    return {{QStringLiteral("running"), true},
            {QStringLiteral("phase"), live->phase},
            {QStringLiteral("phase_index"), live->phaseIndex},
            {QStringLiteral("segment"), live->segment},
            {QStringLiteral("model"), report::modelJson(live->model)}};
}

http::HttpResponse refused(int status, const QString &field, const QString &message)
{
    QJsonObject body{{QStringLiteral("detail"), message}};
    if (!field.isEmpty())
        body.insert(QStringLiteral("field"), field);
    return http::HttpResponse::json(status, QJsonDocument(body));
}

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 12);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isNull())
        return QStringLiteral("null");
    return value.isArray() ? QStringLiteral("an array") : QStringLiteral("an object");
}

// On the runner's thread.
http::HttpResponse patchLoad(ScenarioRunner &runner, const QByteArray &body)
{
    const QString usage = QStringLiteral("expected a JSON object {\"rate\": requests per second} or "
                                         "{\"connections\": N}");
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refused(400, QStringLiteral("body"), QStringLiteral("body: %1").arg(usage));
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it)
        if (it.key() != QLatin1String("rate") && it.key() != QLatin1String("connections"))
            return refused(400, it.key(), QStringLiteral("%1: unknown field; %2").arg(it.key(), usage));
    if (object.size() != 1)
        return refused(400, QStringLiteral("body"),
                       QStringLiteral("body: %1 (exactly one of them)").arg(usage));

    std::optional<ScenarioRunner::LoadChangeRefusal> refusal;
    if (object.contains(QStringLiteral("rate"))) {
        const QJsonValue rate = object.value(QStringLiteral("rate"));
        if (!rate.isDouble() || !(rate.toDouble() > 0) || rate.toDouble() > ScenarioRunner::kMaxLiveRate)
            return refused(
                400, QStringLiteral("rate"),
                QStringLiteral("rate: expected requests per second, a number > 0 and <= %1, got %2")
                    .arg(ScenarioRunner::kMaxLiveRate, 0, 'f', 0)
                    .arg(shown(rate)));
        refusal = runner.changeRate(rate.toDouble());
    } else {
        const QJsonValue connections = object.value(QStringLiteral("connections"));
        const double n = connections.toDouble();
        if (!connections.isDouble() || n != std::floor(n) || n < 1 || n > ScenarioRunner::kMaxLiveConnections)
            return refused(400, QStringLiteral("connections"),
                           QStringLiteral("connections: expected an integer 1..%1, got %2")
                               .arg(ScenarioRunner::kMaxLiveConnections)
                               .arg(shown(connections)));
        refusal = runner.changeConnections(int(n));
    }
    if (refusal)
        return refused(refusal->noPhaseRunning || refusal->field.isEmpty() ? 409 : 400, refusal->field,
                       refusal->message);
    return http::HttpResponse::json(200, QJsonDocument(stateJson(runner)));
}

// Runs `work` on the runner's thread and waits for its answer there, without blocking the
// worker (its other connections go on).
QCoro::Task<http::HttpResponse> onRunnerThread(std::shared_ptr<Shared> shared,
                                               std::function<http::HttpResponse(ScenarioRunner &)> work)
{
    auto slot = std::make_shared<async::detail::WakeSlot<http::HttpResponse>>();
    auto job = [shared, slot, work = std::move(work)] {
        slot->wake(shared->runner ? work(*shared->runner)
                                  : http::HttpResponse::error(409, QStringLiteral("the run has ended")));
    };
    if (!shared->home->post(std::move(job)))
        co_return http::HttpResponse::error(409, QStringLiteral("the run has ended"));
    co_return co_await slot->wait();
}

} // namespace

LoadControlServer::LoadControlServer(ScenarioRunner &runner)
    : m_runner(runner), m_home(async::detail::ThreadExecutor::current())
{
}

LoadControlServer::~LoadControlServer()
{
    stop();
}

std::optional<QString> LoadControlServer::start(quint16 port)
{
    auto shared = std::make_shared<Shared>(Shared{&m_runner, m_home});
    auto router = std::make_shared<http::Router>();
    router->addGetAsync("/load", [shared](const http::HttpRequest &) {
        return onRunnerThread(shared, [](ScenarioRunner &runner) {
            return http::HttpResponse::json(200, QJsonDocument(stateJson(runner)));
        });
    });
    router->add(http::Method::Patch, "/load",
                {{},
                 [shared](const http::HttpRequest &request) {
                     return onRunnerThread(shared, [body = request.body](ScenarioRunner &runner) {
                         return patchLoad(runner, body);
                     });
                 },
                 {}});
    http::ServerConfig config;
    config.host = QStringLiteral("127.0.0.1"); // loopback only: it has no token
    config.port = port;
    config.threads = 1;
    config.drainTimeout = std::chrono::milliseconds(1000);
    m_server = std::make_unique<http::HttpServer>(router, config);
    if (auto error = m_server->start()) {
        m_server.reset();
        return error->message;
    }
    m_shared = shared;
    return std::nullopt;
}

void LoadControlServer::stop()
{
    if (m_shared)
        m_shared->runner = nullptr; // jobs still queued answer 409
    m_shared.reset();
    if (m_server) {
        m_server->stop();
        m_server.reset();
    }
}

quint16 LoadControlServer::port() const
{
    return m_server ? m_server->port() : 0;
}

QString LoadControlServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/load").arg(port());
}

} // namespace perflab::scenario
