// TestReportPieces: the helpers behind the report files: nice axis ticks, the y-scale rule
// and its spike marks, downsampling,
// slugs, column kinds, phase lookup, number formats, settings flattening, the environment.
#include "SyntheticRun.h"

#include "engine/report/ChartScale.h"
#include "engine/report/EnvironmentProbe.h"
#include "engine/report/HtmlSettings.h"
#include "engine/report/ReportFormat.h"
#include "engine/report/ReportStats.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace perflab;

class TestReportPieces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void niceTicks_data();
    void niceTicks();
    void scaleRuleKeepsTheSteadyLevel_data();
    void scaleRuleKeepsTheSteadyLevel();
    void spikeMarksTheRunsAboveTheTop();
    void logTicksSpanTheValues();
    void downsampleKeepsExtremes();
    void downsampleKeepsGapsAndSmallInput();
    void slugify_data();
    void slugify();
    void phaseSlugsAreUnique();
    void gaugeColumns_data();
    void gaugeColumns();
    void phaseIndexAt();
    void formatChange_data();
    void formatChange();
    void thresholdsPassed();
    void outcomeTextNamesOnlyWhatTheRunHas();
    void flattenSettings();
    void cpuModelFromCpuinfo();
    void environmentOfThisMachine();
};

void TestReportPieces::niceTicks_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("step");
    QTest::addColumn<double>("top");
    QTest::addColumn<QString>("topLabel");
    QTest::newRow("0..7.3") << 0.0 << 7.3 << 2.0 << 8.0 << u"8"_s;
    QTest::newRow("0..100") << 0.0 << 100.0 << 20.0 << 100.0 << u"100"_s;
    QTest::newRow("0..0.37") << 0.0 << 0.37 << 0.1 << 0.4 << u"0.4"_s;
    QTest::newRow("0..1.1") << 0.0 << 1.1 << 0.5 << 1.5 << u"1.5"_s;
    QTest::newRow("0..2650") << 0.0 << 2650.0 << 1000.0 << 3000.0 << u"3000"_s;
    QTest::newRow("flat 0") << 0.0 << 0.0 << 0.2 << 1.0 << u"1.0"_s;
    QTest::newRow("0..25 s") << 0.0 << 25.0 << 5.0 << 25.0 << u"25"_s;
}

void TestReportPieces::niceTicks()
{
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, step);
    QFETCH(double, top);
    QFETCH(QString, topLabel);
    const report::AxisTicks ticks = report::niceTicks(min, max, 5);
    QCOMPARE(ticks.step, step);
    QCOMPARE(ticks.max, top);
    QCOMPARE(ticks.values.front(), 0.0);
    QVERIFY(std::abs(ticks.values.back() - top) < 1e-9);
    QCOMPARE(ticks.label(ticks.values.back()), topLabel);
    QCOMPARE(ticks.label(0), ticks.decimals ? u"0."_s + QString(ticks.decimals, u'0') : u"0"_s);
}

void TestReportPieces::scaleRuleKeepsTheSteadyLevel_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("expectedTop");
    QList<double> steady(600, 0.3);
    QList<double> spiked = steady;
    spiked[3] = 180; // the start-up spike
    QTest::newRow("0.3 ms and one 180 ms spike") << spiked << 0.9;
    QTest::newRow("0.3 ms, no spike") << steady << 0.3;
    QList<double> ramp;
    for (int i = 0; i < 600; ++i)
        ramp.append(i); // a spread without spikes: the largest value
    QTest::newRow("ramp 0..599") << ramp << 599.0;
    QList<double> idle(600, 0.0);
    idle[100] = 12;
    idle[101] = 14;
    idle[400] = 9; // a mostly idle series: its bursts are the signal
    QTest::newRow("zeros and bursts") << idle << 14.0;
    QList<double> few = {0.3, 0.3, 0.3, 180};
    QTest::newRow("too few to tell") << few << 180.0;
    QList<double> gaps = spiked;
    gaps[10] = std::nan("");
    gaps[11] = std::numeric_limits<double>::infinity();
    QTest::newRow("gaps ignored") << gaps << 0.9;
}

