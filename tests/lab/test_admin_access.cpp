// Who may use /admin, over real sockets (every connection goes to 127.0.0.1):
//  - a lab bound to 0.0.0.0 (so, reachable from other machines) generates a token and refuses
//    every /admin request without it or with a wrong one (401, WWW-Authenticate: Bearer, the
//    lab's {"detail": ...}) and the request changes nothing; the right token, as a Bearer
//    token or X-Admin-Token, goes through; other routes need nothing;
//  - a lab bound to 127.0.0.1 is open, as before; one given a token explicitly is not;
//  - the token, the loopback rule and the constant-time comparison themselves;
//  - GET/PATCH /admin/settings and the settings events mask database.url's password.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/lab/AdminAccess.h"
#include "engine/lab/AdminToken.h"
#include "engine/lab/LabServer.h"
#include "engine/metrics/TimeSeriesStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

namespace {

std::unique_ptr<lab::LabServer> startLab(const QString &host, const QString &dataDir,
                                         const QString &token = {})
{
    lab::LabServerConfig config;
    config.server.host = host;
    config.server.port = 0;
    config.server.threads = 1;
    config.dataDir = dataDir;
    config.warmUsers = 10;
    config.settings.database.datasetUsers = kSmallDatasetUsers;
    config.settings.database.datasetOrders = kSmallDatasetOrders;
    config.adminToken = token;
    auto lab = std::make_unique<lab::LabServer>(config);
    if (auto error = lab->start()) {
        qWarning("lab did not start: %s", qPrintable(error->message));
        return nullptr;
    }
    return lab;
}

QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &headers = {},
                   const QByteArray &body = {})
{
    QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: t\r\n" + headers;
    if (!body.isEmpty())
        raw +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return raw + "\r\n" + body;
}

QByteArray bearer(const QString &token)
{
    return "Authorization: Bearer " + token.toLatin1() + "\r\n";
}

// {"section": {"field": value}} as the body of a PATCH.
QByteArray patchOf(const char *section, const char *field, const QJsonValue &value)
{
    const QJsonObject fields{{QString::fromLatin1(field), value}};
    return QJsonDocument(QJsonObject{{QString::fromLatin1(section), fields}}).toJson(QJsonDocument::Compact);
}

QJsonObject objectOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace

class TestAdminAccess : public QObject
{
    Q_OBJECT
    QTemporaryDir m_exposedDir;
    QTemporaryDir m_loopbackDir;
    std::unique_ptr<lab::LabServer> m_exposed; // bound to 0.0.0.0, token generated

    RawResponse send(lab::LabServer &lab, const QByteArray &raw, bool head = false)
    {
        // The lab listens on every address; the test only ever talks to loopback.
        RawHttpClient client(lab.port(), QStringLiteral("127.0.0.1"));
        client.send(raw);
        return client.readResponse(5000, head).value_or(RawResponse{});
    }

    double ttlSeen(lab::LabServer &lab)
    {
        const RawResponse got = send(lab, request("GET", "/admin/settings", bearer(lab.adminToken())));
        return objectOf(got)[QStringLiteral("cache")][QStringLiteral("ttl_s")].toDouble();
    }

    // A refusal as the lab answers it: 401, the Bearer challenge and a JSON detail.
    static bool isRefusal(const RawResponse &response)
    {
        return response.status == 401 && response.header("www-authenticate") == "Bearer" &&
               response.header("content-type") == "application/json" &&
               objectOf(response)[QStringLiteral("detail")].isString();
    }

    // A wrong token as long as the right one, differing in its last character only.
    static QString nearMiss(const QString &token)
    {
        QString wrong = token;
        wrong[wrong.size() - 1] = wrong.back() == u'A' ? u'B' : u'A';
        return wrong;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_exposed = startLab(QStringLiteral("0.0.0.0"), m_exposedDir.path());
        QVERIFY(m_exposed);
        QVERIFY(m_exposed->adminTokenGenerated());
        QVERIFY(!m_exposed->adminToken().isEmpty());
    }
    void cleanupTestCase() { m_exposed.reset(); }

