// test_hlog: latency.hlog end to end without a server: the tag escaping, the writer's lines
// read back by the reader (intervals, times, histograms bucket for bucket), lines of other
// HdrHistogram writers (no tag, no BaseTime, absolute times, the old legend, a log written by
// hdr-histogram-js itself: tests/data/hlog), damaged files
// (an error naming the line), IntervalHistograms' intervals adding up exactly to the phase's
// histogram, and `loadSavedRun` falling back to latency.hlog without run.json.
#include "HistogramAssertions.h"
#include "engine/compare/SavedRun.h"
#include "engine/metrics/HdrV2Codec.h"
#include "engine/report/HlogReader.h"
#include "engine/report/HlogTag.h"
#include "engine/report/HlogWriter.h"
#include "engine/report/ReportStats.h"
#include "engine/report/ReportWriter.h"
#include "engine/scenario/IntervalHistograms.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;

namespace {

constexpr qint64 kStartMs = 1'800'000'000'000;

metrics::LatencyHistogram histogramOf(std::initializer_list<std::pair<std::int64_t, std::uint64_t>> values)
{
    metrics::LatencyHistogram histogram;
    for (const auto &[us, n] : values)
        histogram.record(us, n);
    return histogram;
}

report::LatencyInterval intervalOf(const QString &phase, const QString &route, qint64 startMs, qint64 endMs,
                                   const metrics::LatencyHistogram &histogram)
{
    return {phase, route, startMs, endMs, histogram.max(), metrics::encodeHdrV2Compressed(histogram)};
}

QByteArray base64Of(const metrics::LatencyHistogram &histogram)
{
    return metrics::encodeHdrV2Compressed(histogram).toBase64();
}

QString readError(const QByteArray &text)
{
    auto read = report::readHlog(text);
    return std::holds_alternative<QString>(read) ? std::get<QString>(read) : QString();
}

} // namespace

