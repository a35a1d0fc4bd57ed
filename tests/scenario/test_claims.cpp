// Claims judged on known figures: ratios of phases and of routes within a phase, absolute
// bounds, status shares, bytes, rates, hit_rate from the server series (and its absence
// with an external target), figures that cannot be had, interrupted and skipped phases, and
// the line `perflab run` prints for each.
#include "engine/report/ClaimText.h"
#include "engine/scenario/ClaimEvaluator.h"
#include "engine/scenario/Scenario.h"

#include <QJsonDocument>
#include <QTest>

using namespace perflab;
using namespace perflab::scenario;
using report::ClaimStatus;

namespace {

constexpr qint64 kStartMs = 1'700'000'000'000;

const QByteArray kScenario = R"({"name": "t",
 "load": {"model": "open", "rate": 100},
 "requests": [{"path": "/fast"}, {"path": "/slow"}],
 "phases": [{"name": "off", "duration_s": 10}, {"name": "on", "duration_s": 10}],
 "expect": [
  {"claim": "on is cheaper", "metric": "p50_ms", "route": "GET /fast", "phase": "on", "vs": "off", "at_most": 0.5},
  {"claim": "fast beats slow", "metric": "p50_ms", "route": "GET /fast", "phase": "off", "vs": {"route": "GET /slow"}, "at_most": 0.1},
  {"claim": "slow stays slow", "metric": "p99_ms", "route": "GET /slow", "at_least": 50},
  {"claim": "no 503 when off", "metric": "status_503_share", "phase": "off", "at_most": 0},
  {"claim": "some 503 when on", "metric": "status_503_share", "phase": "on", "at_least": 0.1},
  {"claim": "fewer bytes on", "metric": "bytes_per_request", "phase": "on", "vs": "off", "at_most": 0.5},
  {"claim": "throughput", "metric": "rps", "phase": "on", "at_least": 15},
  {"claim": "hits", "metric": "hit_rate", "phase": "on", "at_least": 0.8},
  {"claim": "errors", "metric": "error_rate", "phase": "off", "at_most": 0.01}
 ]})";

Scenario claimsScenario()
{
    auto parsed = parseScenario(QJsonDocument::fromJson(kScenario).object(), QStringLiteral("t.json"));
    if (auto *error = std::get_if<ScenarioError>(&parsed))
        qFatal("%s", qPrintable(error->toString()));
    return std::get<Scenario>(std::move(parsed));
}

// `count` responses of `ms` each, `status` for `share` of them and 200 for the rest.
load::RouteStats route(const QString &name, int count, double ms, int bytesEach, int status = 200,
                       double share = 0)
{
    load::RouteStats stats;
    stats.route = name;
    stats.responses = std::uint64_t(count);
    stats.corrected.record(std::int64_t(ms * 1000), std::uint64_t(count));
    stats.uncorrected.record(std::int64_t(ms * 1000), std::uint64_t(count));
    const auto other = std::uint64_t(count * share);
    stats.statusCounts[200] = std::uint64_t(count) - other;
    if (other)
        stats.statusCounts[status] = other;
    stats.bytesReceived = std::uint64_t(count) * std::uint64_t(bytesEach);
    return stats;
}

// "off": /fast 2 ms, /slow 100 ms, 1000 bytes; "on": /fast 0.5 ms with 20 % 503s, 200 bytes.
// 10 s each; the server saw 90 hits and 10 misses per second while "on" ran.
report::RunReport run()
{
    report::RunReport report;
    report.startedMs = kStartMs;
    report::PhaseReport off;
    off.name = QStringLiteral("off");
    off.startMs = kStartMs;
    off.endMs = kStartMs + 10'000;
    off.stats.routes = {route(QStringLiteral("GET /fast"), 100, 2, 1000),
                        route(QStringLiteral("GET /slow"), 100, 100, 1000)};
    report::PhaseReport on = off;
    on.name = QStringLiteral("on");
    on.startMs = off.endMs;
    on.endMs = on.startMs + 10'000;
    on.stats.routes = {route(QStringLiteral("GET /fast"), 100, 0.5, 200, 503, 0.2),
                       route(QStringLiteral("GET /slow"), 100, 100, 200)};
    report.phases = {off, on};
    report.server.columns = {QStringLiteral("cache_hits"), QStringLiteral("cache_misses")};
    for (qint64 t = on.startMs + 1000; t <= on.endMs; t += 1000) {
        metrics::Sample sample;
        sample.timestampMs = t;
        sample.values = {90, 10};
        report.server.samples.push_back(sample);
    }
    report.finishedMs = on.endMs;
    return report;
}

const report::ClaimResult &byText(const std::vector<report::ClaimResult> &results, const char *text)
{
    for (const report::ClaimResult &result : results)
        if (result.claim == QLatin1String(text))
            return result;
    qFatal("no claim %s", text);
}

} // namespace

