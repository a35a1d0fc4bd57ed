// TestReportWriter: writeReportFolder() on the synthetic run (SyntheticRun.h): the files, the
// data files' content (run.json, timeseries.csv, .hgrm) and the failure paths. The charts and
// report.html: TestReportRendering. PERFLAB_KEEP_REPORT=DIR also writes the report to DIR, to
// look at it in a browser.
#include "ReportFiles.h"
#include "SyntheticRun.h"

#include "engine/report/ReportWriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace perflab;

using test::readAll;

namespace {

metrics::LatencyHistogram mergedCorrected(const report::PhaseReport &phase, bool corrected = true)
{
    metrics::LatencyHistogram merged;
    for (const load::RouteStats &route : phase.stats.routes)
        merged.add(corrected ? route.corrected : route.uncorrected);
    return merged;
}

} // namespace

class TestReportWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesEveryFile();
    void leavesNoTemporaryFiles();
    void runJsonHoldsTheFigures();
    void runJsonHistogramsSumToCounts_data();
    void runJsonHistogramsSumToCounts();
    void runJsonHasEachPhasesTrust();
    void csvHeaderAndRows();
    void csvPhaseAndServerCells();
    void hgrmIsThePercentileSpectrum_data();
    void hgrmIsThePercentileSpectrum();
    void hgrmMatchesGolden();
    void unwritableFolderNamesThePath();

private:
    QTemporaryDir m_dir;
    report::RunReport m_run;
};

void TestReportWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_run = test::syntheticRun();
    const auto error = report::writeReportFolder(m_run, m_dir.filePath(u"out"_s));
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    if (const QString keep = qEnvironmentVariable("PERFLAB_KEEP_REPORT"); !keep.isEmpty())
        QVERIFY(!report::writeReportFolder(m_run, keep));
}

void TestReportWriter::writesEveryFile()
{
    const QStringList expected = {u"run.json"_s,
                                  u"timeseries.csv"_s,
                                  u"latency.hlog"_s,
                                  u"report.html"_s,
                                  u"latency-cache-off.hgrm"_s,
                                  u"latency-cache-off-uncorrected.hgrm"_s,
                                  u"latency-cache-on.hgrm"_s,
                                  u"latency-cache-on-uncorrected.hgrm"_s,
                                  u"latency-warm-cache-quoted.hgrm"_s,
                                  u"latency-warm-cache-quoted-uncorrected.hgrm"_s,
                                  u"charts/latency.svg"_s,
                                  u"charts/throughput.svg"_s,
                                  u"charts/cache-hit-rate.svg"_s,
                                  u"charts/slow-queries.svg"_s};
    for (const QString &name : expected) {
        const QFileInfo info(m_dir.filePath(u"out/"_s + name));
        QVERIFY2(info.isFile(), qPrintable(name));
        QVERIFY2(info.size() > 0, qPrintable(name));
    }
}

void TestReportWriter::leavesNoTemporaryFiles()
{
    QDir out(m_dir.filePath(u"out"_s));
    QStringList top =
        out.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
    QCOMPARE(top.size(), 11); // run.json, timeseries.csv, latency.hlog, report.html, 6 .hgrm, charts/
    QVERIFY(top.contains(u"charts"_s));
    for (const QString &name : top)
        QVERIFY2(name == u"charts"_s || name.endsWith(u".json"_s) || name.endsWith(u".csv"_s) ||
                     name.endsWith(u".hgrm"_s) || name.endsWith(u".hlog"_s) || name.endsWith(u".html"_s),
                 qPrintable(name));
    QCOMPARE(QDir(out.filePath(u"charts"_s)).entryList(QDir::Files | QDir::Hidden).size(), 4);
}

