// test_services: the real PostgreSQL and Redis the tests run against are there and usable.
// scripts/test-all.sh starts a private PostgreSQL 15 cluster and a private Redis on loopback
// (scripts/test-services.sh) and exports PERFLAB_TEST_PG_URL / PERFLAB_TEST_REDIS_URL. Without
// those variables this test FAILS on purpose: a suite that needs a real database must never pass
// by skipping. PostgreSQL is reached through Qt's QPSQL driver, Redis through a QTcpSocket
// speaking RESP2.
#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr int kIoTimeoutMs = 5000;

QString missingVariableMessage(const char *name)
{
    return u"%1 is not set. This test needs the private PostgreSQL/Redis of scripts/test-services.sh: "
           u"run it through scripts/test-all.sh, or run `scripts/test-services.sh start` and then "
           u"`eval \"$(scripts/test-services.sh env)\"` before ctest."_s.arg(QLatin1StringView(name));
}

// Reads a URL from the environment; empty (and the failure message filled) when unset or invalid.
QUrl urlFromEnv(const char *name, const QString &scheme, QString &error)
{
    const QByteArray raw = qgetenv(name);
    if (raw.isEmpty()) {
        error = missingVariableMessage(name);
        return {};
    }
    QUrl url(QString::fromUtf8(raw), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != scheme || url.host().isEmpty() || url.port() <= 0) {
        error = u"%1=%2 is not a valid %3:// URL with host and port"_s.arg(QLatin1StringView(name),
                                                                           QString::fromUtf8(raw), scheme);
        return {};
    }
    return url;
}

// One RESP2 reply: simple string (+), error (-), integer (:), bulk string ($, null when absent).
struct RespReply
{
    char type = 0;
    QByteArray text;
    bool isNull = false;
};

class RespClient
{
public:
    bool connectTo(const QUrl &url, QString &error)
    {
        m_socket.connectToHost(url.host(), quint16(url.port()));
        if (!m_socket.waitForConnected(kIoTimeoutMs)) {
            error = u"cannot connect to Redis at %1: %2"_s.arg(url.toDisplayString(), m_socket.errorString());
            return false;
        }
        return true;
    }

    std::optional<RespReply> command(const QList<QByteArray> &args, QString &error)
    {
        QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
        for (const QByteArray &a : args)
            out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
        m_socket.write(out);
        if (!m_socket.waitForBytesWritten(kIoTimeoutMs)) {
            error = u"write to Redis failed: "_s + m_socket.errorString();
            return std::nullopt;
        }
        const std::optional<QByteArray> line = readLine(error);
        if (!line || line->isEmpty()) {
            if (error.isEmpty())
                error = u"empty reply line from Redis"_s;
            return std::nullopt;
        }
        RespReply reply;
        reply.type = line->at(0);
        const QByteArray rest = line->mid(1);
        switch (reply.type) {
        case '+':
        case '-':
        case ':':
            reply.text = rest;
            return reply;
        case '$': {
            bool ok = false;
            const qsizetype len = rest.toLongLong(&ok);
            if (!ok) {
                error = u"bad bulk length from Redis: "_s + QString::fromUtf8(rest);
                return std::nullopt;
            }
            if (len < 0) {
                reply.isNull = true;
                return reply;
            }
            const std::optional<QByteArray> body = readExactly(len + 2, error);
            if (!body)
                return std::nullopt;
            reply.text = body->left(len);
            return reply;
        }
        default:
            error = u"unexpected RESP reply: "_s + QString::fromUtf8(*line);
            return std::nullopt;
        }
    }

private:
    bool fill(QString &error)
    {
        if (!m_socket.waitForReadyRead(kIoTimeoutMs)) {
            error = u"no reply from Redis within %1 ms: %2"_s.arg(kIoTimeoutMs).arg(m_socket.errorString());
            return false;
        }
        m_buffer += m_socket.readAll();
        return true;
    }

    std::optional<QByteArray> readLine(QString &error)
    {
        qsizetype end;
        while ((end = m_buffer.indexOf("\r\n")) < 0)
            if (!fill(error))
                return std::nullopt;
        QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 2);
        return line;
    }

    std::optional<QByteArray> readExactly(qsizetype n, QString &error)
    {
        while (m_buffer.size() < n)
            if (!fill(error))
                return std::nullopt;
        QByteArray data = m_buffer.left(n);
        m_buffer.remove(0, n);
        return data;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

#define EXEC_OR_FAIL(query, sql)                                                                             \
    QVERIFY2((query).exec(sql), qPrintable(u"%1 failed: %2"_s.arg(sql, (query).lastError().text())))

} // namespace