void TestReportPieces::scaleRuleKeepsTheSteadyLevel()
{
    QFETCH(QList<double>, values);
    QFETCH(double, expectedTop);
    report::YScaleRule rule;
    for (double value : values)
        rule.add(value);
    const double top = rule.top();
    QVERIFY2(std::abs(top - expectedTop) < 1e-9, qPrintable(QString::number(top)));
    // The axis of the spiked 0.3 ms series ends at 1 ms: the steady level is a third of it.
    const report::AxisTicks ticks = report::niceTicks(0, top, 5);
    if (QTest::currentDataTag() == QByteArray("0.3 ms and one 180 ms spike"))
        QCOMPARE(ticks.max, 1.0);
    rule.clear();
    QCOMPARE(rule.top(), 0.0);
}

void TestReportPieces::logTicksSpanTheValues()
{
    const report::AxisTicks ticks = report::logTicks(0.13, 18);
    QVERIFY(ticks.log);
    QCOMPARE(ticks.min, 0.1);
    QCOMPARE(ticks.max, 20.0);
    QStringList labels;
    for (double value : ticks.values)
        labels.append(ticks.label(value));
    QCOMPARE(labels, (QStringList{u"0.1"_s, u"0.2"_s, u"0.5"_s, u"1"_s, u"2"_s, u"5"_s, u"10"_s, u"20"_s}));
    QCOMPARE(report::logTicks(0.27, 3).min, 0.2);
    QCOMPARE(report::logTicks(0.6, 0.9).min, 0.5);
    QCOMPARE(report::logTicks(0.6, 0.9).max, 1.0);
}

void TestReportPieces::spikeMarksTheRunsAboveTheTop()
{
    report::SpikeFinder finder(1.0);
    finder.beginLine(u"p99"_s);
    const double p99[] = {0.3, 0.4, 50, 182, 40, 0.3, 0.3, 0.3, std::nan(""), 7, 0.3};
    for (int i = 0; i < 11; ++i)
        finder.add(i, p99[i]);
    finder.beginLine(u"max"_s);
    finder.add(3.2, 190); // the same spike on another line, close by: merged into the highest
    finder.add(40, 0.5);
    const std::vector<report::SpikeMark> marks = finder.marks(1.0);
    QCOMPARE(marks.size(), std::size_t(2));
    QCOMPARE(marks[0].x, 3.2);
    QCOMPARE(marks[0].value, 190.0);
    QCOMPARE(marks[0].line, u"max"_s);
    QCOMPARE(marks[1].x, 9.0);
    QCOMPARE(marks[1].value, 7.0);
    QCOMPARE(report::spikeLabel(182, u"ms"_s), u"\u2191 182 ms"_s);
    QCOMPARE(report::spikeLabel(0.4567, u"ms"_s), u"\u2191 0.457 ms"_s);
    QCOMPARE(report::spikeLabel(12.5, u"/s"_s), u"\u2191 12.5/s"_s);
    QVERIFY(report::spikeTooltip(marks[0], u"ms"_s).startsWith(u"max 190 ms at 3.2 s"_s));
    // Nothing above the top, nothing marked; and no more than asked for.
    report::SpikeFinder calm(1000);
    calm.beginLine(u"p50"_s);
    for (int i = 0; i < 11; ++i)
        calm.add(i, p99[i]);
    QVERIFY(calm.marks(0).empty());
    report::SpikeFinder many(0);
    many.beginLine(u"x"_s);
    for (int i = 0; i < 20; ++i) {
        many.add(i * 2, i + 1);
        many.add(i * 2 + 1, 0);
    }
    const auto highest = many.marks(0.5, 3);
    QCOMPARE(highest.size(), std::size_t(3));
    QCOMPARE(highest[0].value, 18.0);
    QCOMPARE(highest[2].value, 20.0);
}

