// test_hlog_js: latency.hlog of a real run, read by an independent implementation. `perflab run`
// (the built binary) runs a scenario of two phases and two routes against the embedded lab
// (small dataset, --scale 0.3, its own data folder); then `node tests/js/read-hlog.js
// latency.hlog` reads the log with hdr-histogram-js's HistogramLogReader, adds up each tag's
// intervals and prints count, min, max, p50 and p99 per tag. Each tag must be the run.json
// route it names (phases[].routes[]):
// - count: latency_ms.count;
// - min: the first bucket of histogram_us.corrected (HdrHistogram's min after decoding is the
//   lowest value of the first non-empty bucket, and run.json writes buckets by that value);
// - max: HdrHistogram's decoded max is the highest value of the last bucket, run.json's the
//   exact max: the exact max must lie in that bucket;
// - p50 and p99: HdrHistogram's Java and JS libraries take the sample of rank ceil(p/100 * n),
//   perflab (as the C library) the nearest rank round(p/100 * n), and run.json caps the answer
//   at the exact max (README "HdrHistogram V2 encoding", tests/metrics/HdrTestSupport.h).
//   So the JS figure must equal the rounded-up rank's value of run.json's own buckets, and
//   where the two ranks are the same, run.json's figure must be the JS one capped at the max.
// And without node: the intervals perflab's reader finds per tag must add up to run.json's
// histogram_us.corrected of that phase and route, bucket for bucket.
// Fails (never skips) without node or hdr-histogram-js.
#include "HdrTestSupport.h"
#include "engine/metrics/LatencyHistogram.h"
#include "engine/report/HlogReader.h"
#include "engine/report/HlogTag.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using perflab::metrics::LatencyHistogram;

namespace {

const QString kInstallHint =
    QStringLiteral("install Debian's nodejs and npm (packaging/install-deps.sh does), then the pinned "
                   "hdr-histogram-js with scripts/install-js-deps.sh (npm ci in tests/js)");

// Phase names and routes hold spaces and a comma, which the tags must escape.
const char kScenario[] = R"({
  "name": "hlog check",
  "target": "embedded",
  "settings": {"database": {"dataset_users": 2000, "dataset_orders": 6000}},
  "load": {"model": "closed", "connections": 2, "think_ms": 2},
  "requests": [
    {"method": "GET", "path": "/users/{uniform:1..2000}", "weight": 3},
    {"method": "GET", "path": "/db/users?page={uniform:1..50}&size=20", "weight": 1}
  ],
  "phases": [
    {"name": "cache off, cold", "duration_s": 10, "settings": {"cache": {"enabled": false}}},
    {"name": "cache on", "duration_s": 10, "settings": {"cache": {"enabled": true}}}
  ]
})";

std::int64_t msToUs(double ms)
{
    return std::llround(ms * 1000.0);
}

LatencyHistogram histogramOf(const QJsonArray &buckets)
{
    LatencyHistogram histogram;
    for (const QJsonValue &bucket : buckets)
        histogram.record(std::int64_t(bucket.toArray().at(0).toDouble()),
                         std::uint64_t(bucket.toArray().at(1).toDouble()));
    return histogram;
}

} // namespace