    void patchWithoutTheTokenIsRefusedAndChangesNothing()
    {
        lab::LabServer &lab = *m_exposed;
        const double before = ttlSeen(lab);
        QVERIFY(before > 0);
        const QByteArray patch = patchOf("cache", "ttl_s", before + 7);

        const RawResponse none = send(lab, request("PATCH", "/admin/settings", {}, patch));
        QVERIFY2(isRefusal(none), none.body.constData());
        QVERIFY2(none.body.contains("Authorization: Bearer"), none.body.constData()); // says what is missing
        QCOMPARE(ttlSeen(lab), before);
        QCOMPARE(lab.settings().view().cache.ttlS, before);

        const RawResponse wrong =
            send(lab, request("PATCH", "/admin/settings", bearer(nearMiss(lab.adminToken())), patch));
        QVERIFY2(isRefusal(wrong), wrong.body.constData());
        QCOMPARE(ttlSeen(lab), before);

        // Other ways of getting it wrong: another scheme, an empty token, a prefix of the token.
        for (const QByteArray &header :
             {QByteArray("Authorization: Basic " + lab.adminToken().toLatin1() + "\r\n"),
              QByteArray("Authorization: Bearer \r\n"),
              bearer(lab.adminToken().left(lab.adminToken().size() - 1)),
              QByteArray("X-Admin-Token: " + nearMiss(lab.adminToken()).toLatin1() + "\r\n")}) {
            const RawResponse refused = send(lab, request("PATCH", "/admin/settings", header, patch));
            QVERIFY2(isRefusal(refused), header.constData());
        }
        QCOMPARE(lab.settings().view().cache.ttlS, before);
    }

    void patchWithTheTokenIsApplied()
    {
        lab::LabServer &lab = *m_exposed;
        const double before = ttlSeen(lab);
        const RawResponse ok = send(lab, request("PATCH", "/admin/settings", bearer(lab.adminToken()),
                                                 patchOf("cache", "ttl_s", before + 7)));
        QCOMPARE(ok.status, 200);
        QCOMPARE(objectOf(ok)[QStringLiteral("cache")][QStringLiteral("ttl_s")].toDouble(), before + 7);
        QCOMPARE(ttlSeen(lab), before + 7);
        // The scheme is case-insensitive (RFC 9110), and X-Admin-Token carries it as well.
        const QByteArray lower = "authorization: bearer " + lab.adminToken().toLatin1() + "\r\n";
        QCOMPARE(send(lab, request("PATCH", "/admin/settings", lower, patchOf("cache", "ttl_s", 30))).status,
                 200);
        const QByteArray header = "X-Admin-Token: " + lab.adminToken().toLatin1() + "\r\n";
        QCOMPARE(send(lab, request("PATCH", "/admin/settings", header, patchOf("cache", "ttl_s", 31))).status,
                 200);
        QCOMPARE(ttlSeen(lab), 31.0);
    }

    void deleteSlowQueriesWithoutTheTokenKeepsThem()
    {
        lab::LabServer &lab = *m_exposed;
        lab.settings().patch(
            QJsonObject{{QStringLiteral("database"), QJsonObject{{QStringLiteral("slow_query_ms"), 0}}}});
        QCOMPARE(send(lab, request("GET", "/db/users/count")).status, 200); // every statement is slow now
        const auto logged = [&] {
            const RawResponse list =
                send(lab, request("GET", "/admin/slow-queries", bearer(lab.adminToken())));
            return objectOf(list)[QStringLiteral("queries")].toArray().size();
        };
        QVERIFY(logged() > 0);
        const qsizetype before = logged();

        QVERIFY(isRefusal(send(lab, request("DELETE", "/admin/slow-queries"))));
        QVERIFY(isRefusal(
            send(lab, request("DELETE", "/admin/slow-queries", bearer(nearMiss(lab.adminToken()))))));
        QVERIFY(isRefusal(send(lab, request("GET", "/admin/slow-queries"))));
        QCOMPARE(logged(), before);

        QCOMPARE(send(lab, request("DELETE", "/admin/slow-queries", bearer(lab.adminToken()))).status, 204);
        QCOMPARE(logged(), 0);
        lab.settings().patch(
            QJsonObject{{QStringLiteral("database"), QJsonObject{{QStringLiteral("slow_query_ms"), 200}}}});
    }