void TestReportPieces::downsampleKeepsExtremes()
{
    std::vector<report::ChartPoint> points;
    for (int i = 0; i < 100'000; ++i)
        points.push_back({i * 0.1, 10.0 + (i % 7)});
    points[54'321].y = 900; // one spike
    points[77'777].y = -5;  // one dip
    const auto reduced = report::downsampleMinMax(points, 1500);
    QVERIFY(reduced.size() <= 1500);
    QVERIFY(reduced.size() >= 1400);
    double top = -1e9, bottom = 1e9;
    for (std::size_t i = 0; i < reduced.size(); ++i) {
        top = std::max(top, reduced[i].y);
        bottom = std::min(bottom, reduced[i].y);
        if (i > 0)
            QVERIFY(reduced[i].x >= reduced[i - 1].x);
    }
    QCOMPARE(top, 900.0);
    QCOMPARE(bottom, -5.0);
    QCOMPARE(reduced.front().x, 0.0);
}

void TestReportPieces::downsampleKeepsGapsAndSmallInput()
{
    const std::vector<report::ChartPoint> small = {{0, 1}, {1, std::nan("")}, {2, 3}};
    const auto same = report::downsampleMinMax(small, 1500);
    QCOMPARE(same.size(), std::size_t(3));
    QVERIFY(std::isnan(same[1].y));

    std::vector<report::ChartPoint> points;
    for (int i = 0; i < 10'000; ++i)
        points.push_back({double(i), (i >= 4000 && i < 6000) ? std::nan("") : 1.0});
    const auto reduced = report::downsampleMinMax(points, 100);
    QVERIFY(reduced.size() <= 100);
    const auto gaps =
        std::count_if(reduced.begin(), reduced.end(), [](const auto &p) { return std::isnan(p.y); });
    QVERIFY(gaps >= 5); // the 20 % hole stays a hole
}

void TestReportPieces::slugify_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("slug");
    QTest::newRow("plain") << u"cache off"_s << u"cache-off"_s;
    QTest::newRow("case and runs") << u"Pool = 4 (small)"_s << u"pool-4-small"_s;
    QTest::newRow("edges") << u"  --Warm-up!  "_s << u"warm-up"_s;
    QTest::newRow("markup") << u"warm <cache> & \"quoted\""_s << u"warm-cache-quoted"_s;
    QTest::newRow("non-ascii") << u"größe ü"_s << u"gr-e"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestReportPieces::slugify()
{
    QFETCH(QString, name);
    QFETCH(QString, slug);
    QCOMPARE(report::slugify(name), slug);
}

void TestReportPieces::phaseSlugsAreUnique()
{
    std::vector<report::PhaseReport> phases(4);
    phases[0].name = u"A"_s;
    phases[1].name = u"a"_s;
    phases[2].name = u"!!"_s;
    phases[3].name = u"a "_s;
    QCOMPARE(report::phaseSlugs(phases), (QStringList{u"a"_s, u"a-2"_s, u"phase-3"_s, u"a-3"_s}));
}

void TestReportPieces::gaugeColumns_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("gauge");
    QTest::newRow("requests") << u"requests"_s << false;
    QTest::newRow("errors") << u"errors"_s << false;
    QTest::newRow("cache_hits") << u"cache_hits"_s << false;
    QTest::newRow("latency_count") << u"latency_count"_s << false;
    QTest::newRow("bytes_gzip") << u"bytes_gzip"_s << false;
    QTest::newRow("latency_p99_ms") << u"latency_p99_ms"_s << true;
    QTest::newRow("in_flight") << u"in_flight"_s << true;
    QTest::newRow("connections") << u"connections"_s << true;
    QTest::newRow("job_queue_depth") << u"job_queue_depth"_s << true;
    QTest::newRow("pool_in_use") << u"pool_in_use"_s << true;
    QTest::newRow("cache_entries") << u"cache_entries"_s << true;
}

void TestReportPieces::gaugeColumns()
{
    QFETCH(QString, column);
    QFETCH(bool, gauge);
    QCOMPARE(report::isGaugeColumn(column), gauge);
}

void TestReportPieces::phaseIndexAt()
{
    std::vector<report::PhaseReport> phases(2);
    phases[0].startMs = 1000;
    phases[0].endMs = 2000;
    phases[1].startMs = 2500;
    phases[1].endMs = 3000;
    QCOMPARE(report::phaseIndexAt(phases, 1000), std::nullopt);
    QCOMPARE(report::phaseIndexAt(phases, 1001), std::optional<qsizetype>(0));
    QCOMPARE(report::phaseIndexAt(phases, 2000), std::optional<qsizetype>(0));
    QCOMPARE(report::phaseIndexAt(phases, 2200), std::nullopt); // between phases
    QCOMPARE(report::phaseIndexAt(phases, 3000), std::optional<qsizetype>(1));
    QCOMPARE(report::phaseIndexAt(phases, 3001), std::nullopt);

    // Events: a phase's settings are applied just before it starts, and belong to it.
    QCOMPARE(report::phaseIndexForEvent(phases, 990), std::optional<qsizetype>(0));
    QCOMPARE(report::phaseIndexForEvent(phases, 1000), std::optional<qsizetype>(0));
    QCOMPARE(report::phaseIndexForEvent(phases, 1999), std::optional<qsizetype>(0));
    QCOMPARE(report::phaseIndexForEvent(phases, 2000), std::optional<qsizetype>(1));
    QCOMPARE(report::phaseIndexForEvent(phases, 2499), std::optional<qsizetype>(1));
    QCOMPARE(report::phaseIndexForEvent(phases, 3000), std::optional<qsizetype>(1));
    QCOMPARE(report::phaseIndexForEvent(phases, 3001), std::nullopt);
}

void TestReportPieces::formatChange_data()
{
    QTest::addColumn<double>("previous");
    QTest::addColumn<double>("current");
    QTest::addColumn<QString>("text");
    QTest::newRow("up") << 100.0 << 150.0 << u"+50.0%"_s;
    QTest::newRow("down") << 150.0 << 100.0 << u"-33.3%"_s;
    QTest::newRow("same") << 7.0 << 7.0 << u"0.0%"_s;
    QTest::newRow("tiny") << 10000.0 << 10000.4 << u"0.0%"_s;
    QTest::newRow("from zero") << 0.0 << 5.0 << QString();
}

void TestReportPieces::formatChange()
{
    QFETCH(double, previous);
    QFETCH(double, current);
    QFETCH(QString, text);
    const auto change = report::changePercent(previous, current);
    QCOMPARE(change ? report::formatChange(*change) : QString(), text);
}

void TestReportPieces::thresholdsPassed()
{
    report::RunReport run;
    QVERIFY(run.thresholdsPassed());
    run.thresholds.push_back({QString(), u"p99_ms"_s, 50, 20, true});
    QVERIFY(run.thresholdsPassed());
    run.thresholds.push_back({u"b"_s, u"error_rate"_s, 0.01, 0.2, false});
    QVERIFY(!run.thresholdsPassed());
}

void TestReportPieces::outcomeTextNamesOnlyWhatTheRunHas()
{
    report::RunReport run;
    QCOMPARE(run.outcomeText(), u"no thresholds or claims"_s);
    run.claims.push_back({});
    run.claims.back().status = report::ClaimStatus::Verified;
    QCOMPARE(run.outcomeText(), u"1 of 1 claims verified"_s);
    run.thresholds.push_back({QString(), u"p99_ms"_s, 50, 20, true});
    run.thresholds.push_back({u"b"_s, u"error_rate"_s, 0.01, 0.2, false});
    QCOMPARE(run.outcomeText(), u"1 of 2 thresholds passed, 1 of 1 claims verified"_s);
}

void TestReportPieces::flattenSettings()
{
    const QJsonObject settings{{u"cache"_s, QJsonObject{{u"enabled"_s, true}, {u"ttl_s"_s, 2.5}}},
                               {u"list"_s, QJsonArray{1, 2}},
                               {u"name"_s, u"x"_s}};
    const std::map<QString, QString> flat = report::flattenSettings(settings);
    const std::map<QString, QString> expected = {{u"cache.enabled"_s, u"true"_s},
                                                 {u"cache.ttl_s"_s, u"2.5"_s},
                                                 {u"list"_s, u"[1,2]"_s},
                                                 {u"name"_s, u"x"_s}};
    QCOMPARE(flat, expected);
}

void TestReportPieces::cpuModelFromCpuinfo()
{
    const QByteArray cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\n"
                               "model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nprocessor\t: 1\n"
                               "model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n";
    QCOMPARE(report::cpuModelFromCpuinfo(cpuinfo), u"Intel(R) Xeon(R) CPU @ 2.20GHz"_s);
    QCOMPARE(report::cpuModelFromCpuinfo("processor : 0\nCPU part : 0xd08\n"), QString());
}

void TestReportPieces::environmentOfThisMachine()
{
    const report::Environment e = report::collectEnvironment(3, 2);
    QCOMPARE(e.serverThreads, 3);
    QCOMPARE(e.loadThreads, 2);
    QVERIFY(e.cpuCores >= 1);
    QCOMPARE(e.qtVersion, QString::fromLatin1(qVersion()));
    QCOMPARE(e.perflabVersion, QStringLiteral(PERFLAB_VERSION));
    QVERIFY(!e.os.isEmpty());
    QVERIFY(!e.hostName.isEmpty());
}

std::unique_ptr<QObject> createReportPiecesTests()
{
    return std::make_unique<TestReportPieces>();
}

#include "test_report_pieces.moc"