class TestClaims : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void judgedOnKnownFigures()
    {
        const auto results = evaluateClaims(claimsScenario(), run());
        QCOMPARE(results.size(), std::size_t(9));
        for (const report::ClaimResult &result : results)
            QVERIFY2(result.status == ClaimStatus::Verified, qPrintable(report::claimLine(result)));

        const report::ClaimResult &phases = byText(results, "on is cheaper");
        QVERIFY(phases.relative);
        QCOMPARE(phases.phase, QStringLiteral("on"));
        QCOMPARE(phases.referencePhase, QStringLiteral("off"));
        QCOMPARE(phases.referenceRoute, QStringLiteral("GET /fast"));
        QVERIFY(qAbs(*phases.value - 0.5) < 0.001);
        QVERIFY(qAbs(*phases.referenceValue - 2) < 0.002);
        QVERIFY(qAbs(*phases.ratio - 0.25) < 0.001);
        QCOMPARE(report::claimLine(phases),
                 QStringLiteral(
                     "claim verified: on is cheaper — p50_ms GET /fast: on 0.5 ms / off 2 ms = 0.25 ≤ 0.5"));

        const report::ClaimResult &routes = byText(results, "fast beats slow");
        QCOMPARE(report::claimFiguresText(routes),
                 QStringLiteral("p50_ms in off: GET /fast 2 ms / GET /slow 100 ms = 0.02 ≤ 0.1"));
        // No phase: every phase merged.
        QCOMPARE(report::claimFiguresText(byText(results, "slow stays slow")),
                 QStringLiteral("p99_ms GET /slow: whole run 100 ms ≥ 50"));
        QCOMPARE(*byText(results, "no 503 when off").value, 0.0);
        QCOMPARE(*byText(results, "some 503 when on").value, 0.1); // 20 of 200 requests
        QCOMPARE(*byText(results, "fewer bytes on").ratio, 0.2);
        QCOMPARE(*byText(results, "throughput").value, 20.0);
        QCOMPARE(*byText(results, "hits").value, 0.9);
        QCOMPARE(report::claimFiguresText(byText(results, "hits")), QStringLiteral("hit_rate: on 0.9 ≥ 0.8"));
    }

    void figuresAgainstTheBoundAreNotVerified()
    {
        report::RunReport report = run();
        std::swap(report.phases[0].stats, report.phases[1].stats); // "on" is now the dear one
        const auto results = evaluateClaims(claimsScenario(), report);
        const report::ClaimResult &phases = byText(results, "on is cheaper");
        QCOMPARE(phases.status, ClaimStatus::NotVerified);
        QVERIFY(qAbs(*phases.ratio - 4) < 0.01);
        QVERIFY(phases.reason.isEmpty());
        QCOMPARE(
            report::claimLine(phases),
            QStringLiteral(
                "claim not verified: on is cheaper — p50_ms GET /fast: on 2 ms / off 0.5 ms = 4, expected ≤ 0.5"));
        QCOMPARE(byText(results, "no 503 when off").status, ClaimStatus::NotVerified);
        QCOMPARE(byText(results, "some 503 when on").status, ClaimStatus::NotVerified);
        QCOMPARE(byText(results, "slow stays slow").status, ClaimStatus::Verified); // merged: unchanged
    }

    void figuresThatCannotBeHadAreNotVerifiedWithTheReason()
    {
        report::RunReport report = run();
        report.server = {}; // an external target: no server series
        report.phases[0].stats.routes[0] = route(QStringLiteral("GET /fast"), 0, 1, 0); // no responses
        const auto results = evaluateClaims(claimsScenario(), report);
        const report::ClaimResult &hits = byText(results, "hits");
        QCOMPARE(hits.status, ClaimStatus::NotVerified);
        QVERIFY2(hits.reason.contains(QLatin1String("external target")), qPrintable(hits.reason));
        const report::ClaimResult &phases = byText(results, "on is cheaper");
        QCOMPARE(phases.status, ClaimStatus::NotVerified);
        QCOMPARE(phases.reason, QStringLiteral("no requests on GET /fast in phase 'off'"));
        QVERIFY(phases.value && !phases.referenceValue);
        QVERIFY(report::claimLine(phases).endsWith(
            QStringLiteral("/ off ? (≤ 0.5): no requests on GET /fast in phase 'off'")));

        // A reference of 0 gives no ratio.
        report = run();
        report.phases[0].stats.routes[0].bytesReceived = 0;
        report.phases[0].stats.routes[1].bytesReceived = 0;
        const auto zeroBytes = evaluateClaims(claimsScenario(), report);
        const report::ClaimResult &bytes = byText(zeroBytes, "fewer bytes on");
        QCOMPARE(bytes.status, ClaimStatus::NotVerified);
        QVERIFY(bytes.reason.contains(QLatin1String("reference figure is 0")));
        QVERIFY(!bytes.ratio);
    }

    void claimsOnUnfinishedPhasesAreNotEvaluated()
    {
        report::RunReport report = run();
        report.phases[1].interrupted = true;
        auto results = evaluateClaims(claimsScenario(), report);
        QCOMPARE(byText(results, "on is cheaper").status, ClaimStatus::NotEvaluated);
        QCOMPARE(byText(results, "on is cheaper").reason, QStringLiteral("phase 'on' was interrupted"));
        QCOMPARE(byText(results, "slow stays slow").status, ClaimStatus::NotEvaluated); // the whole run
        QCOMPARE(byText(results, "fast beats slow").status, ClaimStatus::Verified);     // "off" finished
        report.claims = results;
        QVERIFY(report.claimsHold()); // not evaluated is not untrue

        report.phases.pop_back(); // stopped before "on" began
        results = evaluateClaims(claimsScenario(), report);
        QVERIFY(byText(results, "hits").reason.contains(QLatin1String("did not run")));
        QCOMPARE(report::claimLine(byText(results, "hits")).left(21),
                 QStringLiteral("claim not evaluated: "));

        report.claims = evaluateClaims(claimsScenario(), run());
        QVERIFY(report.claimsHold() && report.passed());
        report.claims[3].status = ClaimStatus::NotVerified;
        QVERIFY(!report.claimsHold() && !report.passed());
    }
};

QTEST_GUILESS_MAIN(TestClaims)
#include "test_claims.moc"
