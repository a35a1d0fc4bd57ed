// `perflab run --control-port 0` as a user drives it: the binary prints the control's URL,
// GET /load says what runs, a PATCH with a bad body or value answers 400 naming the field, and
// {"rate": 600} sent over a real socket mid-phase splits the phase: run.json then has both
// segments with their models and achieved rates, and the load_changed event. Bad flag values
// exit 2 naming the flag.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <optional>

using namespace perflab::test;

class TestRunCommandControl : public QObject
{
    Q_OBJECT

    static QString binary() { return QStringLiteral(PERFLAB_BINARY); }

    static QString writeScenario(const QTemporaryDir &dir)
    {
        const QJsonObject scenario{
            {QStringLiteral("name"), QStringLiteral("live rate over HTTP")},
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("database"), QJsonDocument::fromJson(smallDatasetJson()).object()}}},
            {QStringLiteral("load"), QJsonObject{{QStringLiteral("model"), QStringLiteral("open")},
                                                 {QStringLiteral("rate"), 200},
                                                 {QStringLiteral("connections"), 8}}},
            {QStringLiteral("requests"),
             QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/hello")}}}},
            {QStringLiteral("phases"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("steady")},
                                    {QStringLiteral("duration_s"), 6}}}},
        };
        const QString path = dir.filePath(QStringLiteral("scenario.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(QJsonDocument(scenario).toJson());
        return path;
    }

    static std::optional<RawResponse> request(quint16 port, const QByteArray &method,
                                              const QByteArray &body = {})
    {
        RawHttpClient client(port);
        if (!client.isConnected())
            return std::nullopt;
        QByteArray bytes = method + " /load HTTP/1.1\r\nHost: test\r\n";
        if (!body.isNull())
            bytes += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n";
        client.send(bytes + "\r\n" + body);
        return client.readResponse(5000);
    }

    static QJsonObject jsonOf(const RawResponse &response)
    {
        return QJsonDocument::fromJson(response.body).object();
    }

private Q_SLOTS:
    void aPatchChangesTheRateOfTheRunningPhase()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("report"));
        QProcess process;
        process.start(binary(), {QStringLiteral("run"), writeScenario(dir), QStringLiteral("--out"), out,
                                 QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                                 QStringLiteral("--control-port"), QStringLiteral("0")});
        QVERIFY(process.waitForStarted());
        // The first line names the control's URL, with the port it picked.
        QByteArray printed;
        QElapsedTimer clock;
        clock.start();
        const QRegularExpression urlPattern(
            QStringLiteral("load control: http://127\\.0\\.0\\.1:(\\d+)/load"));
        QRegularExpressionMatch match;
        while (!(match = urlPattern.match(QString::fromUtf8(printed))).hasMatch() &&
               clock.elapsed() < 20000) {
            process.waitForReadyRead(200);
            printed += process.readAllStandardOutput();
        }
        QVERIFY2(match.hasMatch(), printed.constData());
        const auto port = quint16(match.captured(1).toUInt());
        QVERIFY(port > 0);

        // GET /load says when the phase runs, and at which load.
        QJsonObject state;
        while (clock.elapsed() < 30000) {
            if (auto response = request(port, "GET"); response && response->status == 200) {
                state = jsonOf(*response);
                if (state.value(QStringLiteral("running")).toBool())
                    break;
            }
            QTest::qWait(50);
        }
        QVERIFY2(state.value(QStringLiteral("running")).toBool(), QJsonDocument(state).toJson().constData());
        QCOMPARE(state.value(QStringLiteral("phase")).toString(), QStringLiteral("steady"));
        QCOMPARE(state.value(QStringLiteral("model")).toObject().value(QStringLiteral("rate")).toDouble(),
                 200.0);
        QCOMPARE(state.value(QStringLiteral("model")).toObject().value(QStringLiteral("model")).toString(),
                 QStringLiteral("open"));

        // Bad input: 400, the field named (in "field" and in the message).
        const struct
        {
            QByteArray body;
            const char *field;
        } bad[] = {{"{\"rate\": \"fast\"}", "rate"},
                   {"{\"rate\": 0}", "rate"},
                   {"{\"rate\": -3}", "rate"},
                   {"{\"rate\": 5000000}", "rate"},
                   {"{\"connections\": 0}", "connections"},
                   {"{\"connections\": 2.5}", "connections"},
                   {"{\"speed\": 3}", "speed"},
                   {"not json", "body"},
                   {"{\"rate\": 300, \"connections\": 4}", "body"},
                   {"{}", "body"}};
        for (const auto &wrong : bad) {
            const auto response = request(port, "PATCH", wrong.body);
            QVERIFY2(response, wrong.body.constData());
            QVERIFY2(
                response->status == 400,
                qPrintable(
                    QStringLiteral("%1 %2").arg(response->status).arg(QString::fromUtf8(response->body))));
            const QJsonObject refusal = jsonOf(*response);
            QCOMPARE(refusal.value(QStringLiteral("field")).toString(), QLatin1String(wrong.field));
            QVERIFY2(refusal.value(QStringLiteral("detail"))
                         .toString()
                         .startsWith(QStringLiteral("%1:").arg(QLatin1String(wrong.field))),
                     response->body.constData());
        }

        // Let the first segment run a while, then change the rate.
        QTest::qWait(2000);
        const auto changed = request(port, "PATCH", "{\"rate\": 600}");
        QVERIFY(changed);
        QVERIFY2(changed->status == 200, changed->body.constData());
        const QJsonObject after = jsonOf(*changed);
        QCOMPARE(after.value(QStringLiteral("segment")).toString(), QStringLiteral("steady @ 600 req/s"));
        QCOMPARE(after.value(QStringLiteral("model")).toObject().value(QStringLiteral("rate")).toDouble(),
                 600.0);

        QVERIFY(process.waitForFinished(60000));
        printed += process.readAllStandardOutput();
        QVERIFY2(process.exitCode() == 0,
                 qPrintable(QString::fromUtf8(printed + process.readAllStandardError())));

        QFile file(QDir(out).filePath(QStringLiteral("run.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject run = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray phases = run.value(QStringLiteral("phases")).toArray();
        QCOMPARE(phases.size(), 2);
        const double wanted[] = {200, 600};
        for (int i = 0; i < 2; ++i) {
            const QJsonObject phase = phases[i].toObject();
            QCOMPARE(phase.value(QStringLiteral("segment_of")).toString(), QStringLiteral("steady"));
            QCOMPARE(phase.value(QStringLiteral("model")).toObject().value(QStringLiteral("rate")).toDouble(),
                     wanted[i]);
            const double achieved = phase.value(QStringLiteral("total"))
                                        .toObject()
                                        .value(QStringLiteral("requests_per_s"))
                                        .toDouble();
            QVERIFY2(std::abs(achieved / wanted[i] - 1) < 0.10, qPrintable(QString::number(achieved)));
        }
        QCOMPARE(phases[1].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("steady @ 600 req/s"));
        bool found = false;
        for (const QJsonValue &event : run.value(QStringLiteral("events")).toArray())
            found = found || event.toObject().value(QStringLiteral("kind")).toString() ==
                                 QLatin1String("load_changed");
        QVERIFY(found);
        // The phase table names the segment.
        QVERIFY2(printed.contains("steady @ 600 req/s"), printed.constData());
    }

    void badControlPortExitsTwo()
    {
        QProcess process;
        process.start(binary(), {QStringLiteral("run"), QStringLiteral("caching"),
                                 QStringLiteral("--control-port"), QStringLiteral("70000")});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--control-port"));
    }
};

QTEST_MAIN(TestRunCommandControl)
#include "test_run_command_control.moc"
