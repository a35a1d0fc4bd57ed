// See DbRoutes.h.
#include "engine/lab/DbRoutes.h"

#include "engine/db/ConnectionPool.h"
#include "engine/db/UserQueries.h"
#include "engine/http/RequestValidation.h"
#include "engine/http/Router.h"
#include "engine/lab/DbRequestBodies.h"

#include <QJsonDocument>
#include <QStringList>

#include <chrono>
#include <limits>
#include <memory>
#include <optional>

namespace perflab::lab {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

QJsonObject queryIssue(QByteArrayView name, const QString &input, const QString &type, const QString &message,
                       const QJsonObject &context = {})
{
    return http::validationIssue(type, QJsonArray{QStringLiteral("query"), QString::fromLatin1(name)},
                                 message, input, context);
}

// `name: int = Query(fallback, ge=min, le=max)`: the value, or nullopt with the issue added.
std::optional<qint64> intParam(const HttpRequest &request, QByteArrayView name, qint64 fallback, qint64 min,
                               qint64 max, QJsonArray &issues)
{
    const std::optional<QString> raw = request.queryParam(name);
    if (!raw)
        return fallback;
    bool ok = false;
    const qint64 value = raw->trimmed().toLongLong(&ok);
    if (!ok) {
        issues.append(queryIssue(
            name, *raw, QStringLiteral("int_parsing"),
            QStringLiteral("Input should be a valid integer, unable to parse string as an integer")));
        return std::nullopt;
    }
    if (value < min) {
        issues.append(queryIssue(name, *raw, QStringLiteral("greater_than_equal"),
                                 QStringLiteral("Input should be greater than or equal to %1").arg(min),
                                 QJsonObject{{QStringLiteral("ge"), double(min)}}));
        return std::nullopt;
    }
    if (value > max) {
        issues.append(queryIssue(name, *raw, QStringLiteral("less_than_equal"),
                                 QStringLiteral("Input should be less than or equal to %1").arg(max),
                                 QJsonObject{{QStringLiteral("le"), double(max)}}));
        return std::nullopt;
    }
    return value;
}

// `mode: Literal[fast, slow] = fast`: true for the slow twin, nullopt with the issue added.
std::optional<bool> slowMode(const HttpRequest &request, const QString &fast, const QString &slow,
                             QJsonArray &issues)
{
    const std::optional<QString> raw = request.queryParam("mode");
    if (!raw || *raw == fast)
        return false;
    if (*raw == slow)
        return true;
    const QString expected = QStringLiteral("'%1' or '%2'").arg(fast, slow);
    issues.append(queryIssue("mode", *raw, QStringLiteral("literal_error"),
                             QStringLiteral("Input should be ") + expected,
                             QJsonObject{{QStringLiteral("expected"), expected}}));
    return std::nullopt;
}

HttpResponse jsonResponse(int status, const QJsonObject &object)
{
    return HttpResponse::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// A statement failed: the database's words, as the server's fault.
HttpResponse databaseError(const QString &error)
{
    return HttpResponse::error(500, QStringLiteral("database error: %1").arg(error));
}

// Checks a connection out, runs `work(QSqlDatabase &) -> HttpResponse` on its thread, and
// adds the pool wait and the work's time to Server-Timing. No connection in time: 503 with
// the pool's message (exhausted, or the database unreachable).
template <typename Work> QCoro::Task<HttpResponse> withConnection(db::ConnectionPool &pool, Work work)
{
    const Clock::time_point asked = Clock::now();
    auto outcome = co_await pool.checkout();
    const double poolMs = msSince(asked);
    if (auto *error = std::get_if<db::PoolError>(&outcome)) {
        HttpResponse refused = HttpResponse::error(503, error->message);
        refused.addTiming(QByteArrayLiteral("pool"), poolMs);
        co_return refused;
    }
    db::PooledConnection &connection = std::get<db::PooledConnection>(outcome);
    const Clock::time_point started = Clock::now();
    HttpResponse response = co_await connection.run(std::move(work));
    connection.release(); // back to the pool before the response is written
    response.addTiming(QByteArrayLiteral("pool"), poolMs);
    response.addTiming(QByteArrayLiteral("db"), msSince(started));
    co_return response;
}

HttpResponse usersResponse(const db::RowsResult &result, QJsonObject extra = {})
{
    if (!result.error.isEmpty())
        return databaseError(result.error);
    extra.insert(QStringLiteral("users"), result.rows);
    return jsonResponse(200, extra);
}

constexpr qint64 kMaxPageSize = 1000;
constexpr qint64 kMaxLimit = 100'000;
constexpr qint64 kDefaultLimit = 1000;

class DbRoutes
{
public:
    explicit DbRoutes(db::ConnectionPool &pool) : m_pool(pool) {}

    QCoro::Task<HttpResponse> offsetPage(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto page = intParam(request, "page", 1, 1, 1'000'000'000, issues);
        const auto size = intParam(request, "size", 20, 1, kMaxPageSize, issues);
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [page = *page, size = int(*size)](QSqlDatabase &database) {
            return usersResponse(db::usersOffsetPage(database, page, size),
                                 {{QStringLiteral("page"), double(page)}, {QStringLiteral("size"), size}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> cursorPage(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto cursor = intParam(request, "cursor", 0, 0, std::numeric_limits<qint64>::max(), issues);
        const auto size = intParam(request, "size", 20, 1, kMaxPageSize, issues);
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [cursor = *cursor, size = int(*size)](QSqlDatabase &database) {
            const db::RowsResult result = db::usersAfterCursor(database, cursor, size);
            // The guide's next_cursor: the last id of this page, null when the page is empty.
            const QJsonValue next = result.rows.isEmpty()
                                        ? QJsonValue(QJsonValue::Null)
                                        : result.rows.last().toObject().value(QStringLiteral("id"));
            return usersResponse(result, {{QStringLiteral("next_cursor"), next}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> names(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto limit = intParam(request, "limit", kDefaultLimit, 1, kMaxLimit, issues);
        const auto whole = slowMode(request, QStringLiteral("columns"), QStringLiteral("whole_rows"), issues);
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [limit = int(*limit), whole = *whole](QSqlDatabase &database) {
            return usersResponse(db::userNames(database, limit, whole));
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> partial(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto limit = intParam(request, "limit", kDefaultLimit, 1, kMaxLimit, issues);
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [limit = int(*limit)](QSqlDatabase &database) {
            return usersResponse(db::usersPartial(database, limit));
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> byIds(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto nPlusOne = slowMode(request, QStringLiteral("in"), QStringLiteral("n_plus_1"), issues);
        auto ids = parseIdList(request.body);
        if (auto *bodyIssues = std::get_if<QJsonArray>(&ids)) {
            for (const QJsonValue &issue : *bodyIssues)
                issues.append(issue);
        }
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [ids = std::get<QList<qint64>>(std::move(ids)),
                     nPlusOne = *nPlusOne](QSqlDatabase &database) {
            const db::RowsResult result = db::usersByIds(database, ids, nPlusOne);
            return usersResponse(result, {{QStringLiteral("queries"), result.statements}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> count(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto naive = slowMode(request, QStringLiteral("count"), QStringLiteral("naive"), issues);
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [naive = *naive](QSqlDatabase &database) {
            const db::CountResult result = db::countUsers(database, naive);
            if (!result.error.isEmpty())
                return databaseError(result.error);
            return jsonResponse(200, {{QStringLiteral("count"), double(result.count)}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> bulkInsert(const HttpRequest &request)
    {
        QJsonArray issues;
        const auto rowByRow = slowMode(request, QStringLiteral("bulk"), QStringLiteral("row_by_row"), issues);
        auto users = parseNewUsers(request.body);
        if (auto *bodyIssues = std::get_if<QJsonArray>(&users)) {
            for (const QJsonValue &issue : *bodyIssues)
                issues.append(issue);
        }
        if (!issues.isEmpty())
            co_return http::unprocessable(issues);
        auto work = [users = std::get<std::vector<db::NewUser>>(std::move(users)),
                     rowByRow = *rowByRow](QSqlDatabase &database) {
            const db::WriteResult result = db::insertUsers(database, users, rowByRow);
            if (!result.error.isEmpty())
                return databaseError(result.error);
            QJsonArray ids;
            for (qint64 id : result.ids)
                ids.append(double(id));
            return jsonResponse(201, {{QStringLiteral("inserted"), double(result.rows)},
                                      {QStringLiteral("statements"), result.statements},
                                      {QStringLiteral("ids"), ids}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> bulkStatus(const HttpRequest &request)
    {
        auto parsed = parseBulkStatus(request.body);
        if (auto *issues = std::get_if<QJsonArray>(&parsed))
            co_return http::unprocessable(*issues);
        auto work = [status = std::get<BulkStatus>(std::move(parsed))](QSqlDatabase &database) {
            const db::WriteResult result = db::setUsersActive(database, status.ids, status.isActive);
            if (!result.error.isEmpty())
                return databaseError(result.error);
            return jsonResponse(200, {{QStringLiteral("updated"), double(result.rows)}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

    QCoro::Task<HttpResponse> bulkDelete(const HttpRequest &request)
    {
        auto parsed = parseIdList(request.body);
        if (auto *issues = std::get_if<QJsonArray>(&parsed))
            co_return http::unprocessable(*issues);
        auto work = [ids = std::get<QList<qint64>>(std::move(parsed))](QSqlDatabase &database) {
            const db::WriteResult result = db::deleteUsers(database, ids);
            if (!result.error.isEmpty())
                return databaseError(result.error);
            return jsonResponse(200, {{QStringLiteral("deleted"), double(result.rows)}});
        };
        co_return co_await withConnection(m_pool, std::move(work));
    }

private:
    db::ConnectionPool &m_pool;
};

} // namespace

void addDbRoutes(http::Router &router, db::ConnectionPool &pool)
{
    auto routes = std::make_shared<DbRoutes>(pool);
    using Member = QCoro::Task<HttpResponse> (DbRoutes::*)(const HttpRequest &);
    const auto add = [&](http::Method method, QByteArrayView pattern, Member member) {
        router.add(
            method, pattern,
            {{}, [routes, member](const HttpRequest &request) { return ((*routes).*member)(request); }, {}});
    };
    add(http::Method::Get, "/db/users", &DbRoutes::offsetPage);
    add(http::Method::Get, "/db/users/cursor", &DbRoutes::cursorPage);
    add(http::Method::Get, "/db/users/names", &DbRoutes::names);
    add(http::Method::Get, "/db/users/partial", &DbRoutes::partial);
    add(http::Method::Post, "/db/users/by-ids", &DbRoutes::byIds);
    add(http::Method::Get, "/db/users/count", &DbRoutes::count);
    add(http::Method::Post, "/db/users/bulk", &DbRoutes::bulkInsert);
    add(http::Method::Put, "/db/users/bulk-status", &DbRoutes::bulkStatus);
    add(http::Method::Delete, "/db/users/bulk", &DbRoutes::bulkDelete);
}

} // namespace perflab::lab
