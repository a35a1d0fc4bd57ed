// `perflab serve` as a user runs it: the URL as the first line, answers, a clean exit 0 on
// SIGTERM after draining, exit 3 when the port is taken or the database unreachable (the
// password masked), exit 2 naming a bad flag.
#include "RawHttpClient.h"
#include "SmallDataset.h"

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

    // A settings file in `dir` that keeps the demo dataset small (a start makes it first).
    static QString smallSettings(const QTemporaryDir &dir)
    {
        const QString path = dir.filePath(QStringLiteral("small.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(R"({"database":)" + smallDatasetJson() + "}");
        return path;
    }

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
                                 QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--data-dir"), dataDir.path(),
                                 QStringLiteral("--settings"), smallSettings(dataDir)});
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
                                 QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--settings"),
                                 smallSettings(dataDir)});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 3);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("already in use")) && error.contains(QString::number(blocker.serverPort())),
                 qPrintable(error));
        QVERIFY(process.readAllStandardOutput().isEmpty()); // no URL printed
    }

    void unreachableDatabaseExitsWith3MaskingThePassword()
    {
        QTemporaryDir dataDir;
        // Port 1 on loopback: nothing listens, the driver is refused at once.
        const QString url = QStringLiteral("postgresql://lab:s3cret@127.0.0.1:1/nowhere");
        QProcess process;
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                                 QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--settings"),
                                 smallSettings(dataDir), QStringLiteral("--db"), url});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 3);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("postgresql://lab:***@127.0.0.1:1/nowhere")), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("s3cret")), qPrintable(error));
        // The driver's own words follow the URL.
        QVERIFY2(error.contains(QStringLiteral("connect"), Qt::CaseInsensitive), qPrintable(error));
        QVERIFY(process.readAllStandardOutput().isEmpty()); // no URL printed: the port never opened
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
        QTest::newRow("db url unsupported") << QStringList{QStringLiteral("serve"), QStringLiteral("--db"), QStringLiteral("mysql://u:pw@h/d")} << QStringLiteral("--db: unsupported database url mysql://u:***@h/d");
        QTest::newRow("settings db url unsupported") << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"), QStringLiteral("@BAD_DB_SETTINGS@")} << QStringLiteral("database.url: unsupported database url");
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
        const QString badDbSettings = dir.filePath(QStringLiteral("bad-db.json"));
        QFile dbFile(badDbSettings);
        QVERIFY(dbFile.open(QIODevice::WriteOnly));
        dbFile.write("{\"database\": {\"url\": \"oracle://scott:tiger@h/d\"}}");
        dbFile.close();
        args.replaceInStrings(QStringLiteral("@BAD_DB_SETTINGS@"), badDbSettings);
        args << QStringLiteral("--data-dir") << dir.path();
        if (!args.contains(QStringLiteral("--settings")))
            args << QStringLiteral("--settings") << smallSettings(dir);
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
