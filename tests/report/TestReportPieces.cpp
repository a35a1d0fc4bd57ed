// TestReportPieces: the helpers behind the report files: nice axis ticks, downsampling,
// slugs, column kinds, phase lookup, number formats, settings flattening, the environment.
#include "SyntheticRun.h"

#include "report/ChartScale.h"
#include "report/EnvironmentProbe.h"
#include "report/HtmlSettings.h"
#include "report/ReportFormat.h"
#include "report/ReportStats.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace perflab;

class TestReportPieces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void niceTicks_data();
    void niceTicks();
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
    const auto gaps = std::count_if(reduced.begin(), reduced.end(), [](const auto &p) { return std::isnan(p.y); });
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

void TestReportPieces::flattenSettings()
{
    const QJsonObject settings{{u"cache"_s, QJsonObject{{u"enabled"_s, true}, {u"ttl_s"_s, 2.5}}},
                               {u"list"_s, QJsonArray{1, 2}},
                               {u"name"_s, u"x"_s}};
    const std::map<QString, QString> flat = report::flattenSettings(settings);
    const std::map<QString, QString> expected = {
        {u"cache.enabled"_s, u"true"_s}, {u"cache.ttl_s"_s, u"2.5"_s}, {u"list"_s, u"[1,2]"_s}, {u"name"_s, u"x"_s}};
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

std::unique_ptr<QObject> createReportPiecesTests() { return std::make_unique<TestReportPieces>(); }

#include "TestReportPieces.moc"
