// See ConcurrencyRoutes.h.
#include "engine/lab/ConcurrencyRoutes.h"

#include "engine/http/RequestValidation.h"

#include "engine/async/Gather.h"
#include "engine/async/GatherSettled.h"
#include "engine/async/RunBlocking.h"
#include "engine/async/SimulatedIo.h"
#include "engine/async/Sleep.h"
#include "engine/async/WithTimeout.h"
#include "engine/http/Router.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <thread>
#include <variant>

namespace perflab::lab {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using settings::SettingsStore;
using Ms = std::chrono::milliseconds;

// Query numbers are seconds of the guide; a day is far beyond any experiment and keeps the
// scaled values well inside QTimer's range.
constexpr double kMaxSeconds = 86400;

Ms ioDelay(const SettingsStore &settings, double guideSeconds)
{
    return std::chrono::ceil<Ms>(async::scaledDelay(settings, guideSeconds));
}

Ms ioDelay(double ioScale, double guideSeconds)
{
    return std::chrono::ceil<Ms>(std::chrono::microseconds(std::llround(guideSeconds * ioScale * 1e6)));
}

QCoro::Task<HttpResponse> ready(HttpResponse response)
{
    co_return response;
}

HttpResponse validationError(const QJsonArray &errors)
{
    return http::unprocessable(errors);
}

QJsonObject queryError(QByteArrayView name, const QString &input, const QString &type, const QString &message,
                       const QJsonObject &context = {})
{
    return http::validationIssue(type, QJsonArray{QStringLiteral("query"), QString::fromLatin1(name)},
                                 message, input, context);
}

// `name: float = Query(fallback, ge=0, le=86400)`: the value, or nullopt with the error
// appended to `errors` (FastAPI reports every bad parameter at once).
std::optional<double> secondsParam(const HttpRequest &request, QByteArrayView name, double fallback,
                                   QJsonArray &errors)
{
    const std::optional<QString> raw = request.queryParam(name);
    if (!raw)
        return fallback;
    bool ok = false;
    const double value = raw->toDouble(&ok);
    if (!ok) {
        errors.append(
            queryError(name, *raw, QStringLiteral("float_parsing"),
                       QStringLiteral("Input should be a valid number, unable to parse string as a number")));
        return std::nullopt;
    }
    if (!std::isfinite(value)) {
        errors.append(queryError(name, *raw, QStringLiteral("finite_number"),
                                 QStringLiteral("Input should be a finite number")));
        return std::nullopt;
    }
    if (value < 0) {
        errors.append(queryError(name, *raw, QStringLiteral("greater_than_equal"),
                                 QStringLiteral("Input should be greater than or equal to 0"),
                                 QJsonObject{{QStringLiteral("ge"), 0}}));
        return std::nullopt;
    }
    if (value > kMaxSeconds) {
        errors.append(queryError(name, *raw, QStringLiteral("less_than_equal"),
                                 QStringLiteral("Input should be less than or equal to 86400"),
                                 QJsonObject{{QStringLiteral("le"), kMaxSeconds}}));
        return std::nullopt;
    }
    return value;
}

// ---- The guide's simulated queries: fetch_user, fetch_orders, fetch_profile ----------------

enum class Part { User, Orders, Profile };
constexpr std::array kParts{Part::User, Part::Orders, Part::Profile};
using Parts = std::array<std::optional<QByteArray>, kParts.size()>;

QByteArrayView partName(Part part)
{
    switch (part) {
    case Part::User:
        return "user";
    case Part::Orders:
        return "orders";
    case Part::Profile:
        return "profile";
    }
    Q_UNREACHABLE();
    return {};
}

// The part's JSON as the guide returns it, keys in the guide's order (which FastAPI keeps).
QByteArray partJson(Part part, qint64 userId)
{
    switch (part) {
    case Part::User: {
        const QByteArray id = QByteArray::number(userId);
        return QByteArray("{\"id\":" + id + ",\"name\":\"User " + id + "\"}");
    }
    case Part::Orders:
        return QByteArrayLiteral("[{\"order_id\":0},{\"order_id\":1},{\"order_id\":2}]");
    case Part::Profile:
        return QByteArrayLiteral("{\"bio\":\"User bio\",\"avatar\":\"avatar.jpg\"}");
    }
    Q_UNREACHABLE();
    return {};
}

// What a failing simulated query throws; gatherSettled() reports it per part.
class SimulatedFailure : public std::runtime_error
{
public:
    explicit SimulatedFailure(Part part)
        : std::runtime_error(
              QByteArray("simulated failure of fetch_" + partName(part).toByteArray()).toStdString())
    {
    }
};

// `delay` of simulated I/O (stopped early by `stop`: async::Cancelled), then the part, or a
// SimulatedFailure when `fail` (a query that fails fails after its round trip).
QCoro::Task<QByteArray> fetchPart(Part part, Ms delay, qint64 userId, bool fail = false,
                                  std::stop_token stop = {})
{
    co_await async::sleep(delay, std::move(stop));
    if (fail)
        throw SimulatedFailure(part);
    co_return partJson(part, userId);
}

// {"user":…,"orders":…,"profile":…} with the parts that are there, in that order.
QByteArray userDocument(const Parts &parts)
{
    QByteArray out = QByteArrayLiteral("{");
    for (size_t i = 0; i < kParts.size(); ++i) {
        if (!parts[i])
            continue;
        if (out.size() > 1)
            out += ',';
        out += '"' + partName(kParts[i]).toByteArray() + "\":" + *parts[i];
    }
    out += '}';
    return out;
}

// ---- Handlers ----------------------------------------------------------------------------

QByteArray blockingIo(std::chrono::microseconds duration)
{
    std::this_thread::sleep_for(duration); // deliberately blocking: this is the guide's time.sleep
    return QByteArrayLiteral("done");
}

QCoro::Task<HttpResponse> asyncEndpoint(Ms delay)
{
    co_await async::sleep(delay);
    co_return HttpResponse::json(200, QByteArrayLiteral("{\"result\":\"async result\"}"));
}

QCoro::Task<HttpResponse> syncEndpoint(std::chrono::microseconds delay)
{
    // FastAPI runs a `def` endpoint in its threadpool: the blocking call goes to ours.
    auto syncTask = [delay] {
        std::this_thread::sleep_for(delay);
        return QByteArrayLiteral("sync result");
    };
    const QByteArray result = co_await async::runBlocking(std::move(syncTask));
    co_return HttpResponse::json(200, QByteArray("{\"result\":\"" + result + "\"}"));
}

QCoro::Task<HttpResponse> nonBlockingEndpoint(std::chrono::microseconds delay)
{
    auto job = [delay] { return blockingIo(delay); };
    const QByteArray result = co_await async::runBlocking(std::move(job));
    co_return HttpResponse::json(200, QByteArray("{\"result\":\"" + result + "\"}"));
}

QCoro::Task<HttpResponse> userSerial(Ms delay, qint64 userId)
{
    Parts parts;
    for (size_t i = 0; i < kParts.size(); ++i)
        parts[i] = co_await fetchPart(kParts[i], delay, userId);
    co_return HttpResponse::json(200, userDocument(parts));
}

QCoro::Task<HttpResponse> userConcurrent(Ms delay, qint64 userId)
{
    // Tasks are eager: all three queries are in flight before the first co_await.
    auto user = fetchPart(Part::User, delay, userId);
    auto orders = fetchPart(Part::Orders, delay, userId);
    auto profile = fetchPart(Part::Profile, delay, userId);
    auto [u, o, p] = co_await async::gather(std::move(user), std::move(orders), std::move(profile));
    co_return HttpResponse::json(200, userDocument(Parts{std::move(u), std::move(o), std::move(p)}));
}

QCoro::Task<HttpResponse> userSafeConcurrent(Ms delay, qint64 userId, std::array<bool, kParts.size()> failing)
{
    auto user = fetchPart(Part::User, delay, userId, failing[0]);
    auto orders = fetchPart(Part::Orders, delay, userId, failing[1]);
    auto profile = fetchPart(Part::Profile, delay, userId, failing[2]);
    auto [u, o, p] = co_await async::gatherSettled(std::move(user), std::move(orders), std::move(profile));
    const auto valueOf = [](async::Settled<QByteArray> &&outcome) -> std::optional<QByteArray> {
        if (!outcome.ok())
            return std::nullopt;
        return std::move(outcome).value();
    };
    co_return HttpResponse::json(
        200, userDocument(Parts{valueOf(std::move(u)), valueOf(std::move(o)), valueOf(std::move(p))}));
}

// `fail=orders,profile`: which parts throw. Unknown names are a 422 (a typo would otherwise
// look like a run without failures).
std::variant<std::array<bool, kParts.size()>, HttpResponse> parseFailingParts(const HttpRequest &request)
{
    std::array<bool, kParts.size()> failing{};
    const std::optional<QString> raw = request.queryParam("fail");
    if (!raw)
        return failing;
    for (const QString &name : raw->split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QByteArray wanted = name.trimmed().toLatin1();
        bool known = false;
        for (size_t i = 0; i < kParts.size(); ++i) {
            if (partName(kParts[i]) == wanted) {
                failing[i] = true;
                known = true;
            }
        }
        if (!known) {
            return validationError(QJsonArray{queryError(
                "fail", name, QStringLiteral("enum"),
                QStringLiteral("Input should be 'user', 'orders' or 'profile'"),
                QJsonObject{{QStringLiteral("expected"), QStringLiteral("'user', 'orders' or 'profile'")}})});
        }
    }
    return failing;
}

QCoro::Task<QByteArray> slowOperation(Ms duration, std::stop_token stop)
{
    co_await async::sleep(duration, std::move(stop));
    co_return QByteArrayLiteral("done");
}

QCoro::Task<HttpResponse> withTimeoutEndpoint(Ms work, Ms timeout)
{
    auto operation = [work](std::stop_token stop) { return slowOperation(work, std::move(stop)); };
    const std::optional<QByteArray> result = co_await async::withTimeout(std::move(operation), timeout);
    if (!result)
        co_return HttpResponse::error(408, QStringLiteral("Operation timed out"));
    co_return HttpResponse::json(200, QByteArray("{\"result\":\"" + *result + "\"}"));
}

QCoro::Task<HttpResponse> multiTimeoutEndpoint(Ms userDelay, Ms ordersDelay, Ms budget)
{
    // asyncio.wait(tasks, timeout=budget): each task gets the same deadline, started together;
    // a task still running at the deadline is stopped through its token (task.cancel()).
    auto fetchUser = [userDelay](std::stop_token stop) {
        return fetchPart(Part::User, userDelay, 1, false, std::move(stop));
    };
    auto fetchOrders = [ordersDelay](std::stop_token stop) {
        return fetchPart(Part::Orders, ordersDelay, 1, false, std::move(stop));
    };
    auto user = async::withTimeout(std::move(fetchUser), budget);
    auto orders = async::withTimeout(std::move(fetchOrders), budget);
    auto [u, o] = co_await async::gather(std::move(user), std::move(orders));
    QByteArray results;
    int pending = 0;
    for (const std::optional<QByteArray> *done : {&u, &o}) {
        if (!*done) {
            ++pending;
            continue;
        }
        if (!results.isEmpty())
            results += ',';
        results += **done;
    }
    co_return HttpResponse::json(200, QByteArray("{\"results\":[" + results +
                                                 "],\"pending_count\":" + QByteArray::number(pending) + '}'));
}

qint64 userIdOf(const HttpRequest &request)
{
    return request.pathParam("user_id")->intValue;
}

} // namespace