class TestHlogJs : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_out;
    QJsonObject m_run;

    QJsonObject routeOf(const QString &phase, const QString &route) const
    {
        for (const QJsonValue &p : m_run.value(QStringLiteral("phases")).toArray()) {
            if (p.toObject().value(QStringLiteral("name")).toString() != phase)
                continue;
            for (const QJsonValue &r : p.toObject().value(QStringLiteral("routes")).toArray()) {
                if (r.toObject().value(QStringLiteral("route")).toString() == route)
                    return r.toObject();
            }
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString scenario = m_dir.filePath(QStringLiteral("hlog.json"));
        QFile file(scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kScenario);
        file.close();
        m_out = m_dir.filePath(QStringLiteral("report"));
        QProcess process;
        process.start(QStringLiteral(PERFLAB_BINARY),
                      {QStringLiteral("run"), scenario, QStringLiteral("--scale"), QStringLiteral("0.3"),
                       QStringLiteral("--out"), m_out, QStringLiteral("--data-dir"),
                       m_dir.filePath(QStringLiteral("data"))});
        QVERIFY(process.waitForFinished(240'000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().right(2000).constData());
        QFile json(m_out + QStringLiteral("/run.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        m_run = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(m_run.value(QStringLiteral("phases")).toArray().size(), 2);
        QVERIFY(QFile::exists(m_out + QStringLiteral("/latency.hlog")));
    }

    void hdrHistogramJsReadsWhatRunJsonSays()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), qPrintable(QStringLiteral("node is not on PATH: ") + kInstallHint));
        QProcess process;
        process.start(
            node, {QStringLiteral(PERFLAB_JS_DIR "/read-hlog.js"), m_out + QStringLiteral("/latency.hlog")});
        QVERIFY(process.waitForFinished(180'000));
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 qPrintable(QString::fromUtf8(process.readAllStandardError()) +
                            (process.exitCode() == 3 ? kInstallHint : QString())));
        const QJsonObject tags = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(tags.size(), 4); // 2 phases x 2 routes

        for (auto it = tags.constBegin(); it != tags.constEnd(); ++it) {
            const auto parts = perflab::report::splitHlogTag(it.key().toUtf8());
            QVERIFY(parts);
            const QJsonObject js = it.value().toObject();
            const QJsonObject route = routeOf(parts->phase, parts->route);
            QVERIFY2(!route.isEmpty(),
                     qPrintable(QStringLiteral("tag %1 names no route of run.json").arg(it.key())));
            const QString where = it.key() + QStringLiteral(": ");
            const QJsonObject latency = route.value(QStringLiteral("latency_ms")).toObject();
            const QJsonArray buckets = route.value(QStringLiteral("histogram_us"))
                                           .toObject()
                                           .value(QStringLiteral("corrected"))
                                           .toArray();
            const LatencyHistogram histogram = histogramOf(buckets);
            const auto count = std::uint64_t(js.value(QStringLiteral("totalCount")).toDouble());
            QVERIFY2(count > 0, qPrintable(where + QStringLiteral("no requests")));
            QCOMPARE(count, std::uint64_t(latency.value(QStringLiteral("count")).toDouble()));
            QCOMPARE(count, histogram.totalCount());
            QVERIFY(js.value(QStringLiteral("intervals")).toInt() >=
                    3); // 3 s: a second each, the last partial

            QCOMPARE(std::int64_t(js.value(QStringLiteral("min")).toDouble()),
                     std::int64_t(buckets.first().toArray().at(0).toDouble()));
            const std::int64_t exactMax = msToUs(latency.value(QStringLiteral("max")).toDouble());
            const auto jsMax = std::int64_t(js.value(QStringLiteral("max")).toDouble());
            QCOMPARE(jsMax, LatencyHistogram::highestEquivalentValue(exactMax));

            for (const auto &[key, percentile] : {std::pair{"p50", 50.0}, std::pair{"p99", 99.0}}) {
                const auto jsValue = std::int64_t(js.value(QLatin1String(key)).toDouble());
                QCOMPARE(jsValue, perflab::metrics::test::valueAtPercentileRoundedUp(histogram, percentile));
                const double exactRank = percentile / 100.0 * double(count);
                if (std::llround(exactRank) ==
                    qint64(perflab::metrics::test::percentileRankRoundedUp(percentile, count)))
                    QCOMPARE(msToUs(latency.value(QLatin1String(key)).toDouble()),
                             std::min(jsValue, exactMax));
            }
        }
    }

    void intervalsAddUpToRunJson()
    {
        QFile file(m_out + QStringLiteral("/latency.hlog"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto read = perflab::report::readHlog(file.readAll());
        const QString *error =
            std::get_if<QString>(&read); // QVERIFY2 evaluates its message even when it passes
        QVERIFY2(!error, error ? qPrintable(*error) : "");
        const auto &log = std::get<perflab::report::HlogLog>(read);
        QCOMPARE(log.tags.size(), std::size_t(4));
        for (const auto &tag : log.tags) {
            const auto parts = perflab::report::splitHlogTag(tag.tag);
            QVERIFY(parts);
            const QJsonArray buckets = routeOf(parts->phase, parts->route)
                                           .value(QStringLiteral("histogram_us"))
                                           .toObject()
                                           .value(QStringLiteral("corrected"))
                                           .toArray();
            const LatencyHistogram merged = tag.merged();
            QVERIFY(!buckets.isEmpty());
            // Bucket for bucket: run.json lists every non-empty bucket by its lowest value.
            std::uint64_t listed = 0;
            for (const QJsonValue &bucket : buckets) {
                const int index =
                    LatencyHistogram::countsIndexFor(std::int64_t(bucket.toArray().at(0).toDouble()));
                QCOMPARE(merged.countAtIndex(index), std::uint64_t(bucket.toArray().at(1).toDouble()));
                listed += merged.countAtIndex(index);
            }
            QCOMPARE(listed, merged.totalCount()); // no count outside run.json's buckets
        }
    }
};

QTEST_GUILESS_MAIN(TestHlogJs)
#include "test_hlog_js.moc"
