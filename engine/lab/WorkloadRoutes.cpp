// See WorkloadRoutes.h.
#include "engine/lab/WorkloadRoutes.h"

#include "engine/http/RequestValidation.h"

#include "engine/async/Gather.h"
#include "engine/async/SimulatedIo.h"
#include "engine/async/Sleep.h"
#include "engine/http/Router.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

namespace perflab::lab {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using settings::SettingsStore;
using Ms = std::chrono::milliseconds;

constexpr qsizetype kMaxBatchItems = 1000;
constexpr auto kCpuBudget = std::chrono::milliseconds(5);

Ms ioDelay(const SettingsStore &settings, double guideSeconds)
{
    return std::chrono::ceil<Ms>(async::scaledDelay(settings, guideSeconds));
}

QCoro::Task<HttpResponse> ready(HttpResponse response)
{
    co_return response;
}

// ---- /limited, /queued -------------------------------------------------------------------

QCoro::Task<HttpResponse> limitedOperation(Ms delay)
{
    co_await async::sleep(delay);
    co_return HttpResponse::json(200, QByteArrayLiteral("{\"result\":\"done\"}"));
}

// ---- /batch ------------------------------------------------------------------------------

QCoro::Task<QJsonObject> processItem(Ms delay, QJsonValue item)
{
    co_await async::sleep(delay);
    co_return QJsonObject{{QStringLiteral("item"), item}, {QStringLiteral("processed"), true}};
}

QCoro::Task<HttpResponse> batchOperation(Ms delay, QJsonArray items)
{
    std::vector<QCoro::Task<QJsonObject>> tasks;
    tasks.reserve(size_t(items.size()));
    for (const QJsonValue &item : std::as_const(items))
        tasks.push_back(processItem(delay, item));
    const std::vector<QJsonObject> processed = co_await async::gather(std::move(tasks));
    QJsonArray results;
    for (const QJsonObject &result : processed)
        results.append(result);
    co_return HttpResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("results"), results}}));
}

HttpResponse bodyError(const QString &type, const QString &message, const QJsonValue &input,
                       QJsonArray loc = {}, const QJsonObject &context = {})
{
    loc.prepend(QStringLiteral("body"));
    return http::unprocessable(QJsonArray{http::validationIssue(type, loc, message, input, context)});
}

// `items: list[...]` as FastAPI validates a JSON body: the array, or the 422 to send.
std::variant<QJsonArray, HttpResponse> parseItems(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return bodyError(QStringLiteral("missing"), QStringLiteral("Field required"), QJsonValue::Null);
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonDocument takes only objects and arrays; a scalar is valid JSON, just not a list.
        const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray('[' + body + ']'));
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return bodyError(QStringLiteral("list_type"), QStringLiteral("Input should be a valid list"),
                             wrapped.array().first());
        return bodyError(QStringLiteral("json_invalid"), QStringLiteral("JSON decode error"), QJsonObject{},
                         QJsonArray{error.offset},
                         QJsonObject{{QStringLiteral("error"), error.errorString()}});
    }
    if (!document.isArray())
        return bodyError(QStringLiteral("list_type"), QStringLiteral("Input should be a valid list"),
                         document.object());
    QJsonArray items = document.array();
    if (items.size() > kMaxBatchItems) {
        return bodyError(QStringLiteral("too_long"),
                         QStringLiteral("List should have at most %1 items after validation, not %2")
                             .arg(kMaxBatchItems)
                             .arg(items.size()),
                         QJsonValue::Null, {},
                         QJsonObject{{QStringLiteral("field_type"), QStringLiteral("List")},
                                     {QStringLiteral("max_length"), kMaxBatchItems},
                                     {QStringLiteral("actual_length"), items.size()}});
    }
    return items;
}

// ---- /profile-test -----------------------------------------------------------------------

// One timed step of a profile and the steps inside it. Steps that run concurrently are
// siblings whose intervals overlap. A request's spans all live on its worker thread: no lock.
class Span
{
public:
    using Clock = std::chrono::steady_clock;

    Span(QString name, Clock::time_point origin)
        : m_name(std::move(name)), m_origin(origin), m_start(Clock::now())
    {
    }

    // Starts a child now. The reference stays valid for the parent's lifetime.
    Span &child(QString name)
    {
        m_children.push_back(std::make_unique<Span>(std::move(name), m_origin));
        return *m_children.back();
    }

    void finish() { m_end = Clock::now(); }