void addConcurrencyRoutes(http::Router &router, settings::SettingsStore &settings)
{
    // Handlers copy what they need out of the request and settings, then hand plain values to
    // free coroutines: nothing in a coroutine frame refers to the handler object.
    SettingsStore *store = &settings;

    router.addGetAsync("/async",
                       [store](const HttpRequest &) { return asyncEndpoint(ioDelay(*store, 1.0)); });
    router.addGetAsync(
        "/sync", [store](const HttpRequest &) { return syncEndpoint(async::scaledDelay(*store, 1.0)); });
    router.addGet("/blocking", [store](const HttpRequest &) {
        // The anti-pattern of FAQ Q2, on purpose: this worker's event loop stops here.
        blockingIo(async::scaledDelay(*store, 1.0));
        return HttpResponse::json(200, QByteArrayLiteral("{\"result\":\"done\"}"));
    });
    router.addGetAsync("/non-blocking", [store](const HttpRequest &) {
        return nonBlockingEndpoint(async::scaledDelay(*store, 1.0));
    });

    router.addGetAsync("/user/{user_id:int}/serial", [store](const HttpRequest &request) {
        return userSerial(ioDelay(*store, 0.5), userIdOf(request));
    });
    router.addGetAsync("/user/{user_id:int}/concurrent", [store](const HttpRequest &request) {
        return userConcurrent(ioDelay(*store, 0.5), userIdOf(request));
    });
    router.addGetAsync("/user/{user_id:int}/safe-concurrent", [store](const HttpRequest &request) {
        auto parsed = parseFailingParts(request);
        if (auto *error = std::get_if<HttpResponse>(&parsed))
            return ready(std::move(*error));
        auto failing = std::get<0>(parsed);
        const double failureRate = store->view().simulation.failureRate;
        for (bool &fails : failing)
            fails = fails || (failureRate > 0 && QRandomGenerator::global()->generateDouble() < failureRate);
        return userSafeConcurrent(ioDelay(*store, 0.5), userIdOf(request), failing);
    });

    router.addGetAsync("/with-timeout", [store](const HttpRequest &request) {
        QJsonArray errors;
        const auto work = secondsParam(request, "work", 10, errors);
        const auto timeout = secondsParam(request, "timeout", 5, errors);
        if (!errors.isEmpty())
            return ready(validationError(errors));
        const double scale = store->view().simulation.ioScale;
        return withTimeoutEndpoint(ioDelay(scale, *work), ioDelay(scale, *timeout));
    });
    router.addGetAsync("/multi-timeout", [store](const HttpRequest &request) {
        QJsonArray errors;
        const auto slow = secondsParam(request, "slow", 0.5, errors);
        const auto budget = secondsParam(request, "budget", 2, errors);
        if (!errors.isEmpty())
            return ready(validationError(errors));
        const double scale = store->view().simulation.ioScale;
        return multiTimeoutEndpoint(ioDelay(scale, 0.5), ioDelay(scale, *slow), ioDelay(scale, *budget));
    });
}

} // namespace perflab::lab