    void everyAdminPathNeedsTheToken()
    {
        lab::LabServer &lab = *m_exposed;
        QVERIFY(isRefusal(send(lab, request("GET", "/admin/stats"))));
        QVERIFY(isRefusal(send(lab, request("GET", "/admin/settings"))));
        const RawResponse head = send(lab, request("HEAD", "/admin/settings"), true);
        QCOMPARE(head.status, 401);
        QCOMPARE(head.header("www-authenticate"), QByteArray("Bearer"));
        // Not even a 404 or 405 to a stranger: which admin routes exist is nobody else's business.
        QVERIFY(isRefusal(send(lab, request("GET", "/admin/no-such-route"))));
        QVERIFY(isRefusal(send(lab, request("POST", "/admin/settings", {}, "{}"))));
        QCOMPARE(send(lab, request("GET", "/admin/stats", bearer(lab.adminToken()))).status, 200);
        QCOMPARE(send(lab, request("GET", "/admin/no-such-route", bearer(lab.adminToken()))).status, 404);
    }

    void otherRoutesNeedNoToken()
    {
        lab::LabServer &lab = *m_exposed;
        QCOMPARE(send(lab, request("GET", "/hello")).status, 200);
        QCOMPARE(send(lab, request("GET", "/metrics")).status, 200);
        QCOMPARE(send(lab, request("GET", "/users/1")).status, 200);
        QCOMPARE(send(lab, request("GET", "/administrator")).status,
                 404); // a prefix of a word is not the prefix
    }

    void loopbackLabIsOpen()
    {
        QTemporaryDir dir;
        auto lab = startLab(QStringLiteral("127.0.0.1"), dir.path());
        QVERIFY(lab);
        QVERIFY(lab->adminToken().isEmpty());
        QVERIFY(!lab->adminTokenGenerated());
        const RawResponse ok =
            send(*lab, request("PATCH", "/admin/settings", {}, patchOf("cache", "ttl_s", 42)));
        QCOMPARE(ok.status, 200);
        QCOMPARE(lab->settings().view().cache.ttlS, 42.0);
        QCOMPARE(send(*lab, request("DELETE", "/admin/slow-queries")).status, 204);
    }

    void tokenGivenOnLoopbackIsRequired()
    {
        QTemporaryDir dir;
        const QString token = QStringLiteral("given-token_0123456789abcdef");
        auto lab = startLab(QStringLiteral("127.0.0.1"), dir.path(), token);
        QVERIFY(lab);
        QCOMPARE(lab->adminToken(), token);
        QVERIFY(!lab->adminTokenGenerated()); // the user knows it: nothing to show
        QVERIFY(
            isRefusal(send(*lab, request("PATCH", "/admin/settings", {}, patchOf("cache", "ttl_s", 42)))));
        QCOMPARE(send(*lab, request("PATCH", "/admin/settings", bearer(token), patchOf("cache", "ttl_s", 42)))
                     .status,
                 200);
    }

    void settingsAnswersAndEventsMaskThePassword()
    {
        lab::LabServer &lab = *m_exposed;
        // Read at the next start only: the running lab keeps its SQLite database.
        const QString url = QStringLiteral("postgresql://lab:s3cret@127.0.0.1:1/perflab");
        const QByteArray patch = patchOf("database", "url", url);
        const RawResponse patched =
            send(lab, request("PATCH", "/admin/settings", bearer(lab.adminToken()), patch));
        QCOMPARE(patched.status, 200);
        QVERIFY2(!patched.body.contains("s3cret"), patched.body.constData());
        const RawResponse got = send(lab, request("GET", "/admin/settings", bearer(lab.adminToken())));
        QVERIFY2(!got.body.contains("s3cret"), got.body.constData());
        QCOMPARE(objectOf(got)[QStringLiteral("database")][QStringLiteral("url")].toString(),
                 QStringLiteral("postgresql://lab:***@127.0.0.1:1/perflab"));
        QCOMPARE(lab.settings().view().database.url, url); // the lab itself keeps the real one
        for (const metrics::TimeSeriesEvent &event : lab.sampler().store()->events())
            QVERIFY2(!QJsonDocument(event.detail).toJson().contains("s3cret"),
                     QJsonDocument(event.detail).toJson().constData());

        // GET, change one field, PATCH the whole document back: the password survives.
        QJsonObject document = objectOf(got);
        QJsonObject cache = document[QStringLiteral("cache")].toObject();
        cache[QStringLiteral("ttl_s")] = 55;
        document[QStringLiteral("cache")] = cache;
        const RawResponse roundTrip =
            send(lab, request("PATCH", "/admin/settings", bearer(lab.adminToken()),
                              QJsonDocument(document).toJson(QJsonDocument::Compact)));
        QCOMPARE(roundTrip.status, 200);
        QCOMPARE(lab.settings().view().database.url, url);
        QCOMPARE(lab.settings().view().cache.ttlS, 55.0);
        lab.settings().patch(QJsonObject{
            {QStringLiteral("database"), QJsonObject{{QStringLiteral("url"), QStringLiteral("sqlite:")}}}});
    }

