// `perflab serve` as a user runs it: the URL as the first line, answers, a clean exit 0 on
// SIGTERM after draining, exit 3 when the port is taken or the database unreachable (the
// password masked), exit 2 naming a bad flag. Bound to 0.0.0.0 it prints a generated admin
// token on the second line and /admin needs it (the test talks to 127.0.0.1 only); a token
// given with --admin-token or PERFLAB_ADMIN_TOKEN is required on loopback too, and not echoed.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
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

    // The next line of the process' stdout, without its newline ("" after the timeout).
    static QString nextLine(QProcess &process, int timeoutMs = 20000)
    {
        QElapsedTimer waited;
        waited.start();
        while (!process.canReadLine() && waited.elapsed() < timeoutMs)
            process.waitForReadyRead(100);
        return QString::fromUtf8(process.readLine()).trimmed();
    }

    static RawResponse patchTtl(quint16 port, double ttl, const QByteArray &headers = {})
    {
        const QByteArray body = "{\"cache\": {\"ttl_s\": " + QByteArray::number(ttl) + "}}";
        RawHttpClient client(port, QStringLiteral("127.0.0.1"));
        client.send("PATCH /admin/settings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
                    headers + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        return client.readResponse().value_or(RawResponse{});
    }

    static double ttlSeen(quint16 port, const QByteArray &headers = {})
    {
        RawHttpClient client(port, QStringLiteral("127.0.0.1"));
        client.send(simpleGet("/admin/settings", headers));
        const auto response = client.readResponse();
        if (!response || response->status != 200)
            return -1;
        return QJsonDocument::fromJson(response->body)
            .object()[QStringLiteral("cache")][QStringLiteral("ttl_s")]
            .toDouble();
    }

    static void stop(QProcess &process)
    {
        ::kill(pid_t(process.processId()), SIGTERM);
        if (!process.waitForFinished(10000))
            process.kill();
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
        process.start(binary(),
                      {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                       QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--data-dir"),
                       dataDir.path(), QStringLiteral("--settings"), smallSettings(dataDir)});
        QVERIFY(process.waitForStarted());
        QVERIFY(process.waitForReadyRead(10000));
        const QString firstLine = QString::fromUtf8(process.readLine()).trimmed();
        const QUrl url(firstLine);
        QVERIFY2(url.isValid() && url.scheme() == QLatin1String("http") && url.port() > 0,
                 qPrintable(firstLine));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));

        RawHttpClient client(quint16(url.port()));
        client.send(simpleGet("/hello"));
        auto response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        // Loopback: /admin is open, as it always was.
        QCOMPARE(patchTtl(quint16(url.port()), 77).status, 200);
        QCOMPARE(ttlSeen(quint16(url.port())), 77.0);

        ::kill(pid_t(process.processId()), signal);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(client.waitForClose(2000)); // the idle keep-alive connection was closed
    }

    void exposedServePrintsAGeneratedTokenAndRequiresIt()
    {
        QProcess process;
        QTemporaryDir dataDir;
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                                 QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--threads"),
                                 QStringLiteral("1"), QStringLiteral("--data-dir"), dataDir.path(),
                                 QStringLiteral("--settings"), smallSettings(dataDir)});
        QVERIFY(process.waitForStarted());
        const QUrl url(nextLine(process));
        QVERIFY2(url.isValid() && url.port() > 0, qPrintable(url.toString()));
        QCOMPARE(url.host(), QStringLiteral("0.0.0.0"));
        const QString tokenLine = nextLine(process);
        QVERIFY2(tokenLine.startsWith(QLatin1String("admin token: ")), qPrintable(tokenLine));
        const QString token = tokenLine.mid(QStringLiteral("admin token: ").size());
        QVERIFY2(token.size() >= 22, qPrintable(token)); // at least 128 bits in base64url
        const quint16 port = quint16(url.port());

        const double before = ttlSeen(port, "Authorization: Bearer " + token.toLatin1() + "\r\n");
        QVERIFY(before > 0);
        const RawResponse refused = patchTtl(port, before + 5);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.header("www-authenticate"), QByteArray("Bearer"));
        QString wrong = token;
        wrong[0] = wrong[0] == u'x' ? u'y' : u'x';
        QCOMPARE(patchTtl(port, before + 5, "Authorization: Bearer " + wrong.toLatin1() + "\r\n").status,
                 401);
        QCOMPARE(ttlSeen(port), -1.0); // not even readable without it
        QCOMPARE(ttlSeen(port, "Authorization: Bearer " + token.toLatin1() + "\r\n"), before);

        QCOMPARE(patchTtl(port, before + 5, "Authorization: Bearer " + token.toLatin1() + "\r\n").status,
                 200);
        QCOMPARE(ttlSeen(port, "Authorization: Bearer " + token.toLatin1() + "\r\n"), before + 5);

        RawHttpClient client(port, QStringLiteral("127.0.0.1"));
        client.send(simpleGet("/hello"));
        const auto hello = client.readResponse();
        QVERIFY(hello);
        QCOMPARE(hello->status, 200);
        stop(process);
        QCOMPARE(process.exitCode(), 0);
        // Printed once: the rest of the output does not repeat it.
        const QByteArray rest = process.readAllStandardOutput() + process.readAllStandardError();
        QVERIFY2(!rest.contains(token.toLatin1()), rest.constData());
    }

    void givenTokenIsRequiredOnLoopbackAndNotEchoed_data()
    {
        QTest::addColumn<bool>("fromEnvironment");
        QTest::newRow("--admin-token") << false;
        QTest::newRow("PERFLAB_ADMIN_TOKEN") << true;
    }

    void givenTokenIsRequiredOnLoopbackAndNotEchoed()
    {
        QFETCH(bool, fromEnvironment);
        const QString token = QStringLiteral("my-own-admin-token_0123456789");
        QProcess process;
        QTemporaryDir dataDir;
        QStringList args{QStringLiteral("serve"), QStringLiteral("--port"),
                         QStringLiteral("0"),     QStringLiteral("--threads"),
                         QStringLiteral("1"),     QStringLiteral("--data-dir"),
                         dataDir.path(),          QStringLiteral("--settings"),
                         smallSettings(dataDir)};
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("PERFLAB_ADMIN_TOKEN"));
        if (fromEnvironment)
            environment.insert(QStringLiteral("PERFLAB_ADMIN_TOKEN"), token);
        else
            args << QStringLiteral("--admin-token") << token;
        process.setProcessEnvironment(environment);
        process.start(binary(), args);
        QVERIFY(process.waitForStarted());
        const QUrl url(nextLine(process));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        const quint16 port = quint16(url.port());
        QCOMPARE(patchTtl(port, 66).status, 401);
        QCOMPARE(patchTtl(port, 66, "Authorization: Bearer " + token.toLatin1() + "\r\n").status, 200);
        stop(process);
        QCOMPARE(process.exitCode(), 0);
        const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
        QVERIFY2(!output.contains(token.toLatin1()), output.constData());
        QVERIFY2(!output.contains("admin token:"), output.constData());
    }

    void malformedTokenInTheEnvironmentExitsWith2()
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PERFLAB_ADMIN_TOKEN"), QStringLiteral("two words"));
        process.setProcessEnvironment(environment);
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("PERFLAB_ADMIN_TOKEN")), qPrintable(error));
    }

    void portInUseExitsWith3()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        QProcess process;
        QTemporaryDir dataDir;
        process.start(binary(), {QStringLiteral("serve"), QStringLiteral("--port"),
                                 QString::number(blocker.serverPort()), QStringLiteral("--data-dir"),
                                 dataDir.path(), QStringLiteral("--settings"), smallSettings(dataDir)});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 3);
        const QString error = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("already in use")) &&
                     error.contains(QString::number(blocker.serverPort())),
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
        QVERIFY2(error.contains(QStringLiteral("postgresql://lab:***@127.0.0.1:1/nowhere")),
                 qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("s3cret")), qPrintable(error));
        // The driver's own words follow the URL.
        QVERIFY2(error.contains(QStringLiteral("connect"), Qt::CaseInsensitive), qPrintable(error));
        QVERIFY(process.readAllStandardOutput().isEmpty()); // no URL printed: the port never opened
    }

    void badInputExitsWith2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port not a number")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("http")}
            << QStringLiteral("--port");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("70000")}
            << QStringLiteral("0..65535");
        QTest::newRow("threads negative")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--threads"), QStringLiteral("-1")}
            << QStringLiteral("--threads");
        QTest::newRow("unknown flag")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--turbo")} << QStringLiteral("--turbo");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << QStringLiteral("fly");
        QTest::newRow("settings file missing")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"),
                           QStringLiteral("/nonexistent/s.json")}
            << QStringLiteral("/nonexistent/s.json: cannot read");
        QTest::newRow("settings field invalid")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"),
                           QStringLiteral("@BAD_SETTINGS@")}
            << QStringLiteral("cache.ttl_s: expected a number");
        QTest::newRow("db url unsupported")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--db"),
                           QStringLiteral("mysql://u:pw@h/d")}
            << QStringLiteral("--db: unsupported database url mysql://u:***@h/d");
        QTest::newRow("settings db url unsupported")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--settings"),
                           QStringLiteral("@BAD_DB_SETTINGS@")}
            << QStringLiteral("database.url: unsupported database url");
        QTest::newRow("admin token with a space")
            << QStringList{QStringLiteral("serve"), QStringLiteral("--admin-token"),
                           QStringLiteral("two words")}
            << QStringLiteral("--admin-token expects");
        QTest::newRow("bad host") << QStringList{QStringLiteral("serve"), QStringLiteral("--host"),
                                                 QStringLiteral("not-an-ip"), QStringLiteral("--port"),
                                                 QStringLiteral("0")}
                                  << QStringLiteral("not-an-ip");
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