void TestReportWriter::runJsonHoldsTheFigures()
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(readAll(m_dir.filePath(u"out/run.json"_s)), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject run = doc.object();
    QCOMPARE(run[u"scenario"_s][u"name"_s].toString(), m_run.scenarioName);
    QCOMPARE(run[u"target"_s].toString(), m_run.target);
    QCOMPARE(run[u"scale"_s].toDouble(), 0.5);
    QCOMPARE(run[u"passed"_s].toBool(), false);
    QCOMPARE(run[u"environment"_s][u"cpu_model"_s].toString(), u"Test CPU @ 3.00GHz"_s);
    QCOMPARE(run[u"thresholds"_s].toArray().size(), 2);
    QCOMPARE(run[u"thresholds"_s][1][u"passed"_s].toBool(), false);
    QCOMPARE(run[u"events"_s].toArray().size(), 3);

    const QJsonArray claims = run[u"claims"_s].toArray();
    QCOMPARE(claims.size(), 3);
    const QJsonObject cheaper = claims[0].toObject();
    QCOMPARE(cheaper[u"claim"_s].toString(), u"A cache hit is <far> cheaper"_s);
    QCOMPARE(cheaper[u"metric"_s].toString(), u"p50_ms"_s);
    QCOMPARE(cheaper[u"phase"_s].toString(), u"cache on"_s);
    QCOMPARE(cheaper[u"vs"_s][u"phase"_s].toString(), u"cache off"_s);
    QCOMPARE(cheaper[u"at_most"_s].toDouble(), 0.5);
    QCOMPARE(cheaper[u"value"_s].toDouble(), 3.0);
    QCOMPARE(cheaper[u"vs_value"_s].toDouble(), 12.0);
    QCOMPARE(cheaper[u"ratio"_s].toDouble(), 0.25);
    QCOMPARE(cheaper[u"status"_s].toString(), u"verified"_s);
    QCOMPARE(cheaper[u"verified"_s].toBool(), true);
    QCOMPARE(claims[1][u"status"_s].toString(), u"not_verified"_s);
    QVERIFY(!claims[1].toObject().contains(u"vs"_s)); // an absolute claim
    QCOMPARE(claims[2][u"status"_s].toString(), u"not_evaluated"_s);
    QCOMPARE(claims[2][u"at_least"_s].toDouble(), 0.9);
    QVERIFY(claims[2][u"value"_s].isNull());
    QVERIFY(claims[2][u"reason"_s].toString().contains(u"did not run"_s));

    const QJsonArray phases = run[u"phases"_s].toArray();
    QCOMPARE(phases.size(), 3);
    const double requests[] = {1000, 1500, 500};
    const double perSecond[] = {100, 150, 100};
    const double errors[] = {10, 5, 0};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject total = phases[i][u"total"_s].toObject();
        QCOMPARE(total[u"requests"_s].toDouble(), requests[i]);
        QCOMPARE(total[u"requests_per_s"_s].toDouble(), perSecond[i]);
        QCOMPARE(total[u"error_count"_s].toDouble(), errors[i]);
        QCOMPARE(phases[i][u"routes"_s].toArray().size(), 2);
        const metrics::LatencyHistogram corrected = mergedCorrected(m_run.phases[std::size_t(i)]);
        QCOMPARE(total[u"latency_ms"_s][u"p99"_s].toDouble(),
                 double(corrected.valueAtPercentile(99)) / 1000.0);
        QCOMPARE(total[u"latency_ms"_s][u"max"_s].toDouble(), 250.0);
        QCOMPARE(phases[i][u"model"_s][u"model"_s].toString(), u"open"_s);
    }
    QCOMPARE(phases[0][u"total"_s][u"errors"_s][u"timeout"_s].toDouble(), 2.0);
    QCOMPARE(phases[0][u"total"_s][u"status_counts"_s][u"500"_s].toDouble(), 8.0);
    QCOMPARE(phases[1][u"settings_patch"_s][u"cache"_s][u"enabled"_s].toBool(), true);
    QCOMPARE(phases[1][u"settings"_s][u"cache"_s][u"ttl_s"_s].toInt(), 30);
    QCOMPARE(phases[0][u"total"_s][u"server_timing"_s][u"db"_s][u"mean_ms"_s].toDouble(), 1.5);
    QCOMPARE(run[u"total"_s][u"requests"_s].toDouble(), 3000.0);

    const QJsonObject client = run[u"series"_s][u"client"_s].toObject();
    QCOMPARE(client[u"columns"_s].toArray().size(), m_run.client.columns.size() + 2);
    QCOMPARE(client[u"rows"_s].toArray().size(), test::kClientSamples);
    QCOMPARE(run[u"series"_s][u"server"_s][u"rows"_s].toArray().size(),
             qsizetype(m_run.server.samples.size()));
}