class TestHlog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tagsEscapeWhatTheFormatCannotHold()
    {
        const QByteArray tag =
            report::hlogTag(QStringLiteral("cache on, a/b 100%"), QStringLiteral("GET /users/{zipf:1..10}"));
        QCOMPARE(tag, QByteArray("cache%20on%2C%20a%2Fb%20100%25/GET%20/users/{zipf:1..10}"));
        const auto parts = report::splitHlogTag(tag);
        QVERIFY(parts);
        QCOMPARE(parts->phase, QStringLiteral("cache on, a/b 100%"));
        QCOMPARE(parts->route, QStringLiteral("GET /users/{zipf:1..10}"));
        const auto unicode =
            report::splitHlogTag(report::hlogTag(QStringLiteral("fäse"), QStringLiteral("GET /ü")));
        QVERIFY(unicode);
        QCOMPARE(unicode->phase, QStringLiteral("fäse"));
        QCOMPARE(unicode->route, QStringLiteral("GET /ü"));
        QVERIFY(!report::splitHlogTag("a%2/b"));
        QVERIFY(!report::splitHlogTag("a/b%G0"));
        const auto foreign = report::splitHlogTag("plain");
        QVERIFY(foreign);
        QCOMPARE(foreign->phase, QStringLiteral("plain"));
        QCOMPARE(foreign->route, QString());
    }

    void writtenLogReadsBack()
    {
        report::RunReport run;
        run.startedMs = kStartMs;
        const auto a1 = histogramOf({{100, 5}, {2500, 1}});
        const auto a2 = histogramOf({{150, 7}});
        const auto b1 = histogramOf({{40'000, 3}, {1'000'000, 1}});
        run.intervals.push_back(intervalOf(QStringLiteral("warm up"), QStringLiteral("GET /a"),
                                           kStartMs + 120, kStartMs + 1120, a1));
        run.intervals.push_back(intervalOf(QStringLiteral("warm up"), QStringLiteral("GET /b,c"),
                                           kStartMs + 120, kStartMs + 1120, b1));
        run.intervals.push_back(intervalOf(QStringLiteral("warm up"), QStringLiteral("GET /a"),
                                           kStartMs + 1120, kStartMs + 1500, a2));
        const QByteArray text = report::hlogText(run);

        const QList<QByteArray> lines = text.split('\n');
        QCOMPARE(lines.at(1), QByteArray("#[Histogram log format version 1.3]"));
        QVERIFY2(lines.at(2).startsWith(
                     "#[StartTime: 1800000000.000 (seconds since epoch), 2027-01-15T08:00:00.000Z]"),
                 lines.at(2).constData());
        QCOMPARE(lines.at(3), QByteArray("#[BaseTime: 1800000000.000 (seconds since epoch)]"));
        QCOMPARE(
            lines.at(4),
            QByteArray(
                "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""));
        QCOMPARE(lines.at(5), "Tag=warm%20up/GET%20/a,0.120,1.000,2.500," + base64Of(a1));
        QCOMPARE(lines.at(6), "Tag=warm%20up/GET%20/b%2Cc,0.120,1.000,1000.000," + base64Of(b1));

        auto read = report::readHlog(text);
        QVERIFY2(std::holds_alternative<report::HlogLog>(read), qPrintable(readError(text)));
        const report::HlogLog &log = std::get<report::HlogLog>(read);
        QCOMPARE(log.startTimeS, 1'800'000'000.0);
        QCOMPARE(log.tags.size(), std::size_t(2));
        QCOMPARE(log.tags[0].tag, QByteArray("warm%20up/GET%20/a"));
        QCOMPARE(log.tags[0].intervals.size(), std::size_t(2));
        QCOMPARE(log.tags[0].intervals[1].startS, 1'800'000'001.120);
        QCOMPARE(log.tags[0].intervals[1].lengthS, 0.380);
        QCOMPARE(log.tags[0].intervals[0].count, std::uint64_t(6));
        QCOMPARE(perflab::test::bucketDifference(log.tags[0].intervals[1].histogram(), a2), QString());
        metrics::LatencyHistogram both = a1;
        both.add(a2);
        QCOMPARE(perflab::test::bucketDifference(log.tags[0].merged(), both), QString());
        QCOMPARE(perflab::test::bucketDifference(log.tags[1].merged(), b1), QString());
        QCOMPARE(log.tags[1].intervals[0].maxField, 1000.0);
    }

    void otherWritersLinesAreRead()
    {
        const auto h = histogramOf({{3, 2}, {900, 1}});
        // No BaseTime and start times far before StartTime: relative to StartTime (HdrHistogram's rule).
        const QByteArray relative =
            "#[Logged with some other tool]\r\n#[StartTime: 1441812279.474 (seconds since epoch), Wed Sep 09]\r\n"
            "\"Timestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\r\n\r\n"
            "0.127, 1.007, 0.9, " +
            base64Of(h) + "\r\nTag=x,1.134,1.0,0.9," + base64Of(h) + "\r\n";
        auto read = report::readHlog(relative);
        QVERIFY2(std::holds_alternative<report::HlogLog>(read), qPrintable(readError(relative)));
        const report::HlogLog &log = std::get<report::HlogLog>(read);
        QCOMPARE(log.tags.size(), std::size_t(2));
        QCOMPARE(log.tags[0].tag, QByteArray());
        QCOMPARE(log.tags[0].intervals[0].startS, 1441812279.474 + 0.127);
        QCOMPARE(log.tags[1].tag, QByteArray("x"));
        QCOMPARE(perflab::test::bucketDifference(log.tags[0].merged(), h), QString());

        // Absolute start times: kept as they are.
        const QByteArray absolute =
            "#[StartTime: 1441812279.474 (seconds since epoch)]\n1441812280.000,1.0,0.9," + base64Of(h) +
            "\n";
        auto readAbsolute = report::readHlog(absolute);
        QVERIFY(std::holds_alternative<report::HlogLog>(readAbsolute));
        QCOMPARE(std::get<report::HlogLog>(readAbsolute).tags[0].intervals[0].startS, 1441812280.0);

        // The uncompressed V2 encoding is a histogram too.
        const QByteArray plain = "0,1,0," + metrics::encodeHdrV2(h).toBase64() + "\n";
        auto readPlain = report::readHlog(plain);
        QVERIFY(std::holds_alternative<report::HlogLog>(readPlain));
        QCOMPARE(perflab::test::bucketDifference(std::get<report::HlogLog>(readPlain).tags[0].merged(), h),
                 QString());
    }

    void hdrHistogramJsLogReads()
    {
        // Written by hdr-histogram-js's HistogramLogWriter (tests/js/make-hlog-golden.js): absolute
        // start times without BaseTime, a blank line, an untagged interval, its own layout.
        QFile file(QStringLiteral(PERFLAB_HLOG_GOLDEN_DIR "/hdr-histogram-js.hlog"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        auto read = report::readHlog(text);
        QVERIFY2(std::holds_alternative<report::HlogLog>(read), qPrintable(readError(text)));
        const report::HlogLog &log = std::get<report::HlogLog>(read);
        QCOMPARE(log.startTimeS, 1441812279.474);
        QCOMPARE(log.tags.size(), std::size_t(2));
        QCOMPARE(log.tags[0].tag, QByteArray("alpha"));
        QCOMPARE(log.tags[0].intervals.size(), std::size_t(2));
        QCOMPARE(log.tags[0].intervals[1].startS, 1441812281.0);
        QCOMPARE(log.tags[0].intervals[1].lengthS, 1.0);
        QCOMPARE(log.tags[0].intervals[1].maxField, 0.2);
        const metrics::LatencyHistogram alpha = log.tags[0].merged();
        QCOMPARE(alpha.totalCount(), std::uint64_t(200)); // 1..200, exact below 2048
        QCOMPARE(alpha.valueAtPercentile(50), std::int64_t(100));
        QCOMPARE(alpha.min(), std::int64_t(1));
        QCOMPARE(alpha.max(), std::int64_t(200));
        QCOMPARE(log.tags[1].tag, QByteArray());
        QCOMPARE(log.tags[1].intervals[0].lengthS, 2.5);
        QCOMPARE(perflab::test::bucketDifference(log.tags[1].merged(), histogramOf({{1000, 7}})), QString());
    }

    void damagedLinesNameTheirLineNumber_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        const QByteArray ok = "Tag=a/b,0,1,0," + base64Of(histogramOf({{5, 1}})) + "\n";
        QTest::newRow("too few fields")
            << ("#c\n" + ok + "Tag=a/b,0,1,AAAA\n") << QStringLiteral("line 3: expected [Tag=...,]");
        QTest::newRow("start") << ("\n" + ok + "x,1,0,AAAA\n")
                               << QStringLiteral("line 3: StartTimestamp: expected a number, got \"x\"");
        QTest::newRow("length") << QByteArray("0,-1,0,AAAA\n")
                                << QStringLiteral("line 1: Interval_Length: expected a number >= 0");
        QTest::newRow("max") << QByteArray("0,1,nan,AAAA\n")
                             << QStringLiteral("line 1: Interval_Max: expected a number");
        QTest::newRow("base64") << QByteArray("0,1,0,!!!!\n")
                                << QStringLiteral("line 1: Interval_Compressed_Histogram: not base64");
        QTest::newRow("histogram") << QByteArray("0,1,0,AAAAAAAA\n")
                                   << QStringLiteral("line 1: Interval_Compressed_Histogram: byte");
        QTest::newRow("start time") << QByteArray("#[StartTime: soon]\n")
                                    << QStringLiteral("line 1: StartTime: expected seconds");
        QTest::newRow("base time") << (ok + "#[BaseTime: ]\n")
                                   << QStringLiteral("line 2: BaseTime: expected seconds");
    }

    void damagedLinesNameTheirLineNumber()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString error = readError(text);
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }

    void intervalsAddUpToThePhase()
    {
        // A fake load engine: every snapshot has more samples than the one before.
        int taken = 0;
        const auto snapshotAt = [](int step) {
            load::LoadSnapshot snapshot;
            snapshot.timestampMs = kStartMs + step * 1000;
            for (int r = 0; r < 2; ++r) {
                load::RouteStats route;
                route.route = QStringLiteral("GET /r%1").arg(r);
                for (int i = 0; i <= step; ++i)
                    route.corrected.record(100 * (i + 1) + r, std::uint64_t(i + 1));
                snapshot.routes.push_back(std::move(route));
            }
            return snapshot;
        };
        scenario::IntervalHistograms recorder([&] { return snapshotAt(++taken); });
        const load::LoadSnapshot atStart = snapshotAt(0);
        recorder.startPhase(QStringLiteral("p"), atStart);
        QTRY_VERIFY_WITH_TIMEOUT(taken >= 2, 10'000); // the timer took two snapshots
        const load::LoadSnapshot atEnd = snapshotAt(++taken);
        recorder.finishPhase(QStringLiteral("p (interrupted)"), atEnd);
        const std::vector<report::LatencyInterval> intervals = recorder.take();
        QCOMPARE(intervals.size(), std::size_t(2 * taken));
        const load::LoadSnapshot phase = load::LoadSnapshot::between(atEnd, atStart);
        for (int r = 0; r < 2; ++r) {
            metrics::LatencyHistogram sum;
            qint64 expectedStart = atStart.timestampMs;
            for (const report::LatencyInterval &interval : intervals) {
                QCOMPARE(interval.phase, QStringLiteral("p (interrupted)"));
                if (interval.route != phase.routes[r].route)
                    continue;
                QCOMPARE(interval.startMs, expectedStart); // intervals follow each other without gap
                expectedStart = interval.endMs;
                auto decoded = metrics::decodeHdrV2(interval.compressedHistogram);
                QVERIFY(std::holds_alternative<metrics::LatencyHistogram>(decoded));
                QCOMPARE(interval.maxUs, std::get<metrics::LatencyHistogram>(decoded).max());
                sum.add(std::get<metrics::LatencyHistogram>(decoded));
            }
            QCOMPARE(expectedStart, atEnd.timestampMs);
            QCOMPARE(perflab::test::bucketDifference(sum, phase.routes[r].corrected), QString());
        }
    }

    void savedRunFallsBackToTheLog()
    {
        report::RunReport run;
        run.startedMs = kStartMs;
        run.finishedMs = kStartMs + 4000;
        const auto a1 = histogramOf({{1000, 90}, {5000, 10}});
        const auto a2 = histogramOf({{2000, 100}});
        const auto b1 = histogramOf({{300, 50}});
        const auto c1 = histogramOf({{700, 30}});
        run.intervals = {
            intervalOf(QStringLiteral("one"), QStringLiteral("GET /a"), kStartMs, kStartMs + 1000, a1),
            intervalOf(QStringLiteral("one"), QStringLiteral("GET /b"), kStartMs, kStartMs + 1000, b1),
            intervalOf(QStringLiteral("one"), QStringLiteral("GET /a"), kStartMs + 1000, kStartMs + 2000, a2),
            intervalOf(QStringLiteral("two, too"), QStringLiteral("GET /b"), kStartMs + 2000, kStartMs + 2500,
                       c1)};
        QTemporaryDir dir;
        QFile file(QDir(dir.path()).filePath(QStringLiteral("latency.hlog")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(report::hlogText(run));
        file.close();

        auto loaded = compare::loadSavedRun(dir.path());
        QVERIFY2(std::holds_alternative<compare::SavedRun>(loaded),
                 qPrintable(std::get_if<QString>(&loaded) ? std::get<QString>(loaded) : QString()));
        const compare::SavedRun &saved = std::get<compare::SavedRun>(loaded);
        QCOMPARE(saved.phases.size(), std::size_t(2));
        QCOMPARE(saved.phases[0].name, QStringLiteral("one"));
        QCOMPARE(saved.phases[1].name, QStringLiteral("two, too"));
        QCOMPARE(saved.phases[0].durationS, 2.0);
        QCOMPARE(saved.phases[1].durationS, 0.5);
        QCOMPARE(saved.phases[0].routes.size(), std::size_t(2));
        const compare::RouteFigures &a = saved.phases[0].routes[0];
        QCOMPARE(a.route, QStringLiteral("GET /a"));
        QCOMPARE(a.requests, 200.0);
        QCOMPARE(a.requestsPerS, 100.0);
        QCOMPARE(a.p50Ms, 2.0); // ranks 91..190 are 2000 µs (a bucket of width 1 below 2048)
        QCOMPARE(a.p90Ms, 2.0);
        QCOMPARE(a.maxMs, 5.003); // a decoded max is its bucket's upper bound: 5000..5003
        QCOMPARE(a.errorCount, 0.0);
        QCOMPARE(a.bytesReceived, 0.0);
        QCOMPARE(saved.phases[0].total.requests, 250.0);
        QCOMPARE(saved.phases[0].total.requestsPerS, 125.0);
        QCOMPARE(saved.phases[1].routes[0].requestsPerS, 60.0);
        QCOMPARE(saved.total.requests, 280.0);
        QCOMPARE(saved.durationS, 2.5);
        QCOMPARE(saved.started, QStringLiteral("2027-01-15T08:00:00.000Z"));

        // A damaged log is an error naming the file and the line.
        QVERIFY(file.open(QIODevice::Append));
        file.write("Tag=x/y,1,2\n");
        file.close();
        auto damaged = compare::loadSavedRun(dir.path());
        QVERIFY(std::holds_alternative<QString>(damaged));
        QVERIFY2(std::get<QString>(damaged).contains(QStringLiteral("latency.hlog: line 10:")),
                 qPrintable(std::get<QString>(damaged)));
    }
};

QTEST_GUILESS_MAIN(TestHlog)
#include "test_hlog.moc"
