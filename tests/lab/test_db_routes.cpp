// The database lab end to end (guide chapter 4): a LabServer on a real database (a
// SQLite file, or with PERFLAB_TEST_DB_BACKEND=postgresql a database of this suite's own on
// the test command's PostgreSQL), its demo dataset made at start, and every /db/users route
// and mode, /users/{id} on the real table, pool exhaustion as 503, the slow-query log and the
// figures in /admin/stats and /metrics, all over loopback sockets.
#include "PoolTestSupport.h"
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/lab/DbRequestBodies.h"
#include "engine/lab/LabServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject objectOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

QList<qint64> idsOf(const QJsonArray &users)
{
    QList<qint64> ids;
    for (const QJsonValue &user : users)
        ids.append(user.toObject().value(QStringLiteral("id")).toInteger());
    return ids;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> ids;
    for (qint64 id = first; id <= last; ++id)
        ids.append(id);
    return ids;
}

QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
{
    QByteArray bytes = method + " " + path + " HTTP/1.1\r\nHost: test\r\n";
    if (!body.isNull())
        bytes +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return bytes + "\r\n" + body;
}

// "type@loc.loc" of each item of a 422's detail.
QStringList issuesOf(const RawResponse &response)
{
    QStringList issues;
    for (const QJsonValue &item : objectOf(response).value(QStringLiteral("detail")).toArray()) {
        QStringList loc;
        for (const QJsonValue &part : item.toObject().value(QStringLiteral("loc")).toArray())
            loc.append(part.isString() ? part.toString() : QString::number(part.toInteger()));
        issues.append(item.toObject().value(QStringLiteral("type")).toString() + u'@' + loc.join(u'.'));
    }
    return issues;
}

// A fresh PostgreSQL database for this suite on the test command's server.
std::optional<QString> freshPostgresDatabase(const QString &adminUrl, const QString &name, QString &url)
{
    const auto parsed = db::parseDatabaseUrl(adminUrl);
    if (auto *error = std::get_if<QString>(&parsed))
        return *error;
    const db::DatabaseUrl &admin = std::get<db::DatabaseUrl>(parsed);
    std::optional<QString> failure;
    {
        QSqlDatabase connection =
            QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("db-routes-admin"));
        connection.setHostName(admin.host);
        connection.setPort(admin.port);
        connection.setUserName(admin.userName);
        connection.setPassword(admin.password);
        connection.setDatabaseName(admin.databaseName);
        if (!connection.open()) {
            failure = connection.lastError().text();
        } else {
            QSqlQuery query(connection);
            if (!query.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name)) ||
                !query.exec(QStringLiteral("CREATE DATABASE %1").arg(name)))
                failure = query.lastError().text();
        }
        connection.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("db-routes-admin"));
    QString rebuilt = adminUrl;
    rebuilt.replace(rebuilt.lastIndexOf(u'/'), rebuilt.size(), u'/' + name);
    url = rebuilt;
    return failure;
}

} // namespace

