// `perflab load` as a user runs it, against an in-process server: the keys of its --json output,
// the wrk2-style text, the open loop's rate, exit 3 when nothing answers, and exit 2 with one
// line naming a bad flag. A closed loop runs flat out, so on a 2-core machine its one client
// thread may well be the limit: those runs accept exit 4 as long as the JSON says why.
#include "PerflabProcess.h"
#include "TestRoutes.h"

#include "engine/http/HttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

class TestLoadCommand : public QObject
{
    Q_OBJECT

    std::unique_ptr<http::HttpServer> m_server;

    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path);
    }

    using Run = ProcessResult;

    static Run run(const QStringList &args)
    {
        return runPerflab(QStringList{QStringLiteral("load")} + args, 30000);
    }

    // A closed loop flat out: 0, or 4 with the trust object saying the generator was the limit.
    static bool closedLoopExitIsConsistent(const Run &r, const QJsonObject &json)
    {
        const QJsonObject trust = json.value(QStringLiteral("trust")).toObject();
        if (r.exitCode == 0)
            return !trust.value(QStringLiteral("generator_limited")).toBool(true);
        return r.exitCode == 4 && trust.value(QStringLiteral("generator_limited")).toBool() &&
               !trust.value(QStringLiteral("reasons")).toArray().isEmpty();
    }

    static QJsonObject parseJson(const QString &out)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("not JSON: %s\n%s", qPrintable(error.errorString()), qPrintable(out));
        return doc.object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        http::ServerConfig config;
        config.port = 0;
        config.threads = 1;
        m_server = std::make_unique<http::HttpServer>(test::makeTestRouter(), config);
        QVERIFY(!m_server->start());
    }
    void cleanupTestCase() { m_server.reset(); }

    void closedLoopJsonHasTheSpecKeys()
    {
        const Run r = run({url(QStringLiteral("/hello")), QStringLiteral("-c"), QStringLiteral("4"),
                           QStringLiteral("-d"), QStringLiteral("1s"), QStringLiteral("--json")});
        const QJsonObject json = parseJson(r.out);
        QVERIFY2(closedLoopExitIsConsistent(r, json), qPrintable(r.err));
        for (const char *key : {"requests", "duration_s", "requests_per_s", "errors", "status_counts",
                                "latency_ms", "latency_uncorrected_ms"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        const double requests = json.value(QStringLiteral("requests")).toDouble();
        QVERIFY(requests > 0);
        QCOMPARE(json.value(QStringLiteral("model")).toString(), QStringLiteral("closed"));
        QCOMPARE(
            json.value(QStringLiteral("status_counts")).toObject().value(QStringLiteral("200")).toDouble(),
            requests);
        QCOMPARE(json.value(QStringLiteral("errors")).toObject().value(QStringLiteral("total")).toDouble(),
                 0.0);
        const double duration = json.value(QStringLiteral("duration_s")).toDouble();
        QVERIFY2(duration >= 0.9 && duration < 3, qPrintable(QString::number(duration)));
        QCOMPARE(json.value(QStringLiteral("requests_per_s")).toDouble(), requests / duration);
        for (const char *group : {"latency_ms", "latency_uncorrected_ms"}) {
            const QJsonObject latency = json.value(QLatin1String(group)).toObject();
            for (const char *key : {"p50", "p90", "p99", "p999", "max", "mean"})
                QVERIFY2(latency.contains(QLatin1String(key)), key);
            QVERIFY(latency.value(QStringLiteral("p50")).toDouble() > 0);
            QVERIFY(latency.value(QStringLiteral("p99")).toDouble() >=
                    latency.value(QStringLiteral("p50")).toDouble());
        }
    }

    void openLoopJsonKeepsTheRate()
    {
        const Run r = run({url(QStringLiteral("/hello")), QStringLiteral("-R"), QStringLiteral("200"),
                           QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-d"),
                           QStringLiteral("1500ms"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject json = parseJson(r.out);
        QCOMPARE(json.value(QStringLiteral("model")).toString(), QStringLiteral("open"));
        const double requests = json.value(QStringLiteral("requests")).toDouble();
        QVERIFY2(requests >= 240 && requests <= 320, qPrintable(QString::number(requests)));
        QVERIFY(
            json.value(QStringLiteral("latency_ms")).toObject().value(QStringLiteral("mean")).toDouble() >=
            json.value(QStringLiteral("latency_uncorrected_ms"))
                .toObject()
                .value(QStringLiteral("mean"))
                .toDouble());
    }

    void methodsHeadersAndBodies_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("POST with a body and a header")
            << QStringList{QStringLiteral("/echo"),      QStringLiteral("-m"),        QStringLiteral("POST"),
                           QStringLiteral("--body"),     QStringLiteral("{\"a\":1}"), QStringLiteral("-H"),
                           QStringLiteral("X-Test: yes")};
        // HEAD: Content-Length but no body; a parser that waited for one would time out.
        QTest::newRow("HEAD") << QStringList{QStringLiteral("/hello"), QStringLiteral("-m"),
                                             QStringLiteral("head")};
        QTest::newRow("templated path") << QStringList{QStringLiteral("/user/{zipf:1..100}")};
    }

    void methodsHeadersAndBodies()
    {
        QFETCH(QStringList, args);
        const QString path = args.takeFirst();
        const Run r =
            run(QStringList{url(path), QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-d"),
                            QStringLiteral("300ms"), QStringLiteral("--timeout"), QStringLiteral("2s"),
                            QStringLiteral("--json")} +
                args);
        const QJsonObject json = parseJson(r.out);
        QVERIFY2(closedLoopExitIsConsistent(r, json), qPrintable(r.err));
        const double requests = json.value(QStringLiteral("requests")).toDouble();
        QVERIFY(requests > 10);
        QCOMPARE(
            json.value(QStringLiteral("status_counts")).toObject().value(QStringLiteral("200")).toDouble(),
            requests);
        QCOMPARE(json.value(QStringLiteral("errors")).toObject().value(QStringLiteral("total")).toDouble(),
                 0.0);
    }

    void textOutputLooksLikeWrk2()
    {
        const Run r = run({url(QStringLiteral("/hello")), QStringLiteral("-R"), QStringLiteral("100"),
                           QStringLiteral("-d"), QStringLiteral("0.5"), QStringLiteral("--latency")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString text = r.out;
        for (const char *expected :
             {"Running 500ms test @ http://127.0.0.1:", "open loop at 100 requests/s", "Latency Distribution",
              "corrected  uncorrected", " 99.900%", "Detailed Percentile spectrum",
              "Value   Percentile   TotalCount 1/(1-Percentile)", "Status codes: 200 ",
              "Requests/sec:", "Transfer/sec:"})
            QVERIFY2(text.contains(QLatin1String(expected)),
                     qPrintable(QStringLiteral("%1\n---\n%2").arg(QLatin1String(expected), text)));
    }

    void unreachableTargetExitsWith3AndCountsConnectErrors()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const Run r =
            run({QStringLiteral("http://127.0.0.1:%1/").arg(port), QStringLiteral("-c"), QStringLiteral("2"),
                 QStringLiteral("-d"), QStringLiteral("300ms"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 3);
        const QJsonObject errors = parseJson(r.out).value(QStringLiteral("errors")).toObject();
        QVERIFY(errors.value(QStringLiteral("connect")).toDouble() > 0);
        QVERIFY2(r.err.contains(QLatin1String("no response")), qPrintable(r.err));
    }

    void badFlagsExitWith2NamingTheFlag_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        const QString u = QStringLiteral("http://127.0.0.1:1/");
        QTest::newRow("connections not a number")
            << QStringList{u, QStringLiteral("-c"), QStringLiteral("many")} << QStringLiteral("-c expects");
        QTest::newRow("connections zero")
            << QStringList{u, QStringLiteral("-c"), QStringLiteral("0")} << QStringLiteral("-c expects");
        QTest::newRow("duration unit") << QStringList{u, QStringLiteral("-d"), QStringLiteral("10x")}
                                       << QStringLiteral("-d expects a duration");
        QTest::newRow("rate negative")
            << QStringList{u, QStringLiteral("-R"), QStringLiteral("-5")} << QStringLiteral("-R expects");
        QTest::newRow("timeout missing")
            << QStringList{u, QStringLiteral("--timeout")} << QStringLiteral("--timeout expects");
        QTest::newRow("threads too many")
            << QStringList{u, QStringLiteral("--threads"), QStringLiteral("1000")}
            << QStringLiteral("--threads expects");
        QTest::newRow("header without colon")
            << QStringList{u, QStringLiteral("-H"), QStringLiteral("nocolon")}
            << QStringLiteral("-H expects");
        QTest::newRow("unknown flag")
            << QStringList{u, QStringLiteral("--turbo")} << QStringLiteral("--turbo");
        QTest::newRow("no url") << QStringList{QStringLiteral("-c"), QStringLiteral("5")}
                                << QStringLiteral("expected a URL");
        QTest::newRow("not http") << QStringList{QStringLiteral("ftp://127.0.0.1/")}
                                  << QStringLiteral("ftp://127.0.0.1/");
    }

    void badFlagsExitWith2NamingTheFlag()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        const QString err = r.err.trimmed();
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err)); // one line
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLoadCommand)
#include "test_load_command.moc"