void TestReportWriter::runJsonHasEachPhasesTrust()
{
    const QJsonObject run = QJsonDocument::fromJson(readAll(m_dir.filePath(u"out/run.json"_s))).object();
    QCOMPARE(run[u"generator_limited"_s].toBool(), true);
    const QJsonArray phases = run[u"phases"_s].toArray();
    const QJsonObject kept = phases[0][u"trust"_s].toObject();
    QCOMPARE(kept[u"verdict"_s].toString(), u"ok"_s);
    QCOMPARE(kept[u"model"_s].toString(), u"open"_s);
    QCOMPARE(kept[u"asked_per_s"_s].toDouble(), 100.0);
    QCOMPARE(kept[u"achieved_share"_s].toDouble(), 1.0);
    QCOMPARE(kept[u"send_lag_ms"_s][u"p99"_s].toDouble(), 0.08);
    QCOMPARE(kept[u"send_lag_bound_ms"_s].toDouble(), 10.0);
    QCOMPARE(kept[u"client_threads"_s][0][u"cpu_share"_s].toDouble(), 0.05);
    QCOMPARE(kept[u"connections"_s][u"open"_s].toDouble(), 16.0);
    const QJsonObject limited = phases[1][u"trust"_s].toObject();
    QCOMPARE(limited[u"verdict"_s].toString(), u"generator_limited"_s);
    QCOMPARE(limited[u"achieved_per_s"_s].toDouble(), 150.0);
    QCOMPARE(limited[u"achieved_share"_s].toDouble(), 0.75);
    // Short of the rate, late, and a thread that was never idle: three reasons.
    QCOMPARE(limited[u"reasons"_s].toArray().size(), 3);
    const QJsonObject closed = phases[2][u"trust"_s].toObject();
    QCOMPARE(closed[u"model"_s].toString(), u"closed"_s);
    QVERIFY(closed[u"asked_per_s"_s].isNull());
    QCOMPARE(closed[u"achieved_per_s"_s].toDouble(), 100.0);
    QCOMPARE(closed[u"verdict"_s].toString(), u"ok"_s);
}

void TestReportWriter::runJsonHistogramsSumToCounts_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("route");
    for (int phase = 0; phase < 3; ++phase) {
        for (int route = 0; route < 2; ++route)
            QTest::addRow("phase%d-route%d", phase, route) << phase << route;
    }
}

void TestReportWriter::runJsonHistogramsSumToCounts()
{
    QFETCH(int, phase);
    QFETCH(int, route);
    const QJsonObject run = QJsonDocument::fromJson(readAll(m_dir.filePath(u"out/run.json"_s))).object();
    const QJsonObject routeJson = run[u"phases"_s][phase][u"routes"_s][route].toObject();
    const load::RouteStats &stats = m_run.phases[std::size_t(phase)].stats.routes[std::size_t(route)];
    QCOMPARE(routeJson[u"route"_s].toString(), stats.route);

    for (const QString &kind : {u"corrected"_s, u"uncorrected"_s}) {
        const metrics::LatencyHistogram &expected =
            kind == u"corrected"_s ? stats.corrected : stats.uncorrected;
        metrics::LatencyHistogram rebuilt;
        double sum = 0;
        for (const QJsonValue &bucket : routeJson[u"histogram_us"_s][kind].toArray()) {
            const QJsonArray pair = bucket.toArray();
            QCOMPARE(pair.size(), 2);
            QVERIFY(pair[1].toDouble() > 0);
            sum += pair[1].toDouble();
            rebuilt.record(pair[0].toInteger(), std::uint64_t(pair[1].toInteger()));
        }
        QCOMPARE(sum, double(expected.totalCount()));
        QCOMPARE(routeJson[kind == u"corrected"_s ? u"latency_ms"_s : u"latency_uncorrected_ms"_s][u"count"_s]
                     .toDouble(),
                 sum);
        // Bucket values are the buckets' lowest values: the rebuilt one has the same counts.
        for (double p : {50.0, 90.0, 99.0, 99.9, 100.0})
            QCOMPARE(rebuilt.valueAtPercentile(p), expected.valueAtPercentile(p));
    }
}

void TestReportWriter::csvHeaderAndRows()
{
    const QList<QByteArray> lines = readAll(m_dir.filePath(u"out/timeseries.csv"_s)).split('\n');
    const QByteArray expectedHeader =
        "time_s,timestamp_ms,phase,client_requests_per_s,client_errors_per_s,client_latency_count_per_s,"
        "client_latency_mean_ms,client_latency_p50_ms,client_latency_p90_ms,client_latency_p99_ms,"
        "client_latency_p999_ms,client_latency_max_ms,client_latency_uncorrected_count_per_s,"
        "client_latency_uncorrected_p99_ms,client_bytes_in_per_s,client_in_flight,client_late_sends_per_s,"
        "server_requests_per_s,server_errors_per_s,server_latency_p99_ms,server_in_flight,"
        "server_cache_hits_per_s,server_cache_misses_per_s,server_slow_queries_per_s\r";
    QCOMPARE(lines.first(), expectedHeader);
    QCOMPARE(lines.last(), QByteArray()); // the final line end
    QCOMPARE(lines.size(), 1 + test::kClientSamples + 1);
    for (qsizetype i = 1; i + 1 < lines.size(); ++i)
        QCOMPARE(lines[i].count(','), expectedHeader.count(','));
}

