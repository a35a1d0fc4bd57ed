// `perflab serve` as a user runs it: the URL as the first line, answers, a clean exit 0 on
// SIGTERM after draining, exit 3 when the port is taken, exit 2 naming a bad flag.
#include "RawHttpClient.h"

#include <QProcess>
#include <QTcpServer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace perflab::test;

class TestServeCommand : public QObject
{
    Q_OBJECT

    static QString binary() { return QStringLiteral(PERFLAB_BINARY); }

private Q_SLOTS:
    void printsUrlServesAndDrainsOnSigterm_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void printsUrlServesAndDrainsOnSigterm()
    {
        QFETCH(int, signal);
        QProcess process;
        QTemporaryDir dataDir;
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                                 QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--data-dir"), dataDir.path()});
        QVERIFY(process.waitForStarted());
        QVERIFY(process.waitForReadyRead(10000));
        const QString firstLine = QString::fromUtf8(process.readLine()).trimmed();
        const QUrl url(firstLine);
        QVERIFY2(url.isValid() && url.scheme() == QLatin1String("http") && url.port() > 0, qPrintable(firstLine));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));

        RawHttpClient client(quint16(url.port()));
        client.send(simpleGet("/hello"));
        auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);

        ::kill(pid_t(process.processId()), signal);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(client.waitForClose(2000)); // the idle keep-alive connection was closed
    }

    void portInUseExitsWith3()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        QProcess process;
        QTemporaryDir dataDir;
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--port"), QString::number(blocker.serverPort()),
                                 QStringLiteral("--data-dir"), dataDir.path()});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 3);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("already in use")) && error.contains(QString::number(blocker.serverPort())),
                 qPrintable(error));
        QVERIFY(process.readAllStandardOutput().isEmpty()); // no URL printed
    }

    void badInputExitsWith2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port not a number") << QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("http")} << QStringLiteral("--port");
        QTest::newRow("port too big") << QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("70000")} << QStringLiteral("0..65535");
        QTest::newRow("threads negative") << QStringList{QStringLiteral("serve"), QStringLiteral("--threads"), QStringLiteral("-1")} << QStringLiteral("--threads");
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("serve"), QStringLiteral("--turbo")} << QStringLiteral("--turbo");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << QStringLiteral("fly");
        QTest::newRow("settings file missing") << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"), QStringLiteral("/nonexistent/s.json")} << QStringLiteral("/nonexistent/s.json: cannot read");
        QTest::newRow("settings field invalid") << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"), QStringLiteral("@BAD_SETTINGS@")} << QStringLiteral("cache.ttl_s: expected a number");
        QTest::newRow("bad host") << QStringList{QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("not-an-ip"), QStringLiteral("--port"), QStringLiteral("0")} << QStringLiteral("not-an-ip");
    }

    void badInputExitsWith2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString badSettings = dir.filePath(QStringLiteral("bad.json"));
        QFile file(badSettings);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"cache": {"ttl_s": "long"}})");
        file.close();
        args.replaceInStrings(QStringLiteral("@BAD_SETTINGS@"), badSettings);
        args << QStringLiteral("--data-dir") << dir.path();
        QProcess process;
        process.start(binary(), args);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestServeCommand)
#include "test_serve_command.moc"