class TestDbRoutes : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dataDir;
    QString m_url;
    std::unique_ptr<lab::LabServer> m_lab;

    RawResponse send(const QByteArray &bytes, int timeoutMs = 20000)
    {
        RawHttpClient client(m_lab->port());
        client.send(bytes);
        return client.readResponse(timeoutMs).value_or(RawResponse{});
    }
    RawResponse get(const QByteArray &path) { return send(request("GET", path)); }

    void patch(const QByteArray &json)
    {
        const RawResponse response = send(request("PATCH", "/admin/settings", json));
        QVERIFY2(response.status == 200, response.body.constData());
    }

    qint64 countUsers(const QByteArray &mode = "count")
    {
        const RawResponse response = get("/db/users/count?mode=" + mode);
        return response.status == 200 ? objectOf(response).value(QStringLiteral("count")).toInteger() : -1;
    }

    std::unique_ptr<lab::LabServer> startLab()
    {
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 2;
        config.dataDir = m_dataDir.path();
        config.warmUsers = 100;
        config.settings.database.url = m_url;
        config.settings.database.datasetUsers = kSmallDatasetUsers;
        config.settings.database.datasetOrders = kSmallDatasetOrders;
        config.settings.database.poolSize = 4;
        config.settings.database.maxOverflow = 2;
        auto lab = std::make_unique<lab::LabServer>(config);
        if (auto error = lab->start())
            qWarning("lab did not start: %s", qPrintable(error->message));
        return lab;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dataDir.isValid());
        m_url = QStringLiteral("sqlite:");
        if (qEnvironmentVariable("PERFLAB_TEST_DB_BACKEND") == QLatin1String("postgresql")) {
            const QString admin = qEnvironmentVariable("PERFLAB_TEST_PG_URL");
            QVERIFY2(!admin.isEmpty(), "PERFLAB_TEST_PG_URL is unset: run through scripts/test-all.sh");
            const auto error = freshPostgresDatabase(admin, QStringLiteral("perflab_db_routes_test"), m_url);
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
        }
        m_lab = startLab();
        QVERIFY(m_lab->port() > 0);
    }
    void cleanupTestCase() { m_lab.reset(); }

    void datasetIsMadeAtStartAndShownInStats()
    {
        const QJsonObject database = objectOf(get("/admin/stats"))
                                         .value(QStringLiteral("lab"))
                                         .toObject()
                                         .value(QStringLiteral("database"))
                                         .toObject();
        const QJsonObject dataset = database.value(QStringLiteral("dataset")).toObject();
        QCOMPARE(dataset.value(QStringLiteral("users")).toInteger(), kSmallDatasetUsers);
        QCOMPARE(dataset.value(QStringLiteral("orders")).toInteger(), kSmallDatasetOrders);
        QVERIFY(database.value(QStringLiteral("pool")).toObject().contains(QStringLiteral("in_use")));
        QCOMPARE(database.value(QStringLiteral("pool")).toObject().value(QStringLiteral("pool_size")).toInt(),
                 4);
        QVERIFY(!database.value(QStringLiteral("url")).toString().isEmpty());
    }

    void offsetPageReturnsFullRowsInIdOrder()
    {
        const RawResponse response = get("/db/users?page=3&size=10");
        QCOMPARE(response.status, 200);
        const QJsonObject body = objectOf(response);
        QCOMPARE(body.value(QStringLiteral("page")).toInt(), 3);
        QCOMPARE(body.value(QStringLiteral("size")).toInt(), 10);
        const QJsonArray users = body.value(QStringLiteral("users")).toArray();
        QCOMPARE(idsOf(users), range(21, 30));
        const QJsonObject first = users.first().toObject();
        QCOMPARE(first.keys(),
                 (QStringList{u"bio"_s, u"created_at"_s, u"email"_s, u"id"_s, u"is_active"_s, u"name"_s}));
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("User 21"));
        QVERIFY(first.value(QStringLiteral("is_active")).isBool());
        QVERIFY(first.value(QStringLiteral("email")).toString().contains(u'@'));
        // The pool wait and the database work are parts of the server's time.
        const QByteArray timing = response.header("server-timing");
        QVERIFY2(timing.contains("pool;dur=") && timing.contains("db;dur="), timing.constData());
    }

    void cursorPageMatchesTheOffsetPageAndEnds()
    {
        const RawResponse response = get("/db/users/cursor?cursor=20&size=10");
        QCOMPARE(response.status, 200);
        const QJsonObject body = objectOf(response);
        QCOMPARE(idsOf(body.value(QStringLiteral("users")).toArray()), range(21, 30));
        QCOMPARE(body.value(QStringLiteral("next_cursor")).toInteger(), 30);
        QCOMPARE(objectOf(get("/db/users?page=3&size=10")).value(QStringLiteral("users")),
                 body.value(QStringLiteral("users")));

        const QJsonObject end = objectOf(get("/db/users/cursor?cursor=999999999&size=10"));
        QVERIFY(end.value(QStringLiteral("users")).toArray().isEmpty());
        QVERIFY(end.value(QStringLiteral("next_cursor")).isNull());
    }

    void paginationParametersAreValidated()
    {
        const RawResponse response = get("/db/users?page=0&size=5000");
        QCOMPARE(response.status, 422);
        QCOMPARE(issuesOf(response),
                 (QStringList{u"greater_than_equal@query.page"_s, u"less_than_equal@query.size"_s}));
        QCOMPARE(issuesOf(get("/db/users/cursor?cursor=abc")), QStringList{u"int_parsing@query.cursor"_s});
    }

    void namesAndPartialSelectOnlyTheirColumns()
    {
        const QJsonArray names =
            objectOf(get("/db/users/names?limit=5")).value(QStringLiteral("users")).toArray();
        QCOMPARE(idsOf(names), range(1, 5));
        QCOMPARE(names.first().toObject().keys(), (QStringList{u"id"_s, u"name"_s}));
        // The slow twin reads whole rows and answers the same.
        QCOMPARE(
            objectOf(get("/db/users/names?limit=5&mode=whole_rows")).value(QStringLiteral("users")).toArray(),
            names);
        QCOMPARE(issuesOf(get("/db/users/names?mode=everything")),
                 QStringList{u"literal_error@query.mode"_s});

        const QJsonArray partial =
            objectOf(get("/db/users/partial?limit=3")).value(QStringLiteral("users")).toArray();
        QCOMPARE(idsOf(partial), range(1, 3));
        QCOMPARE(partial.first().toObject().keys(), (QStringList{u"email"_s, u"id"_s, u"name"_s}));
    }

    void byIdsInOneQueryOrOnePerId()
    {
        const QByteArray ids = "[5, 3, 3, 99999999, 1200]";
        const QJsonObject in = objectOf(send(request("POST", "/db/users/by-ids", ids)));
        QCOMPARE(idsOf(in.value(QStringLiteral("users")).toArray()), (QList<qint64>{3, 5, 1200}));
        QCOMPARE(in.value(QStringLiteral("queries")).toInt(), 1);
        const QJsonObject nPlusOne = objectOf(send(request("POST", "/db/users/by-ids?mode=n_plus_1", ids)));
        QCOMPARE(nPlusOne.value(QStringLiteral("users")), in.value(QStringLiteral("users")));
        QCOMPARE(nPlusOne.value(QStringLiteral("queries")).toInt(), 4); // one per distinct id
    }

    void byIdsBodyIsValidated()
    {
        const RawResponse notList = send(request("POST", "/db/users/by-ids", R"({"ids": [1]})"));
        QCOMPARE(notList.status, 422);
        QCOMPARE(issuesOf(notList), QStringList{u"list_type@body"_s});
        QCOMPARE(issuesOf(send(request("POST", "/db/users/by-ids", R"([1, "x", 2.5])"))),
                 (QStringList{u"int_parsing@body.1"_s, u"int_from_float@body.2"_s}));
        QByteArray tooMany = "[";
        for (int i = 0; i <= lab::kMaxIds; ++i)
            tooMany += (i ? "," : "") + QByteArray::number(i + 1);
        QCOMPARE(issuesOf(send(request("POST", "/db/users/by-ids", tooMany + "]"))),
                 QStringList{u"too_long@body"_s});
        QCOMPARE(issuesOf(send(request("POST", "/db/users/by-ids", "[1"))),
                 QStringList{u"json_invalid@body.2"_s});
    }

    void countAgreesBothWays()
    {
        const qint64 counted = countUsers();
        QVERIFY(counted >= kSmallDatasetUsers - 100); // other tests add and remove a few
        QCOMPARE(countUsers("naive"), counted);
        QCOMPARE(issuesOf(get("/db/users/count?mode=fast")), QStringList{u"literal_error@query.mode"_s});
    }

    void bulkInsertBothWaysWritesEveryRow_data()
    {
        QTest::addColumn<QByteArray>("mode");
        QTest::newRow("bulk") << QByteArray("bulk");
        QTest::newRow("row_by_row") << QByteArray("row_by_row");
    }

    void bulkInsertBothWaysWritesEveryRow()
    {
        QFETCH(QByteArray, mode);
        const qint64 before = countUsers();
        const QByteArray body = R"([{"name": "Ada", "email": "ada@example.com", "bio": "maths"},
                                    {"name": "Brian", "email": "brian@example.com", "is_active": false},
                                    {"name": "Cleo", "email": "cleo@example.com"}])";
        const RawResponse response = send(request("POST", "/db/users/bulk?mode=" + mode, body));
        QVERIFY2(response.status == 201, response.body.constData());
        const QJsonObject created = objectOf(response);
        QCOMPARE(created.value(QStringLiteral("inserted")).toInt(), 3);
        QCOMPARE(created.value(QStringLiteral("statements")).toInt(), mode == "bulk" ? 1 : 3);
        QJsonArray ids = created.value(QStringLiteral("ids")).toArray();
        QCOMPARE(ids.size(), 3);
        QVERIFY(ids.first().toInteger() > kSmallDatasetUsers); // after the dataset: the id sequence moved on
        QCOMPARE(countUsers(), before + 3);

        const QByteArray idList = QJsonDocument(ids).toJson(QJsonDocument::Compact);
        const QJsonArray rows = objectOf(send(request("POST", "/db/users/by-ids", idList)))
                                    .value(QStringLiteral("users"))
                                    .toArray();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Ada"));
        QCOMPARE(rows[0].toObject().value(QStringLiteral("bio")).toString(), QStringLiteral("maths"));
        QCOMPARE(rows[1].toObject().value(QStringLiteral("is_active")).toBool(), false);
        QCOMPARE(rows[2].toObject().value(QStringLiteral("is_active")).toBool(), true);
        // Leave the table as found.
        QCOMPARE(objectOf(send(request("DELETE", "/db/users/bulk", idList)))
                     .value(QStringLiteral("deleted"))
                     .toInt(),
                 3);
        QCOMPARE(countUsers(), before);
    }

    void bulkInsertWithABadRowWritesNothing()
    {
        const qint64 before = countUsers();
        const QByteArray body = R"([{"name": "Ok", "email": "ok@example.com"},
                                    {"name": "Bad", "email": "not-an-email"},
                                    {"email": "nameless@example.com", "is_active": "yes"}])";
        const RawResponse response = send(request("POST", "/db/users/bulk", body));
        QCOMPARE(response.status, 422);
        QCOMPARE(issuesOf(response), (QStringList{u"value_error@body.1.email"_s, u"missing@body.2.name"_s,
                                                  u"bool_type@body.2.is_active"_s}));
        QCOMPARE(countUsers(), before);
    }

    void bulkStatusUpdatesInOneStatement()
    {
        const QByteArray ids = "[10, 11, 12]";
        RawResponse response =
            send(request("PUT", "/db/users/bulk-status", R"({"ids": [10, 11, 12], "is_active": false})"));
        QCOMPARE(response.status, 200);
        QCOMPARE(objectOf(response).value(QStringLiteral("updated")).toInt(), 3);
        for (const QJsonValue &user : objectOf(send(request("POST", "/db/users/by-ids", ids)))
                                          .value(QStringLiteral("users"))
                                          .toArray())
            QCOMPARE(user.toObject().value(QStringLiteral("is_active")).toBool(), false);
        response =
            send(request("PUT", "/db/users/bulk-status", R"({"ids": [10, 11, 12], "is_active": true})"));
        QCOMPARE(objectOf(response).value(QStringLiteral("updated")).toInt(), 3);
        QCOMPARE(issuesOf(send(request("PUT", "/db/users/bulk-status", R"({"ids": "10"})"))),
                 (QStringList{u"list_type@body.ids"_s, u"missing@body.is_active"_s}));
    }

    void bulkDeleteRemovesUsersWithTheirOrders()
    {
        // Dataset users have orders (a foreign key): they go in the same transaction.
        const qint64 before = countUsers();
        const RawResponse response = send(request("DELETE", "/db/users/bulk", "[1990, 1991, 99999999]"));
        QCOMPARE(response.status, 200);
        QCOMPARE(objectOf(response).value(QStringLiteral("deleted")).toInt(), 2);
        QCOMPARE(countUsers(), before - 2);
        QCOMPARE(get("/users/1990").status, 404);
    }

    void usersRouteReadsTheRealTableThroughTheCache()
    {
        RawResponse response = get("/users/1500"); // beyond the 100 warmed at start
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray(R"({"source":"database","data":{"id":1500,"name":"User 1500"}})"));
        QCOMPARE(get("/users/1500").body,
                 QByteArray(R"({"source":"cache","data":{"id":1500,"name":"User 1500"}})"));
        QCOMPARE(get("/users/7").body, QByteArray(R"({"source":"cache","data":{"id":7,"name":"User 7"}})"));

        response = send(request("PUT", "/users/1500?name=Zed"));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray(R"({"id":1500,"name":"Zed"})"));
        QCOMPARE(get("/users/1500").body,
                 QByteArray(R"({"source":"database","data":{"id":1500,"name":"Zed"}})"));
        const QJsonArray row = objectOf(send(request("POST", "/db/users/by-ids", "[1500]")))
                                   .value(QStringLiteral("users"))
                                   .toArray();
        QCOMPARE(row.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Zed"));

        QCOMPARE(get("/users/99999999").status, 404);
        QCOMPARE(send(request("PUT", "/users/99999999?name=x")).status, 404);
    }

    void anExhaustedPoolAnswers503AfterTheTimeout()
    {
        patch(R"({"database": {"pool_size": 1, "max_overflow": 0, "pool_timeout_s": 0.3}})");
        // The test holds the only connection.
        db::PooledConnection held = db::testing::take(m_lab->database().pool());
        QElapsedTimer timer;
        timer.start();
        const RawResponse refused = get("/db/users/count");
        const qint64 waited = timer.elapsed();
        QCOMPARE(refused.status, 503);
        QCOMPARE(objectOf(refused).value(QStringLiteral("detail")).toString(),
                 QStringLiteral("database pool exhausted: size 1 overflow 0, waited 0.3 s"));
        QVERIFY2(waited >= 280, qPrintable(QString::number(waited))); // not before the timeout
        QCOMPARE(get("/users/1777").status, 503);                     // a cache miss needs the database too
        QCOMPARE(get("/users/7").status, 200);                        // a hit does not

        held.release();
        QCOMPARE(get("/db/users/count").status, 200);
        patch(R"({"database": {"pool_size": 4, "max_overflow": 2, "pool_timeout_s": 30}})");
    }

    void slowQueriesAreLoggedByFingerprint()
    {
        QCOMPARE(send(request("DELETE", "/admin/slow-queries")).status, 204);
        patch(R"({"database": {"slow_query_ms": 0}})");
        QCOMPARE(send(request("POST", "/db/users/by-ids?mode=n_plus_1", "[1, 2, 3]")).status, 200);
        patch(R"({"database": {"slow_query_ms": 500}})");

        const RawResponse response = get("/admin/slow-queries");
        QCOMPARE(response.status, 200);
        const QJsonObject log = objectOf(response);
        const QJsonArray queries = log.value(QStringLiteral("queries")).toArray();
        QJsonObject perId;
        for (const QJsonValue &query : queries) {
            if (query.toObject()
                    .value(QStringLiteral("fingerprint"))
                    .toString()
                    .contains(QStringLiteral("WHERE id = ?")))
                perId = query.toObject();
        }
        QVERIFY2(!perId.isEmpty(), response.body.constData());
        QCOMPARE(perId.value(QStringLiteral("count")).toInt(), 3); // three statements, one fingerprint
        QVERIFY(perId.value(QStringLiteral("example")).toString().contains(QStringLiteral("WHERE id = ")));
        QVERIFY(!perId.value(QStringLiteral("example")).toString().contains(u'?'));

        const QByteArray metrics = get("/metrics").body;
        QVERIFY(metrics.contains("db_slow_queries_total"));
        QVERIFY(metrics.contains("db_query_duration_seconds_bucket"));
        QVERIFY(metrics.contains("db_pool_connections{state=\"idle\"}"));
    }

    void aRestartReusesTheDataset()
    {
        m_lab.reset();
        m_lab = startLab();
        QVERIFY(m_lab->port() > 0);
        const QJsonObject dataset = objectOf(get("/admin/stats"))
                                        .value(QStringLiteral("lab"))
                                        .toObject()
                                        .value(QStringLiteral("database"))
                                        .toObject()
                                        .value(QStringLiteral("dataset"))
                                        .toObject();
        QCOMPARE(dataset.value(QStringLiteral("reused")).toBool(), true);
        QCOMPARE(get("/users/1500").body,
                 QByteArray(R"({"source":"database","data":{"id":1500,"name":"Zed"}})"));
    }
};

QTEST_GUILESS_MAIN(TestDbRoutes)
#include "test_db_routes.moc"
