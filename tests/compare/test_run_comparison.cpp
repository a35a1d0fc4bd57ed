// Saved runs read back from run.json (figures as written, errors naming file and field), rows
// matched by phase name and route template with what only one run has listed, and the
// regression gate: its spec's errors and the direction in which each figure is worse.
#include "SyntheticRun.h"

#include "engine/compare/RegressionGate.h"
#include "engine/compare/RunComparison.h"
#include "engine/compare/SavedRun.h"
#include "engine/compare/SavedRunList.h"
#include "engine/report/ReportWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::compare;

namespace {

RouteFigures figures(const QString &route, double rps, double p99Ms, double errorRate = 0)
{
    RouteFigures f;
    f.route = route;
    f.requests = rps * 10;
    f.requestsPerS = rps;
    f.p50Ms = p99Ms / 4;
    f.p90Ms = p99Ms / 2;
    f.p99Ms = p99Ms;
    f.p999Ms = p99Ms * 2;
    f.maxMs = p99Ms * 3;
    f.errorRate = errorRate;
    f.errorCount = errorRate * f.requests;
    return f;
}

SavedPhase phase(const QString &name, std::vector<RouteFigures> routes)
{
    SavedPhase p;
    p.name = name;
    p.durationS = 10;
    p.total = figures(QStringLiteral("all"), 0, 0);
    for (const RouteFigures &r : routes) {
        p.total.requestsPerS += r.requestsPerS;
        p.total.p99Ms = std::max(p.total.p99Ms, r.p99Ms);
    }
    p.routes = std::move(routes);
    return p;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

} // namespace

class TestRunComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savedRunHasTheFiguresRunJsonHolds()
    {
        QTemporaryDir dir;
        const report::RunReport run = test::syntheticRun();
        QVERIFY(!report::writeReportFolder(run, dir.path()));
        auto loaded = loadSavedRun(dir.path());
        if (auto *error = std::get_if<QString>(&loaded))
            QFAIL(qPrintable(*error));
        const SavedRun &saved = std::get<SavedRun>(loaded);
        QCOMPARE(saved.phases.size(), run.phases.size());
        // The synthetic phases: 1000, 1500 and 500 requests over 10, 10 and 5 s.
        QCOMPARE(saved.phases[0].name, run.phases[0].name);
        QCOMPARE(saved.phases[0].total.requests, 1000.0);
        QCOMPARE(saved.phases[0].total.requestsPerS, 100.0);
        QCOMPARE(saved.phases[1].total.requestsPerS, 150.0);
        QCOMPARE(saved.phases[2].total.requestsPerS, 100.0);
        QCOMPARE(saved.phases[0].total.errorCount, 10.0);
        QCOMPARE(saved.phases[0].routes.size(), std::size_t(2));
        QCOMPARE(saved.phases[0].routes[0].route, QStringLiteral("GET /users/{zipf:1..100}"));
        // The one 250 ms stall every route has is its max.
        QVERIFY(std::abs(saved.phases[0].routes[0].maxMs - 250.0) < 0.25);
        QVERIFY(saved.phases[0].routes[0].p50Ms > 0);
        QVERIFY(saved.phases[0].routes[0].p50Ms <= saved.phases[0].routes[0].p99Ms);
        // The histogram comes back bucket for bucket.
        const metrics::LatencyHistogram &original = run.phases[0].stats.routes[0].corrected;
        const metrics::LatencyHistogram &rebuilt = saved.phases[0].routes[0].corrected;
        QCOMPARE(rebuilt.totalCount(), original.totalCount());
        QCOMPARE(rebuilt.valueAtPercentile(99.0), original.valueAtPercentile(99.0));
        // run.json keeps each bucket's lowest value: the max comes back as its bucket's (0.1 %).
        QVERIFY(rebuilt.max() <= original.max() && rebuilt.max() >= original.max() * 0.999);
        QCOMPARE(saved.total.requests, 3000.0);
        QCOMPARE(saved.passed, run.passed());
        // The run.json path itself is accepted too.
        QVERIFY(std::holds_alternative<SavedRun>(loadSavedRun(dir.filePath(QStringLiteral("run.json")))));
    }