void TestReportWriter::csvPhaseAndServerCells()
{
    const QList<QByteArray> lines = readAll(m_dir.filePath(u"out/timeseries.csv"_s)).split('\n');
    const auto cells = [&](int sample) { return lines[sample + 1].chopped(1).split(','); };
    // Sample k ends at (k + 1) * 100 ms: 99 -> 10.0 s is still "cache off", 100 is "cache on".
    QCOMPARE(cells(0)[0], QByteArray("0.1"));
    QCOMPARE(cells(0)[1], QByteArray::number(test::kStartMs + 100));
    QCOMPARE(cells(0)[2], QByteArray("cache off"));
    QCOMPARE(cells(99)[2], QByteArray("cache off"));
    QCOMPARE(cells(100)[2], QByteArray("cache on"));
    QCOMPARE(cells(249)[2], QByteArray("\"warm <cache> & \"\"quoted\"\"\"")); // RFC 4180 quoting
    // Counters as rates: 10 requests in 0.1 s; gauges as sampled.
    QCOMPARE(cells(0)[3], QByteArray("100"));
    QCOMPARE(cells(0)[7], QByteArray("12"));
    QCOMPARE(cells(0)[14], QByteArray("51200")); // 10 responses * 512 bytes / 0.1 s
    const int serverFirst = 17;
    QCOMPARE(cells(0)[serverFirst], QByteArray("100"));
    QCOMPARE(cells(120)[serverFirst + 4], QByteArray("135")); // 13.5 hits / 0.1 s
    // The server samples 50..54 are missing: their neighbours are further than one interval.
    for (int k = test::kMissingServerFirst + 1; k < test::kMissingServerFirst + test::kMissingServerCount - 1;
         ++k) {
        const QList<QByteArray> row = cells(k);
        for (int column = serverFirst; column < row.size(); ++column)
            QVERIFY2(row[column].isEmpty(), qPrintable(u"sample %1 column %2"_s.arg(k).arg(column)));
    }
}

void TestReportWriter::hgrmIsThePercentileSpectrum_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<bool>("corrected");
    QTest::addColumn<QString>("file");
    QTest::newRow("cache off") << 0 << true << u"latency-cache-off.hgrm"_s;
    QTest::newRow("cache off uncorrected") << 0 << false << u"latency-cache-off-uncorrected.hgrm"_s;
    QTest::newRow("cache on") << 1 << true << u"latency-cache-on.hgrm"_s;
    QTest::newRow("third uncorrected") << 2 << false << u"latency-warm-cache-quoted-uncorrected.hgrm"_s;
}

void TestReportWriter::hgrmIsThePercentileSpectrum()
{
    QFETCH(int, phase);
    QFETCH(bool, corrected);
    QFETCH(QString, file);
    const metrics::LatencyHistogram merged = mergedCorrected(m_run.phases[std::size_t(phase)], corrected);
    QString expected;
    QTextStream stream(&expected);
    merged.percentileSpectrum(stream, 5, 1000.0);
    stream.flush();
    const QString written = QString::fromUtf8(readAll(m_dir.filePath(u"out/"_s + file)));
    QCOMPARE(written, expected);
    QVERIFY(written.contains(u"Value   Percentile   TotalCount 1/(1-Percentile)"_s));
}

void TestReportWriter::hgrmMatchesGolden()
{
    QTemporaryDir dir;
    QVERIFY(!report::writeReportFolder(test::smallRun(), dir.path()));
    for (const QString &name : {u"latency-small-run.hgrm"_s, u"latency-small-run-uncorrected.hgrm"_s}) {
        const QString mismatch =
            test::compareWithReportGolden(QString::fromUtf8(readAll(dir.filePath(name))), name);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }
}

void TestReportWriter::unwritableFolderNamesThePath()
{
    QTemporaryDir dir;
    // A regular file where a folder should be: fails for root too (unlike permissions).
    QFile blocker(dir.filePath(u"blocker"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString target = dir.filePath(u"blocker/report"_s);
    const auto error = report::writeReportFolder(test::smallRun(), target);
    QVERIFY(error);
    QVERIFY2(error->contains(QDir::toNativeSeparators(target)), qPrintable(*error));

    // A folder that exists, with a folder squatting on the name of one of its files.
    const QString folder = dir.filePath(u"partly"_s);
    QVERIFY(QDir().mkpath(folder + u"/run.json"_s));
    const auto fileError = report::writeReportFolder(test::smallRun(), folder);
    QVERIFY(fileError);
    QVERIFY2(fileError->contains(QDir::toNativeSeparators(folder + u"/run.json"_s)), qPrintable(*fileError));
}

std::unique_ptr<QObject> createReportWriterTests()
{
    return std::make_unique<TestReportWriter>();
}

#include "test_report_writer.moc"
