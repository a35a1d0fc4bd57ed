// What a finished capacity search writes, from a hand-made KneeResult: knee.json (every step,
// capacity and knee, null where there is none, the flags), the two charts (achieved against
// offered with y = x, latency with the p99 bound, the capacity band), knee.html (its sections,
// the charts inline, nothing external) and the folder (knee/KneeFolder), and the terminal's
// table row and capacity line for each outcome.
#include "engine/knee/KneeCharts.h"
#include "engine/knee/KneeFolder.h"
#include "engine/knee/KneeHtml.h"
#include "engine/knee/KneeJson.h"
#include "engine/knee/KneeText.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::knee;

namespace {

KneeStep step(StepKind kind, double offered, double achieved, double p99, KneeReason verdict)
{
    KneeStep s;
    s.kind = kind;
    s.offeredRps = offered;
    s.achievedRps = achieved;
    s.measuredS = 4;
    s.responses = std::uint64_t(achieved * 4);
    s.requests = s.responses;
    s.p50Ms = p99 / 2;
    s.p99Ms = p99;
    s.maxMs = p99 * 1.5;
    s.p99UncorrectedMs = 11;
    s.verdict = verdict;
    return s;
}

// 100, 150, 225 (p99 over the bound), then one refinement at 187.5 that passed.
KneeResult kneeAt225()
{
    KneeResult result;
    result.targetArgument = QStringLiteral("limited <10>.json");
    result.url = QStringLiteral("http://127.0.0.1:40000");
    result.embedded = true;
    result.routes = {QStringLiteral("GET /limited")};
    result.search.plan.refinements = 1;
    result.steps = {step(StepKind::Rise, 100, 100, 12, KneeReason::None),
                    step(StepKind::Rise, 150, 149.5, 13, KneeReason::None),
                    step(StepKind::Rise, 225, 200, 480, KneeReason::RateNotFollowed),
                    step(StepKind::Refine, 187.5, 187, 40, KneeReason::None)};
    result.stoppedBecause = KneeReason::RateNotFollowed;
    result.capacityRps = 187.5;
    result.capacityStep = 3;
    result.kneeStep = 2;
    result.startedMs = 1'700'000'000'000;
    result.finishedMs = result.startedMs + 20'000;
    return result;
}

// A closed-loop sweep of 1, 2, 4 and 8 clients that levels off, with its fit.
KneeResult sweepOf4()
{
    KneeResult result;
    result.targetArgument = QStringLiteral("limited.json");
    result.url = QStringLiteral("http://127.0.0.1:40000");
    result.search.concurrencySweep = true;
    result.search.connections = 8;
    const std::vector<std::pair<int, double>> measured{{1, 95}, {2, 180}, {4, 240}, {8, 230}};
    std::vector<UslPoint> points;
    for (const auto &[clients, throughput] : measured) {
        KneeStep s = step(StepKind::Sweep, 0, throughput, 10.0 * clients, KneeReason::None);
        s.concurrency = clients;
        result.steps.push_back(s);
        points.push_back({double(clients), throughput});
    }
    result.usl = fitUsl(points);
    result.stoppedBecause = KneeReason::SweepCompleted;
    result.capacityStep = 2;
    result.capacityRps = 240;
    return result;
}

const report::ChartLine *lineNamed(const report::ChartSpec &spec, const QString &prefix)
{
    for (const report::ChartLine &line : spec.lines)
        if (line.label.startsWith(prefix))
            return &line;
    return nullptr;
}

} // namespace