    QJsonObject toJson() const
    {
        QJsonObject json{
            {QStringLiteral("name"), m_name},
            {QStringLiteral("start_ms"), milliseconds(m_start - m_origin)},
            {QStringLiteral("duration_ms"), milliseconds(m_end - m_start)},
        };
        if (!m_children.empty()) {
            QJsonArray children;
            for (const auto &child : m_children)
                children.append(child->toJson());
            json.insert(QStringLiteral("children"), children);
        }
        return json;
    }

private:
    static double milliseconds(Clock::duration duration)
    {
        // Microsecond resolution: finer digits are noise.
        return double(std::chrono::duration_cast<std::chrono::microseconds>(duration).count()) / 1000.0;
    }

    QString m_name;
    Clock::time_point m_origin;
    Clock::time_point m_start;
    Clock::time_point m_end = m_start;
    std::vector<std::unique_ptr<Span>> m_children;
};

// Some honest CPU work: trial-division prime search for `budget`. Time-bounded rather than
// sized, so the profile has the same shape in debug and release builds.
QJsonObject searchPrimes(std::chrono::nanoseconds budget)
{
    const auto deadline = Span::Clock::now() + budget;
    qint64 count = 0;
    qint64 largest = 0;
    for (qint64 candidate = 2;; ++candidate) {
        bool prime = true;
        for (qint64 divisor = 2; divisor * divisor <= candidate; ++divisor) {
            if (candidate % divisor == 0) {
                prime = false;
                break;
            }
        }
        if (prime) {
            ++count;
            largest = candidate;
        }
        if (candidate % 256 == 0 && Span::Clock::now() >= deadline)
            break;
    }
    return QJsonObject{{QStringLiteral("count"), count}, {QStringLiteral("largest"), largest}};
}

// A simulated query (the guide's fetch_*) timed by `span`.
QCoro::Task<QJsonValue> timedQuery(Span &span, Ms delay, QJsonValue result)
{
    co_await async::sleep(delay);
    span.finish();
    co_return result;
}

QCoro::Task<HttpResponse> profileTest(Ms queryDelay)
{
    const auto origin = Span::Clock::now();
    Span root(QStringLiteral("profile-test"), origin);

    Span &cpu = root.child(QStringLiteral("cpu"));
    const QJsonObject primes = searchPrimes(kCpuBudget);
    cpu.finish();

    Span &gather = root.child(QStringLiteral("gather"));
    auto user = timedQuery(
        gather.child(QStringLiteral("fetch_user")), queryDelay,
        QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("User 1")}});
    QJsonArray orderList;
    for (int i = 0; i < 3; ++i)
        orderList.append(QJsonObject{{QStringLiteral("order_id"), i}});
    auto orders = timedQuery(gather.child(QStringLiteral("fetch_orders")), queryDelay, orderList);
    auto [userValue, ordersValue] = co_await async::gather(std::move(user), std::move(orders));
    gather.finish();

    Span &profileSpan = root.child(QStringLiteral("fetch_profile"));
    const QJsonObject profileValue{{QStringLiteral("bio"), QStringLiteral("User bio")},
                                   {QStringLiteral("avatar"), QStringLiteral("avatar.jpg")}};
    const QJsonValue profile = co_await timedQuery(profileSpan, queryDelay, profileValue);
    root.finish();

    const QJsonObject result{
        {QStringLiteral("user"), userValue},
        {QStringLiteral("orders"), ordersValue},
        {QStringLiteral("profile"), profile},
        {QStringLiteral("primes"), primes},
    };
    co_return HttpResponse::json(200, QJsonDocument(QJsonObject{{QStringLiteral("result"), result},
                                                                {QStringLiteral("profile"), root.toJson()}}));
}

} // namespace

void addWorkloadRoutes(http::Router &router, settings::SettingsStore &settings)
{
    const SettingsStore *store = &settings;
    router.addGetAsync("/limited",
                       [store](const HttpRequest &) { return limitedOperation(ioDelay(*store, 1.0)); });
    router.addGetAsync("/queued",
                       [store](const HttpRequest &) { return limitedOperation(ioDelay(*store, 1.0)); });
    router.add(http::Method::Post, "/batch",
               {{}, [store](const HttpRequest &request) {
                    auto items = parseItems(request.body);
                    if (auto *error = std::get_if<HttpResponse>(&items))
                        return ready(std::move(*error));
                    return batchOperation(ioDelay(*store, 0.1), std::get<QJsonArray>(std::move(items)));
                }});
    router.addGetAsync("/profile-test",
                       [store](const HttpRequest &) { return profileTest(ioDelay(*store, 0.5)); });
}

} // namespace perflab::lab