    void notARunIsAnErrorNamingFileAndField_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{oops") << QStringLiteral("run.json: not JSON at byte");
        QTest::newRow("other format")
            << QByteArray(R"({"format": "k6-summary"})")
            << QStringLiteral("run.json: format: expected \"perflab-run/1\", got \"k6-summary\"");
        QTest::newRow("no phases") << QByteArray(R"({"format": "perflab-run/1"})")
                                   << QStringLiteral("run.json: phases: expected an array");
        // A route's figures are derived from its counts and buckets (as run.json's were), so the
        // damage that matters is there.
        QTest::newRow("route without buckets")
            << QByteArray(
                   R"({"format": "perflab-run/1", "started_ms": 0, "finished_ms": 1, "phases": [{"name": "a",
                "start_ms": 0, "end_ms": 1, "routes": [{"route": "GET /a", "responses": 1, "bytes_received": 0}]}]})")
            << QStringLiteral(
                   "run.json: phases[0].routes[0].histogram_us.corrected: expected [[value_us, count], ...]");
        QTest::newRow("count not a number")
            << QByteArray(
                   R"({"format": "perflab-run/1", "started_ms": 0, "finished_ms": 1, "phases": [{"name": "a",
                "start_ms": 0, "end_ms": 1, "routes": [{"route": "GET /a", "responses": "many"}]}]})")
            << QStringLiteral("run.json: phases[0].routes[0].responses: expected a number");
        QTest::newRow("negative bucket count")
            << QByteArray(
                   R"({"format": "perflab-run/1", "started_ms": 0, "finished_ms": 1, "phases": [{"name": "a",
                "start_ms": 0, "end_ms": 1, "routes": [{"route": "GET /a", "responses": 1, "bytes_received": 0,
                "histogram_us": {"corrected": [[1000, 1], [5, -1]]}}]}]})")
            << QStringLiteral(
                   "run.json: phases[0].routes[0].histogram_us.corrected[1]: expected [value_us, count]");
    }
    void notARunIsAnErrorNamingFileAndField()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("run.json")), content);
        auto loaded = loadSavedRun(dir.path());
        QVERIFY(std::holds_alternative<QString>(loaded));
        QVERIFY2(std::get<QString>(loaded).contains(expected), qPrintable(std::get<QString>(loaded)));
    }

    void missingFolderOrRunJsonIsNamed()
    {
        auto missing = loadSavedRun(QStringLiteral("/nonexistent/run-folder"));
        QCOMPARE(std::get<QString>(missing), QStringLiteral("/nonexistent/run-folder: no such folder"));
        QTemporaryDir empty;
        auto noRunJson = loadSavedRun(empty.path());
        QVERIFY(std::get<QString>(noRunJson).startsWith(empty.filePath(QStringLiteral("run.json")) +
                                                        QStringLiteral(": cannot read")));
    }

    void runsKeptAreListedNewestFirst()
    {
        QTemporaryDir dir;
        report::RunReport older = test::syntheticRun();
        report::RunReport newer = test::syntheticRun();
        newer.startedMs += 3600 * 1000;
        newer.finishedMs += 3600 * 1000;
        QVERIFY(!report::writeReportFolder(older, dir.filePath(QStringLiteral("b-older"))));
        QVERIFY(!report::writeReportFolder(newer, dir.filePath(QStringLiteral("a-newer"))));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("c-broken")));
        writeFile(dir.filePath(QStringLiteral("c-broken/run.json")), "{\"format\": \"perflab-run/1\"}");
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("d-not-a-run"))); // no run.json: not listed

        const std::vector<SavedRunEntry> entries = listSavedRuns(dir.path());
        QCOMPARE(entries.size(), std::size_t(3));
        // The synthetic runs start in 2027; the broken one counts from its file's time (now).
        QCOMPARE(QFileInfo(entries[0].folder).fileName(), QStringLiteral("a-newer"));
        QCOMPARE(QFileInfo(entries[1].folder).fileName(), QStringLiteral("b-older"));
        QCOMPARE(QFileInfo(entries[2].folder).fileName(), QStringLiteral("c-broken"));
        QVERIFY(entries[2].error.contains(QStringLiteral("phases: expected an array")));
        QVERIFY(entries[0].error.isEmpty());
        QCOMPARE(entries[0].scenarioName, newer.scenarioName);
        QCOMPARE(entries[0].phaseCount, 3);
        QCOMPARE(entries[0].passed, newer.passed());
        QCOMPARE(entries[0].requestsPerS, 3000.0 / 25.0); // 3000 requests over the phases' 25 s
        QVERIFY(entries[0].p99Ms > 0);
    }

    void rowsMatchByPhaseAndRouteAndListWhatOnlyOneHas()
    {
        SavedRun a;
        a.phases = {phase(QStringLiteral("warm"), {figures(QStringLiteral("GET /a"), 100, 2),
                                                   figures(QStringLiteral("GET /b"), 50, 4)}),
                    phase(QStringLiteral("hot"), {figures(QStringLiteral("GET /a"), 200, 1)})};
        SavedRun b;
        b.phases = {phase(QStringLiteral("hot"), {figures(QStringLiteral("GET /a"), 210, 1.1),
                                                  figures(QStringLiteral("GET /c"), 5, 9)}),
                    phase(QStringLiteral("warm"), {figures(QStringLiteral("GET /a"), 90, 2.2)}),
                    phase(QStringLiteral("cold"), {figures(QStringLiteral("GET /a"), 10, 20)})};
        const std::vector<ComparisonRow> rows = compareRuns(a, b);
        QStringList seen;
        for (const ComparisonRow &row : rows)
            seen << QStringLiteral("%1|%2|%3%4")
                        .arg(row.phase, row.route, row.a ? u"a" : u"-", row.b ? u"b" : u"-");
        QCOMPARE(seen, (QStringList{QStringLiteral("warm|all|ab"), QStringLiteral("warm|GET /a|ab"),
                                    QStringLiteral("warm|GET /b|a-"), QStringLiteral("hot|all|ab"),
                                    QStringLiteral("hot|GET /a|ab"), QStringLiteral("hot|GET /c|-b"),
                                    QStringLiteral("cold|all|-b"), QStringLiteral("cold|GET /a|-b")}));
        QCOMPARE(rows[1].a->requestsPerS, 100.0);
        QCOMPARE(rows[1].b->requestsPerS, 90.0); // B's "warm" although it is B's second phase
        QCOMPARE(*changePercent(100, 90), -10.0);
        QVERIFY(!changePercent(0, 5));
    }

    void gateSpecErrorsNameTheEntry_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QString() << QStringLiteral("expected METRIC=LIMIT[,...]");
        QTest::newRow("unknown metric")
            << QStringLiteral("p75=10%")
            << QStringLiteral("'p75=10%': expected METRIC=LIMIT with METRIC one of");
        QTest::newRow("no value") << QStringLiteral("p99") << QStringLiteral("'p99': expected METRIC=LIMIT");
        QTest::newRow("not a number")
            << QStringLiteral("rps=fast") << QStringLiteral("'rps=fast': expected a number >= 0 before %");
        QTest::newRow("negative") << QStringLiteral("p99=-5%")
                                  << QStringLiteral("'p99=-5%': expected a number >= 0");
        QTest::newRow("pp on a latency")
            << QStringLiteral("p99=10pp") << QStringLiteral("'p99=10pp': p99 takes %, not pp");
        QTest::newRow("% on the error rate")
            << QStringLiteral("error_rate=1%") << QStringLiteral("error_rate takes pp, not %");
    }
    void gateSpecErrorsNameTheEntry()
    {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        auto parsed = parseMaxRegression(spec);
        QVERIFY(std::holds_alternative<QString>(parsed));
        QVERIFY2(std::get<QString>(parsed).contains(expected), qPrintable(std::get<QString>(parsed)));
    }

    void gateFindsWhatGotWorseInItsDirection()
    {
        auto parsed = parseMaxRegression(QStringLiteral("p99=10%,rps=5,error_rate=0.5pp"));
        QVERIFY(std::holds_alternative<std::vector<GateLimit>>(parsed));
        const auto limits = std::get<std::vector<GateLimit>>(parsed);
        QCOMPARE(limits.size(), std::size_t(3));
        QCOMPARE(limits[1].metric, GateMetric::Rps);
        QCOMPARE(limits[1].limit, 5.0);

        SavedRun a;
        a.phases = {phase(QStringLiteral("p"), {figures(QStringLiteral("GET /slower"), 100, 2),
                                                figures(QStringLiteral("GET /fewer"), 100, 2),
                                                figures(QStringLiteral("GET /failing"), 100, 2, 0.001),
                                                figures(QStringLiteral("GET /better"), 100, 2),
                                                figures(QStringLiteral("GET /gone"), 100, 2)})};
        SavedRun b;
        b.phases = {phase(QStringLiteral("p"), {figures(QStringLiteral("GET /slower"), 100, 2.3),
                                                figures(QStringLiteral("GET /fewer"), 94, 2),
                                                figures(QStringLiteral("GET /failing"), 100, 2, 0.007),
                                                figures(QStringLiteral("GET /better"), 200, 1)})};
        const std::vector<Regression> found = findRegressions(compareRuns(a, b), limits);
        QStringList named;
        for (const Regression &r : found)
            named << QStringLiteral("%1 %2").arg(r.route, r.metric);
        // Faster and busier is no regression; a route B lacks is listed, not gated; the "all"
        // row's p99 is the max of its routes' (2.3 vs 2: +15 %).
        QCOMPARE(named,
                 (QStringList{QStringLiteral("all p99"), QStringLiteral("GET /slower p99"),
                              QStringLiteral("GET /fewer rps"), QStringLiteral("GET /failing error_rate")}));
        QVERIFY2(std::abs(found[1].change - 15.0) < 1e-9, qPrintable(found[1].text()));
        QCOMPARE(found[1].text(),
                 QStringLiteral("phase 'p', GET /slower: p99 2 ms -> 2.3 ms (+15.0 % > 10 %)"));
        QCOMPARE(found[2].text(),
                 QStringLiteral("phase 'p', GET /fewer: rps 100.0 req/s -> 94.0 req/s (-6.0 % > 5 %)"));
        QCOMPARE(found[3].text(),
                 QStringLiteral("phase 'p', GET /failing: error_rate 0.10 % -> 0.70 % (+0.60 pp > 0.5 pp)"));
    }
};

QTEST_GUILESS_MAIN(TestRunComparison)
#include "test_run_comparison.moc"