    void loopbackRule_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1") << "127.0.0.1" << true;
        QTest::newRow("127.1.2.3") << "127.1.2.3" << true;
        QTest::newRow("::1") << "::1" << true;
        QTest::newRow("localhost") << "localhost" << true;
        QTest::newRow("0.0.0.0") << "0.0.0.0" << false;
        QTest::newRow("::") << "::" << false;
        QTest::newRow("192.168.1.10") << "192.168.1.10" << false;
        QTest::newRow("128.0.0.1") << "128.0.0.1" << false;
        QTest::newRow("not an address") << "lab.example" << false;
        QTest::newRow("empty") << "" << false;
    }

    void loopbackRule()
    {
        QFETCH(QString, host);
        QFETCH(bool, loopback);
        QCOMPARE(lab::isLoopbackHost(host), loopback);
        const lab::AdminAccess access = lab::adminAccessFor(host, {});
        QCOMPARE(access.required(), !loopback);
        QCOMPARE(access.generated, !loopback);
        const lab::AdminAccess given = lab::adminAccessFor(host, QStringLiteral("t0ken"));
        QVERIFY(given.required());
        QCOMPARE(given.token, QStringLiteral("t0ken"));
        QVERIFY(!given.generated);
    }

    void generatedTokensAreLongUrlSafeAndFresh()
    {
        QSet<QString> seen;
        for (int i = 0; i < 100; ++i) {
            const QString token = lab::generateAdminToken();
            QCOMPARE(token.size(), 43); // 256 bits in base64url without padding
            QVERIFY(lab::isWellFormedAdminToken(token));
            for (const QChar c : token)
                QVERIFY2(c.isLetterOrNumber() || c == u'-' || c == u'_', qPrintable(token));
            seen.insert(token);
        }
        QCOMPARE(seen.size(), 100);
    }

    void tokenForm()
    {
        QVERIFY(lab::isWellFormedAdminToken(QStringLiteral("abc-._~+/XYZ09==")));
        QVERIFY(!lab::isWellFormedAdminToken(QString()));
        QVERIFY(!lab::isWellFormedAdminToken(QStringLiteral("==")));
        QVERIFY(!lab::isWellFormedAdminToken(QStringLiteral("a=b")));
        QVERIFY(!lab::isWellFormedAdminToken(QStringLiteral("two words")));
        QVERIFY(!lab::isWellFormedAdminToken(QStringLiteral("new\nline")));
        QVERIFY(!lab::isWellFormedAdminToken(QStringLiteral("caf\u00e9")));
        QVERIFY(!lab::isWellFormedAdminToken(QString(1025, u'a')));
        QVERIFY(lab::isWellFormedAdminToken(QString(1024, u'a')));
    }

    void tokenCheck()
    {
        const lab::AdminTokenCheck check(QStringLiteral("s3cret-token"));
        QVERIFY(check.matches("s3cret-token"));
        QVERIFY(!check.matches("s3cret-tokeN"));
        QVERIFY(!check.matches("s3cret-toke"));
        QVERIFY(!check.matches("s3cret-token "));
        QVERIFY(!check.matches(""));
        QVERIFY(lab::constantTimeEqual("abc", "abc"));
        QVERIFY(!lab::constantTimeEqual("abc", "abd"));
        QVERIFY(!lab::constantTimeEqual("xbc", "abc"));
        QVERIFY(!lab::constantTimeEqual("abc", "abcd"));
        QVERIFY(lab::constantTimeEqual("", ""));
    }
};

QTEST_GUILESS_MAIN(TestAdminAccess)
#include "test_admin_access.moc"