class TestKneeOutputs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonHasEveryStepAndTheOutcome()
    {
        const QJsonObject json = kneeJson(kneeAt225());
        QCOMPARE(json[QStringLiteral("format")].toString(), QStringLiteral("perflab-knee/1"));
        QCOMPARE(json[QStringLiteral("target")].toString(), QStringLiteral("limited <10>.json"));
        QCOMPARE(json[QStringLiteral("capacity_rps")].toDouble(), 187.5);
        QCOMPARE(json[QStringLiteral("capacity_step")].toInt(), 4);
        QCOMPARE(json[QStringLiteral("knee_rps")].toDouble(), 225.0);
        QCOMPARE(json[QStringLiteral("knee_step")].toInt(), 3);
        QCOMPARE(json[QStringLiteral("stopped_because")].toString(), QStringLiteral("rate_not_followed"));
        QCOMPARE(json[QStringLiteral("requests")].toArray().first().toString(),
                 QStringLiteral("GET /limited"));
        const QJsonObject flags = json[QStringLiteral("flags")].toObject();
        QCOMPARE(flags[QStringLiteral("factor")].toDouble(), 1.5);
        QVERIFY(!flags.contains(QStringLiteral("step_rate")));
        QCOMPARE(flags[QStringLiteral("p99_ms")].toDouble(), 100.0);
        QCOMPARE(flags[QStringLiteral("refine")].toInt(), 1);
        QCOMPARE(json[QStringLiteral("duration_s")].toDouble(), 20.0);
        const QJsonArray steps = json[QStringLiteral("steps")].toArray();
        QCOMPARE(steps.size(), 4);
        const QJsonObject knee = steps[2].toObject();
        QCOMPARE(knee[QStringLiteral("step")].toInt(), 3);
        QCOMPARE(knee[QStringLiteral("kind")].toString(), QStringLiteral("rise"));
        QCOMPARE(knee[QStringLiteral("verdict")].toString(), QStringLiteral("rate_not_followed"));
        QCOMPARE(knee[QStringLiteral("passed")].toBool(), false);
        QCOMPARE(knee[QStringLiteral("achieved_rps")].toDouble(), 200.0);
        QCOMPARE(knee[QStringLiteral("followed_share")].toDouble(), 200.0 / 225.0);
        QCOMPARE(steps[3].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("refine"));
        QCOMPARE(steps[3].toObject()[QStringLiteral("verdict")].toString(), QStringLiteral("passed"));
    }

    void jsonSaysNullWithoutCapacityOrKnee()
    {
        KneeResult none = kneeAt225();
        none.steps.resize(1);
        none.steps[0].verdict = KneeReason::LatencyKnee;
        none.capacityStep.reset();
        none.capacityRps = 0;
        none.kneeStep = 0;
        none.stoppedBecause = KneeReason::LatencyKnee;
        QJsonObject json = kneeJson(none);
        QVERIFY(json[QStringLiteral("capacity_rps")].isNull());
        QVERIFY(json[QStringLiteral("capacity_step")].isNull());
        QCOMPARE(json[QStringLiteral("knee_rps")].toDouble(), 100.0);

        KneeResult sustained = kneeAt225();
        sustained.steps.resize(2);
        sustained.capacityStep = 1;
        sustained.capacityRps = 150;
        sustained.kneeStep.reset();
        sustained.stoppedBecause = KneeReason::MaxRateSustained;
        sustained.search.plan.stepRps = 50;
        json = kneeJson(sustained);
        QVERIFY(json[QStringLiteral("knee_rps")].isNull());
        QVERIFY(json[QStringLiteral("knee_step")].isNull());
        QCOMPARE(json[QStringLiteral("stopped_because")].toString(), QStringLiteral("max_rate_sustained"));
        QCOMPARE(json[QStringLiteral("flags")].toObject()[QStringLiteral("step_rate")].toDouble(), 50.0);
        QVERIFY(!json[QStringLiteral("flags")].toObject().contains(QStringLiteral("factor")));
    }

    void chartsDrawAgainstTheOfferedRate()
    {
        const std::vector<report::NamedChart> charts = kneeCharts(kneeAt225());
        QCOMPARE(charts.size(), std::size_t(2));
        QCOMPARE(charts[0].fileName, QStringLiteral("knee-rate.svg"));
        QCOMPARE(charts[1].fileName, QStringLiteral("knee-latency.svg"));

        const report::ChartSpec &rate = charts[0].spec;
        const report::ChartLine *achieved = lineNamed(rate, QStringLiteral("achieved"));
        const report::ChartLine *diagonal = lineNamed(rate, QStringLiteral("offered"));
        QVERIFY(achieved && diagonal);
        // One point per step, in rate order (the refinement at 187.5 between 150 and 225).
        QCOMPARE(achieved->points.size(), std::size_t(4));
        QCOMPARE(achieved->points[2].x, 187.5);
        QCOMPARE(achieved->points[3].y, 200.0);
        QVERIFY(diagonal->dashed);
        QCOMPARE(diagonal->points.back().x, 225.0);
        QCOMPARE(diagonal->points.back().y, 225.0);
        QCOMPARE(diagonal->points.front().y, 0.0);
        // The capacity splits the axis into two bands.
        QCOMPARE(rate.phases.size(), std::size_t(2));
        QCOMPARE(rate.phases[0].endS, 187.5);
        QCOMPARE(rate.phases[1].startS, 187.5);

        const report::ChartSpec &latency = charts[1].spec;
        QVERIFY(latency.logY);
        const report::ChartLine *bound = lineNamed(latency, QStringLiteral("p99 bound"));
        const report::ChartLine *p99 = lineNamed(latency, QStringLiteral("p99"));
        QVERIFY(bound && p99);
        QVERIFY(bound->dashed);
        QCOMPARE(bound->points.front().y, 100.0);
        QCOMPARE(bound->points.back().y, 100.0);
        QCOMPARE(p99->points.back().y, 480.0);
        QVERIFY(latency.yMax && *latency.yMax > 480); // the highest p99 below the top, not on it
        const QString svg = report::renderSvgChart(latency);
        QVERIFY(svg.contains(QStringLiteral("offered rate (req/s)")));
        QVERIFY(svg.contains(QStringLiteral("p99 bound (100 ms)")));
    }

    void htmlIsOneSelfContainedPage()
    {
        const KneeResult result = kneeAt225();
        const QString html = kneeHtml(result, kneeCharts(result));
        for (const char *id : {"summary", "rule", "charts", "steps", "environment"})
            QVERIFY2(html.contains(QStringLiteral("<section id=\"%1\">").arg(QLatin1String(id))), id);
        QCOMPARE(html.count(QStringLiteral("<svg ")), 2);
        QVERIFY(html.contains(QStringLiteral("limited &lt;10&gt;.json")));
        QVERIFY(!html.contains(QStringLiteral("limited <10>")));
        QVERIFY(html.contains(capacityLine(result).toHtmlEscaped()));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("src=")));
        QVERIFY(!html.contains(QStringLiteral("href=")));
    }

    void theFolderHoldsJsonHtmlAndSvgs()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("nested/knee"));
        QCOMPARE(writeKneeFolder(kneeAt225(), out), std::nullopt);
        for (const char *file : {"knee.json", "knee.html", "charts/knee-rate.svg", "charts/knee-latency.svg"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QLatin1String(file))), file);
        QFile json(QDir(out).filePath(QStringLiteral("knee.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll()).object()[QStringLiteral("capacity_rps")].toDouble(),
                 187.5);

        // A folder that cannot be made is named in the error.
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const std::optional<QString> error =
            writeKneeFolder(kneeAt225(), dir.filePath(QStringLiteral("file")));
        QVERIFY(error);
        QVERIFY2(error->contains(QStringLiteral("file")), qPrintable(*error));
    }

    void aSweepSaysItsClientsAndItsLaw()
    {
        const KneeResult sweep = sweepOf4();
        QVERIFY(sweep.usl);
        QVERIFY(sweep.foundCapacity());
        const QJsonObject json = kneeJson(sweep);
        QCOMPARE(json[QStringLiteral("mode")].toString(), QStringLiteral("concurrency_sweep"));
        QCOMPARE(json[QStringLiteral("capacity_rps")].toDouble(), 240.0);
        QVERIFY(json[QStringLiteral("knee_rps")].isNull());
        const QJsonObject usl = json[QStringLiteral("usl")].toObject();
        QCOMPARE(usl[QStringLiteral("sigma")].toDouble(), sweep.usl->sigma);
        QCOMPARE(usl[QStringLiteral("kappa")].toDouble(), sweep.usl->kappa);
        QCOMPARE(usl[QStringLiteral("peak_concurrency")].toDouble(), *sweep.usl->peakConcurrency);
        const QJsonObject flags = json[QStringLiteral("flags")].toObject();
        QCOMPARE(flags[QStringLiteral("max_concurrency")].toInt(), 8);
        QVERIFY(!flags.contains(QStringLiteral("start_rate")));
        const QJsonArray steps = json[QStringLiteral("steps")].toArray();
        QCOMPARE(steps[3].toObject()[QStringLiteral("concurrency")].toInt(), 8);
        QCOMPARE(steps[3].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("sweep"));
        // A rate search has no law and no concurrency per step.
        QVERIFY(!kneeJson(kneeAt225()).contains(QStringLiteral("usl")));
        QVERIFY(!kneeJson(kneeAt225())[QStringLiteral("steps")].toArray().first().toObject().contains(
            QStringLiteral("concurrency")));

        const std::vector<report::NamedChart> charts = kneeCharts(sweep);
        QCOMPARE(charts.size(), std::size_t(2));
        QCOMPARE(charts[0].fileName, QStringLiteral("sweep-throughput.svg"));
        QCOMPARE(charts[1].fileName, QStringLiteral("sweep-latency.svg"));
        const report::ChartLine *fitted = lineNamed(charts[0].spec, QStringLiteral("USL fit"));
        const report::ChartLine *measured = lineNamed(charts[0].spec, QStringLiteral("measured"));
        QVERIFY(fitted && measured);
        QCOMPARE(measured->points.size(), std::size_t(4));
        QCOMPARE(measured->points[2].y, 240.0);
        QCOMPARE(fitted->points.front().x, 1.0);
        QCOMPARE(fitted->points.front().y, sweep.usl->throughputAt(1));

        const QString line = capacityLine(sweep);
        QVERIFY2(line.startsWith(
                     QStringLiteral("highest throughput: 240 req/s at 4 clients (step 3) — USL fit: λ ")),
                 qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("; peak at ")), qPrintable(line));
        QVERIFY(sweepTableRow(4, sweep.steps[3], sweep.search.bounds).contains(QStringLiteral("       8")));
        QCOMPARE(uslText(std::nullopt),
                 QStringLiteral("USL fit: none (fewer than three concurrencies answered, or no solution)"));
        UslFit levels{100, 0.25, -0.001, 0.9, std::nullopt, std::nullopt};
        QVERIFY2(uslText(levels).endsWith(
                     QStringLiteral("no peak (κ <= 0): throughput levels off towards λ/σ = 400 req/s")),
                 qPrintable(uslText(levels)));

        const QString html = kneeHtml(sweep, charts);
        QVERIFY(html.contains(QStringLiteral("<h1>Scalability of limited.json</h1>")));
        QVERIFY(html.contains(QStringLiteral("<th>clients</th>")));
        QVERIFY(html.contains(uslText(sweep.usl).toHtmlEscaped()));
        QCOMPARE(html.count(QStringLiteral("<svg ")), 2);

        KneeResult unfitted = sweep;
        unfitted.usl.reset();
        QVERIFY(!unfitted.foundCapacity());
        QVERIFY(kneeJson(unfitted)[QStringLiteral("usl")].isNull());
    }

    void theTerminalSaysEachOutcome()
    {
        const KneeResult result = kneeAt225();
        QCOMPARE(
            capacityLine(result),
            QStringLiteral("capacity: 188 req/s (step 4) — the knee: 225 req/s (step 3), achieved rate fell "
                           "behind the offered rate: 200 of 225 req/s, 88.9% < 95.0%"));
        const QString row = stepTableRow(3, result.steps[2], result.search.bounds);
        QVERIFY2(row.contains(QStringLiteral("rise")) && row.contains(QStringLiteral("225")),
                 qPrintable(row));
        QVERIFY2(row.endsWith(QStringLiteral("(200 of 225 req/s, 88.9% < 95.0%)")), qPrintable(row));
        // Columns line up with the header.
        QCOMPARE(row.indexOf(QStringLiteral("rise")), stepTableHeader().indexOf(QStringLiteral("kind")));

        KneeResult sustained = result;
        sustained.stoppedBecause = KneeReason::MaxRateSustained;
        sustained.kneeStep.reset();
        sustained.search.plan.maxRps = 187.5;
        QCOMPARE(
            capacityLine(sustained),
            QStringLiteral("capacity: 188 req/s (step 4) — --max-rate sustained: no knee up to 188 req/s"));

        KneeResult none = result;
        none.capacityStep.reset();
        none.kneeStep = 0;
        none.steps[0].verdict = KneeReason::LatencyKnee;
        none.steps[0].p99Ms = 250;
        QCOMPARE(capacityLine(none),
                 QStringLiteral("capacity: none found (not even --start-rate 100 req/s was "
                                "sustained) — the knee: 100 req/s (step 1), p99 over its bound: "
                                "p99 250 ms > 100 ms"));

        KneeResult interrupted = result;
        interrupted.stoppedBecause = KneeReason::Interrupted;
        QVERIFY(capacityLine(interrupted).endsWith(QStringLiteral("interrupted: a lower bound at most")));
    }
};

QTEST_APPLESS_MAIN(TestKneeOutputs)
#include "test_knee_outputs.moc"
