// The messages of a distributed run, which cross the network and are untrusted: a plan and an
// interval report survive encoding exactly (histograms bucket for bucket), and every kind of
// damage is rejected with the field named, never trusted in part. The shares add up to the
// whole load.
#include "HistogramAssertions.h"
#include "engine/agents/AgentPlanJson.h"
#include "engine/agents/AgentShare.h"
#include "engine/agents/IntervalMessage.h"
#include "engine/metrics/HdrV2Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace perflab;

namespace {

agents::AgentPlan samplePlan()
{
    agents::AgentPlan plan;
    plan.runId = QStringLiteral("0a1b-2c3d");
    plan.agentCount = 3;
    plan.plan.targetUrl = QStringLiteral("http://127.0.0.1:8000");
    plan.plan.timeoutMs = 5000;
    plan.plan.requests =
        QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/users/{zipf:1..100}")},
                               {QStringLiteral("weight"), 9}},
                   QJsonObject{{QStringLiteral("method"), QStringLiteral("PUT")},
                               {QStringLiteral("path"), QStringLiteral("/users/{uniform:1..100}?name=x")}}};
    load::LoadModel open;
    open.kind = load::LoadModelKind::Open;
    open.rate = 3000;
    open.connections = 64;
    load::LoadModel closed;
    closed.kind = load::LoadModelKind::Closed;
    closed.connections = 10;
    plan.plan.phases = {{QStringLiteral("cache off"), 2.5, open}, {QStringLiteral("cache on"), 4, closed}};
    return plan;
}

QJsonObject planObject()
{
    return QJsonDocument::fromJson(agents::planToJson(samplePlan())).object();
}

QString planError(const QJsonObject &object)
{
    auto parsed = agents::parsePlanJson(QJsonDocument(object).toJson());
    const QString *error = std::get_if<QString>(&parsed);
    return error ? *error : QStringLiteral("(accepted)");
}

