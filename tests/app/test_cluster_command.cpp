// `perflab cluster` as a user runs it: its own PostgreSQL and Redis started from Debian's
// binaries, three instances behind a real nginx, requests spread over them, a settings change
// through the balancer reaching every instance, everything stopped on SIGTERM; a taken port
// and bad flags named.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace perflab::test;

namespace {

QString binary()
{
    return QStringLiteral(PERFLAB_BINARY);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

RawResponse request(quint16 port, const QByteArray &raw)
{
    RawHttpClient client(port);
    client.send(raw);
    return client.readResponse(10000).value_or(RawResponse{});
}

QByteArray patch(const QByteArray &json)
{
    return "PATCH /admin/settings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(json.size()) + "\r\n\r\n" + json;
}

} // namespace

class TestClusterCommand : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dataDir; // one for the suite: the second start reuses the PostgreSQL made by the first

    QString smallSettings()
    {
        const QString path = m_dataDir.filePath(QStringLiteral("small.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(R"({"database":)" + smallDatasetJson() + "}");
        return path;
    }

    QStringList clusterArgs(quint16 port)
    {
        return {QStringLiteral("cluster"), QStringLiteral("--instances"), QStringLiteral("3"),
                QStringLiteral("--port"),  QString::number(port),         QStringLiteral("--data-dir"),
                m_dataDir.path(),          QStringLiteral("--settings"),  smallSettings()};
    }

private Q_SLOTS:
    void threeInstancesBehindNginx()
    {
        const quint16 port = freePort();
        QProcess cluster;
        cluster.start(binary(), clusterArgs(port));
        QVERIFY(cluster.waitForStarted());
        // initdb and the first dataset take seconds on the first start.
        QTRY_VERIFY_WITH_TIMEOUT(cluster.canReadLine() || cluster.state() != QProcess::Running, 180000);
        const QString firstLine = QString::fromUtf8(cluster.readLine()).trimmed();
        const QString log = QString::fromUtf8(cluster.readAllStandardError());
        QCOMPARE(firstLine, QStringLiteral("http://127.0.0.1:%1").arg(port));
        QVERIFY2(log.contains(QStringLiteral("(started here), Redis redis://127.0.0.1:")), qPrintable(log));
        QVERIFY2(!log.contains(QRegularExpression(QStringLiteral("perflab:[A-Za-z0-9]{24}@"))),
                 "the password is masked");

        // Round robin: six scrapes through nginx come from all three instances.
        QSet<QByteArray> seen;
        for (int i = 0; i < 6; ++i) {
            const RawResponse metrics = request(port, simpleGet("/metrics"));
            QCOMPARE(metrics.status, 200);
            const QRegularExpressionMatch match =
                QRegularExpression(QStringLiteral("http_requests_in_flight\\{instance=\"(\\d)\"\\}"))
                    .match(QString::fromUtf8(metrics.body));
            QVERIFY(match.hasMatch());
            seen.insert(match.captured(1).toUtf8());
        }
        QCOMPARE(seen, (QSet<QByteArray>{"1", "2", "3"}));
        QCOMPARE(request(port, simpleGet("/users/7")).status, 200); // the shared PostgreSQL answers

        // A change through the balancer reaches every instance.
        QCOMPARE(request(port, patch(R"({"cache": {"ttl_s": 9}})")).status, 200);
        const QRegularExpression instanceLine(QStringLiteral("instance (\\d) at http://127.0.0.1:(\\d+)"));
        QList<quint16> instancePorts;
        for (auto it = instanceLine.globalMatch(log); it.hasNext();)
            instancePorts << it.next().captured(2).toUShort();
        QCOMPARE(instancePorts.size(), 3);
        for (quint16 instancePort : instancePorts) {
            QTRY_COMPARE_WITH_TIMEOUT(
                QJsonDocument::fromJson(request(instancePort, simpleGet("/admin/settings")).body)
                    .object()
                    .value(QStringLiteral("cache"))
                    .toObject()
                    .value(QStringLiteral("ttl_s"))
                    .toDouble(),
                9.0, 5000);
        }

        ::kill(pid_t(cluster.processId()), SIGTERM);
        QVERIFY(cluster.waitForFinished(90000));
        QCOMPARE(cluster.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cluster.exitCode(), 0);
        // Nothing left behind: the balancer, the instances, PostgreSQL.
        RawHttpClient gone(port);
        QVERIFY(!gone.isConnected());
        for (quint16 instancePort : instancePorts)
            QVERIFY(!RawHttpClient(instancePort).isConnected());
        const QRegularExpressionMatch backends =
            QRegularExpression(
                QStringLiteral(
                    "database postgresql://perflab:\\*\\*\\*@127.0.0.1:(\\d+)/perflab \\(started here\\), Redis redis://127.0.0.1:(\\d+)"))
                .match(log);
        QVERIFY2(backends.hasMatch(), qPrintable(log));
        QVERIFY(!RawHttpClient(backends.captured(1).toUShort()).isConnected()); // PostgreSQL stopped
        QVERIFY(!RawHttpClient(backends.captured(2).toUShort()).isConnected()); // Redis stopped
    }

    void aTakenPortIsNamed()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        QProcess cluster;
        cluster.start(binary(), clusterArgs(taken.serverPort()));
        QVERIFY(cluster.waitForFinished(180000));
        QCOMPARE(cluster.exitCode(), 3);
        const QString log = QString::fromUtf8(cluster.readAllStandardError());
        QVERIFY2(
            log.contains(QStringLiteral("port %1 on 127.0.0.1 is already in use").arg(taken.serverPort())),
            qPrintable(log));
    }

    void aScenarioRunsOnAClusterOfItsOwn()
    {
        // The cache's effect through three instances: the phases' settings go through nginx to
        // one instance and reach the others through Redis.
        const QString scenario = m_dataDir.filePath(QStringLiteral("cluster-scenario.json"));
        QFile file(scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"name": "Cluster cache", "target": {"cluster": {"instances": 3, "database": "postgresql", "redis": true}},
          "settings": {"cache": {"backend": "memory"}, "database": )" +
            smallDatasetJson() + R"(},
          "load": {"model": "open", "rate": 300, "connections": 8},
          "requests": [{"method": "GET", "path": "/users/{zipf:1..2000}"}],
          "stale_read_probe": {"ids": "1..20", "reads": 3, "interval_ms": 50},
          "phases": [{"name": "cache off", "duration_s": 3, "settings": {"cache": {"enabled": false}}},
                     {"name": "cache on", "duration_s": 3, "settings": {"cache": {"enabled": true}}}],
          "expect": [{"claim": "cached reads are cheaper on every instance", "metric": "p50_ms",
                      "route": "GET /users/{zipf:1..2000}", "phase": "cache on", "vs": "cache off", "at_most": 0.7},
                     {"claim": "a cache per process serves the old name after a rename elsewhere",
                      "metric": "stale_read_share", "phase": "cache on", "at_least": 0.2},
                     {"claim": "without a cache every read is fresh", "metric": "stale_read_share", "phase": "cache off",
                      "at_most": 0},
                     {"claim": "the caches of the instances hit", "metric": "hit_rate", "phase": "cache on", "at_least": 0.5}]})");
        file.close();
        QProcess run;
        run.start(binary(), {QStringLiteral("run"), scenario, QStringLiteral("--data-dir"), m_dataDir.path(),
                             QStringLiteral("--out"), m_dataDir.filePath(QStringLiteral("report"))});
        QVERIFY(run.waitForFinished(180000));
        const QString out = QString::fromUtf8(run.readAllStandardOutput());
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(run.exitCode() == 0, qPrintable(out + err));
        QVERIFY2(err.contains(QStringLiteral("3 instances of")), qPrintable(err));
        QCOMPARE(out.count(QStringLiteral("claim verified")), 4);
        QFile report(m_dataDir.filePath(QStringLiteral("report/run.json")));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(report.readAll()).object();
        QVERIFY2(json.value(QStringLiteral("target"))
                     .toString()
                     .startsWith(QStringLiteral("cluster of 3 instances behind nginx")),
                 qPrintable(json.value(QStringLiteral("target")).toString()));
        const QJsonObject cacheOn = json.value(QStringLiteral("phases")).toArray().at(1).toObject();
        QVERIFY(cacheOn.value(QStringLiteral("stale_reads"))
                    .toObject()
                    .value(QStringLiteral("reads"))
                    .toDouble() > 10);
        // Each instance's own share, from its /metrics: nginx spread the load over all three.
        const QJsonArray members = cacheOn.value(QStringLiteral("instances")).toArray();
        QCOMPARE(members.size(), 3);
        for (const QJsonValue &member : members) {
            QVERIFY(member.toObject().value(QStringLiteral("answered")).toBool());
            QVERIFY(member.toObject().value(QStringLiteral("requests")).toDouble() > 100);
            QVERIFY(member.toObject().value(QStringLiteral("cache_hits")).toDouble() > 0);
        }
        QFile html(m_dataDir.filePath(QStringLiteral("report/report.html")));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("<section id=\"instances\">"));
    }

    void badFlagsAreNamed_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no instances") << QStringList{} << QStringLiteral("--instances N is required");
        QTest::newRow("zero") << QStringList{QStringLiteral("--instances"), QStringLiteral("0")}
                              << QStringLiteral("integer 1..64");
        QTest::newRow("sqlite") << QStringList{QStringLiteral("--instances"), QStringLiteral("2"),
                                               QStringLiteral("--db"), QStringLiteral("sqlite:/tmp/x")}
                                << QStringLiteral("cannot share a SQLite file");
        QTest::newRow("redis") << QStringList{QStringLiteral("--instances"), QStringLiteral("2"),
                                              QStringLiteral("--redis"), QStringLiteral("http://x")}
                               << QStringLiteral("--redis: expected redis://");
    }

    void badFlagsAreNamed()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess cluster;
        cluster.start(binary(), QStringList{QStringLiteral("cluster")} + args);
        QVERIFY(cluster.waitForFinished(10000));
        QCOMPARE(cluster.exitCode(), 2);
        const QString log = QString::fromUtf8(cluster.readAllStandardError());
        QVERIFY2(log.contains(message), qPrintable(log));
    }
};

QTEST_GUILESS_MAIN(TestClusterCommand)
#include "test_cluster_command.moc"