class TestServices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postgresql()
    {
        QString error;
        const QUrl url = urlFromEnv("PERFLAB_TEST_PG_URL", u"postgresql"_s, error);
        QVERIFY2(url.isValid(), qPrintable(error));
        QVERIFY2(QSqlDatabase::isDriverAvailable(u"QPSQL"_s),
                 qPrintable(u"Qt's QPSQL driver is missing (Debian: libqt6sql6-psql); available: "_s +
                            QSqlDatabase::drivers().join(u", "_s)));

        const QString connectionName = u"test_services_pg"_s;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
            db.setHostName(url.host());
            db.setPort(url.port());
            db.setUserName(url.userName(QUrl::FullyDecoded));
            db.setPassword(url.password(QUrl::FullyDecoded));
            db.setDatabaseName(url.path(QUrl::FullyDecoded).mid(1));
            db.setConnectOptions(u"connect_timeout=5"_s);
            QVERIFY2(db.open(), qPrintable(u"cannot open %1: %2"_s.arg(
                                    url.toDisplayString(QUrl::RemovePassword), db.lastError().text())));

            QSqlQuery q(db);
            EXEC_OR_FAIL(q, u"SELECT version()"_s);
            QVERIFY(q.next());
            const QString version = q.value(0).toString();
            qInfo("server: %s", qPrintable(version));
            QVERIFY2(version.startsWith(u"PostgreSQL "_s), qPrintable(version));

            EXEC_OR_FAIL(q,
                         u"CREATE TEMP TABLE perflab_probe (id integer PRIMARY KEY, name text NOT NULL)"_s);
            QVERIFY(db.transaction());
            QVERIFY(q.prepare(u"INSERT INTO perflab_probe (id, name) VALUES (?, ?)"_s));
            for (int i = 1; i <= 3; ++i) {
                q.addBindValue(i);
                q.addBindValue(u"name-%1"_s.arg(i));
                QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            }
            QVERIFY2(db.commit(), qPrintable(db.lastError().text()));

            EXEC_OR_FAIL(q, u"SELECT id, name FROM perflab_probe ORDER BY id"_s);
            int rows = 0;
            while (q.next()) {
                ++rows;
                QCOMPARE(q.value(0).toInt(), rows);
                QCOMPARE(q.value(1).toString(), u"name-%1"_s.arg(rows));
            }
            QCOMPARE(rows, 3);
            EXEC_OR_FAIL(q, u"SELECT count(*) FROM perflab_probe WHERE name LIKE 'name-%'"_s);
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 3);
        } // the query is destroyed before the connection, then removeDatabase() closes it
        QSqlDatabase::removeDatabase(connectionName);
    }

    void redis()
    {
        QString error;
        const QUrl url = urlFromEnv("PERFLAB_TEST_REDIS_URL", u"redis"_s, error);
        QVERIFY2(url.isValid(), qPrintable(error));

        RespClient client;
        QVERIFY2(client.connectTo(url, error), qPrintable(error));

        auto run = [&](const QList<QByteArray> &args) {
            error.clear();
            std::optional<RespReply> r = client.command(args, error);
            if (r && r->type == '-')
                error = u"Redis error for %1: %2"_s.arg(QString::fromUtf8(args.first()),
                                                        QString::fromUtf8(r->text));
            return r;
        };

        std::optional<RespReply> r = run({"PING"});
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->type, '+');
        QCOMPARE(r->text, QByteArray("PONG"));

        const QString db = url.path().mid(1);
        if (!db.isEmpty()) {
            r = run({"SELECT", db.toLatin1()});
            QVERIFY2(r && r->type == '+', qPrintable(error));
        }

        const QByteArray key =
            "perflab:test_services:" + QByteArray::number(QCoreApplication::applicationPid());
        const QByteArray value = "value with spaces,\r\n and \xc3\xa9";
        r = run({"SET", key, value, "EX", "60"});
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->type, '+');
        QCOMPARE(r->text, QByteArray("OK"));

        r = run({"GET", key});
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->type, '$');
        QVERIFY(!r->isNull);
        QCOMPARE(r->text, value);

        r = run({"DEL", key});
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->type, ':');
        QCOMPARE(r->text, QByteArray("1"));

        r = run({"GET", key});
        QVERIFY2(r, qPrintable(error));
        QVERIFY(r->isNull);
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "test_services.moc"