agents::IntervalMessage sampleInterval()
{
    agents::IntervalMessage message;
    message.agent = QStringLiteral("a1");
    message.seq = 41;
    message.phase = 1;
    message.lastOfPhase = true;
    message.toMs = 1'700'000'000'123;
    message.routes.resize(2);
    message.routes[0].route = QStringLiteral("GET /users/{zipf:1..100}");
    message.routes[1].route = QStringLiteral("PUT /users/{uniform:1..100}?name=x");
    for (int i = 1; i <= 500; ++i) {
        message.routes[0].corrected.record(i * 37);
        message.routes[0].uncorrected.record(i * 11);
    }
    message.routes[0].corrected.record(2'500'000); // a 2.5 s outlier
    message.routes[0].responses = 499;
    message.routes[0].statusCounts = {{200, 497}, {404, 2}};
    message.routes[0].errors = {{QStringLiteral("status_4xx"), 2}, {QStringLiteral("timeout"), 2}};
    message.routes[0].bytesReceived = 123'456;
    message.routes[0].lateSends = 3;
    message.routes[0].serverTiming[QStringLiteral("db")] = {812.5, 97};
    message.generator.elapsedNs = 100'000'000;
    message.generator.asked = 100.25;
    message.generator.sent = 100;
    message.generator.sendLag.record(350);
    message.generator.threads = {{4'000'000, 120'000}, {3'000'000, 0}};
    message.generator.cpuKnown = true;
    message.generator.runWaitKnown = true;
    message.generator.connectionsOpen = 21;
    message.generator.connectFailures = 1;
    return message;
}

std::vector<QString> routeNames()
{
    return {QStringLiteral("GET /users/{zipf:1..100}"), QStringLiteral("PUT /users/{uniform:1..100}?name=x")};
}

QString intervalError(const QByteArray &bytes)
{
    auto decoded = agents::decodeInterval(bytes, routeNames(), 2);
    const QString *error = std::get_if<QString>(&decoded);
    return error ? *error : QStringLiteral("(accepted)");
}

QJsonObject intervalObject()
{
    return QJsonDocument::fromJson(agents::encodeInterval(sampleInterval())).object();
}

} // namespace

class TestAgentMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planRoundTrip()
    {
        auto parsed = agents::parsePlanJson(agents::planToJson(samplePlan()));
        if (auto *error = std::get_if<QString>(&parsed))
            QFAIL(qPrintable(*error));
        const agents::AgentPlan plan = std::get<agents::AgentPlan>(parsed);
        QCOMPARE(plan.runId, QStringLiteral("0a1b-2c3d"));
        QCOMPARE(plan.agentCount, 3);
        QCOMPARE(plan.plan.timeoutMs, 5000);
        QCOMPARE(plan.plan.mix.size(), std::size_t(2));
        QCOMPARE(plan.plan.mix[1].name(), QStringLiteral("PUT /users/{uniform:1..100}?name=x"));
        QCOMPARE(plan.plan.phases.size(), std::size_t(2));
        QCOMPARE(plan.plan.phases[0].durationS, 2.5);
        QCOMPARE(plan.plan.phases[0].model.rate, 3000.0);
        QCOMPARE(plan.plan.phases[1].model.kind, load::LoadModelKind::Closed);
        QCOMPARE(plan.plan.phases[1].model.connections, 10);
    }

    void badPlansNameTheField()
    {
        QJsonObject object = planObject();
        object.insert(QStringLiteral("agents"), 0);
        QVERIFY2(planError(object).startsWith(QStringLiteral("agents:")), qPrintable(planError(object)));
        object = planObject();
        object.insert(QStringLiteral("run"), QStringLiteral("x:y"));
        QVERIFY2(planError(object).startsWith(QStringLiteral("run:")), qPrintable(planError(object)));
        object = planObject();
        object.insert(QStringLiteral("target"), QStringLiteral("ftp://x"));
        QVERIFY2(planError(object).startsWith(QStringLiteral("target:")), qPrintable(planError(object)));
        object = planObject();
        QJsonArray phases = object.value(QStringLiteral("phases")).toArray();
        QJsonObject phase = phases[1].toObject();
        QJsonObject load = phase.value(QStringLiteral("load")).toObject();
        load.insert(QStringLiteral("connections"), -3);
        phase.insert(QStringLiteral("load"), load);
        phases[1] = phase;
        object.insert(QStringLiteral("phases"), phases);
        QVERIFY2(planError(object).startsWith(QStringLiteral("phases[1].load.connections")),
                 qPrintable(planError(object)));
        object = planObject();
        object.insert(QStringLiteral("requests"),
                      QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/x/{zipf:5..1}")}}});
        QVERIFY2(planError(object).startsWith(QStringLiteral("requests[0]")), qPrintable(planError(object)));
        object = planObject();
        object.insert(QStringLiteral("surprise"), 1);
        QVERIFY2(planError(object).contains(QStringLiteral("surprise")), qPrintable(planError(object)));
        QVERIFY(std::holds_alternative<QString>(agents::parsePlanJson("{not json")));
        QVERIFY(std::holds_alternative<QString>(agents::parsePlanJson("[1,2]")));
    }

    void intervalRoundTripIsExact()
    {
        const agents::IntervalMessage sent = sampleInterval();
        auto decoded = agents::decodeInterval(agents::encodeInterval(sent), routeNames(), 2);
        if (auto *error = std::get_if<QString>(&decoded))
            QFAIL(qPrintable(*error));
        const agents::IntervalMessage got = std::get<agents::IntervalMessage>(decoded);
        QCOMPARE(got.agent, sent.agent);
        QCOMPARE(got.seq, sent.seq);
        QCOMPARE(got.phase, 1);
        QVERIFY(got.lastOfPhase);
        QVERIFY(!got.final);
        QCOMPARE(got.toMs, sent.toMs);
        QCOMPARE(got.routes.size(), std::size_t(2));
        QCOMPARE(perflab::test::bucketDifference(got.routes[0].corrected, sent.routes[0].corrected),
                 QString());
        QCOMPARE(perflab::test::bucketDifference(got.routes[0].uncorrected, sent.routes[0].uncorrected),
                 QString());
        QCOMPARE(got.routes[0].corrected.valueAtPercentile(99),
                 sent.routes[0].corrected.valueAtPercentile(99));
        QCOMPARE(got.routes[0].responses, sent.routes[0].responses);
        QCOMPARE(got.routes[0].statusCounts, sent.routes[0].statusCounts);
        QCOMPARE(got.routes[0].errors, sent.routes[0].errors);
        QCOMPARE(got.routes[0].bytesReceived, sent.routes[0].bytesReceived);
        QCOMPARE(got.routes[0].lateSends, sent.routes[0].lateSends);
        QCOMPARE(got.routes[0].serverTiming.at(QStringLiteral("db")).count, std::uint64_t(97));
        QCOMPARE(got.routes[1].responses, std::uint64_t(0)); // left out of the message, empty on arrival
        QCOMPARE(got.routes[1].route, routeNames()[1]);
        QCOMPARE(got.generator.asked, 100.25);
        QCOMPARE(got.generator.sent, std::uint64_t(100));
        QCOMPARE(perflab::test::bucketDifference(got.generator.sendLag, sent.generator.sendLag), QString());
        QCOMPARE(got.generator.threads.size(), std::size_t(2));
        QCOMPARE(got.generator.threads[0].runWaitNs, std::int64_t(120'000));
        QVERIFY(got.generator.cpuKnown && got.generator.runWaitKnown);
        QCOMPARE(got.generator.connectionsOpen, std::int64_t(21));
    }

    void damagedIntervalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("field");
        auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject object = intervalObject();
            object.insert(key, value);
            return QJsonDocument(object).toJson();
        };
        auto withRoute = [](const QString &key, const QJsonValue &value) {
            QJsonObject object = intervalObject();
            QJsonArray routes = object.value(QStringLiteral("routes")).toArray();
            QJsonObject route = routes[0].toObject();
            route.insert(key, value);
            routes[0] = route;
            object.insert(QStringLiteral("routes"), routes);
            return QJsonDocument(object).toJson();
        };
        QTest::newRow("not json") << QByteArray("{\"agent\":") << QStringLiteral("not a JSON object");
        QTest::newRow("no agent") << with(QStringLiteral("agent"), QString()) << QStringLiteral("agent:");
        QTest::newRow("phase out of range") << with(QStringLiteral("phase"), 2) << QStringLiteral("phase:");
        QTest::newRow("negative seq") << with(QStringLiteral("seq"), -1) << QStringLiteral("seq:");
        QTest::newRow("fractional seq") << with(QStringLiteral("seq"), 1.5) << QStringLiteral("seq:");
        QTest::newRow("routes not array") << with(QStringLiteral("routes"), 3) << QStringLiteral("routes:");
        QTest::newRow("unknown route") << withRoute(QStringLiteral("i"), 7) << QStringLiteral("routes[0].i:");
        QTest::newRow("status code") << withRoute(QStringLiteral("status"),
                                                  QJsonObject{{QStringLiteral("999"), 1}})
                                     << QStringLiteral("routes[0].status:");
        QTest::newRow("error kind") << withRoute(QStringLiteral("errors"),
                                                 QJsonObject{{QStringLiteral("gremlins"), 1}})
                                    << QStringLiteral("routes[0].errors:");
        QTest::newRow("histogram not base64") << withRoute(QStringLiteral("corrected"), QStringLiteral("!!!"))
                                              << QStringLiteral("routes[0].corrected:");
        // A valid V2 encoding cut short: the decoder's own error, under the field's name.
        const QByteArray cut =
            metrics::encodeHdrV2Compressed(sampleInterval().routes[0].corrected).left(30).toBase64();
        QTest::newRow("histogram cut short")
            << withRoute(QStringLiteral("corrected"), QString::fromLatin1(cut))
            << QStringLiteral("routes[0].corrected: ");
        QTest::newRow("huge") << QByteArray(agents::kMaxIntervalBytes + 1, ' ')
                              << QStringLiteral("larger than");
    }

    void damagedIntervalsNameTheField()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, field);
        const QString error = intervalError(bytes);
        QVERIFY2(error.startsWith(field), qPrintable(error));
    }

    void sharesAddUpToTheWhole()
    {
        load::LoadModel closed;
        closed.kind = load::LoadModelKind::Closed;
        closed.connections = 10;
        int connections = 0;
        double fractions = 0;
        for (int i = 0; i < 3; ++i) {
            connections += agents::agentShare(closed, i, 3).connections;
            fractions += agents::agentShareFraction(closed, i, 3);
        }
        QCOMPARE(connections, 10);
        QCOMPARE(agents::agentShare(closed, 0, 3).connections, 4); // the first takes the remainder
        QVERIFY(qFuzzyCompare(fractions, 1.0));
        load::LoadModel stages;
        stages.kind = load::LoadModelKind::Stages;
        stages.stages = {{5, 300}, {5, 900}};
        const load::LoadModel share = agents::agentShare(stages, 2, 3);
        QCOMPARE(share.stages[0].rate, 100.0);
        QCOMPARE(share.stages[1].rate, 300.0);
        QCOMPARE(share.stages[1].durationS, 5.0);
    }
};

QTEST_GUILESS_MAIN(TestAgentMessages)
#include "test_agent_messages.moc"
