// test_hdr_v2_js: perflab's V2 encodings read by hdr-histogram-js, an implementation perflab
// shares no code with. The histograms are written to files in both encodings, and
// `node tests/js/decode-hdr.js FILE...` prints what hdr-histogram-js reads from each: layout,
// total count, min, max, p50, p99. Those must be perflab's own figures for the same histogram,
// the percentiles taken with the Java and JS libraries' rank rule (HdrTestSupport.h).
//
// Needs node (Debian's nodejs and npm, from packaging/install-deps.sh) and the pinned
// hdr-histogram-js in tests/js/node_modules (scripts/install-js-deps.sh; the test command runs
// both). Without them the test fails, saying so: it never skips.
#include "HdrTestSupport.h"

#include "engine/metrics/HdrV2Codec.h"
#include "engine/metrics/LatencyHistogram.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using perflab::metrics::decodeHdrV2;
using perflab::metrics::encodeHdrV2;
using perflab::metrics::encodeHdrV2Compressed;
using perflab::metrics::LatencyHistogram;
using namespace perflab::metrics::test;

namespace {

const QString kInstallHint =
    u"install Debian's nodejs and npm (packaging/install-deps.sh does), then the pinned "
    "hdr-histogram-js with scripts/install-js-deps.sh (npm ci in tests/js)"_s;

struct NodeRun
{
    QString failure; // empty when node printed its JSON
    QJsonArray results;
};

NodeRun decodeWithHdrHistogramJs(const QStringList &files)
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        return {u"node is not on PATH: "_s + kInstallHint, {}};
    QProcess process;
    process.start(node, QStringList{QStringLiteral(PERFLAB_JS_DIR) + u"/decode-hdr.js"_s} + files);
    if (!process.waitForStarted(10'000))
        return {u"node did not start: "_s + process.errorString(), {}};
    if (!process.waitForFinished(180'000))
        return {u"node did not finish within 180 s"_s, {}};
    const QString errors = QString::fromUtf8(process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {u"decode-hdr.js failed (exit %1): %2"_s.arg(process.exitCode()).arg(errors), {}};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(process.readAllStandardOutput(), &parseError);
    if (!document.isArray())
        return {u"decode-hdr.js printed no JSON array: "_s + parseError.errorString(), {}};
    return {{}, document.array()};
}

std::int64_t integer(const QJsonObject &object, const char *key)
{
    return static_cast<std::int64_t>(object.value(QLatin1String(key)).toInteger(-1));
}

} // namespace

class TestHdrV2Js : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hdrHistogramJsReadsPerflabsFigures();
};

void TestHdrV2Js::hdrHistogramJsReadsPerflabsFigures()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::vector<NamedHistogram> named = variedHistograms();
    std::vector<LatencyHistogram> histograms(named.size());
    QStringList files;
    for (std::size_t i = 0; i < named.size(); ++i) {
        named[i].fill(histograms[i]);
        for (const bool compressed : {false, true}) {
            QFile file(dir.filePath(u"%1-%2.hdr"_s.arg(i).arg(compressed ? u"compressed"_s : u"plain"_s)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(compressed ? encodeHdrV2Compressed(histograms[i]) : encodeHdrV2(histograms[i]));
            files << file.fileName();
        }
    }

    const NodeRun run = decodeWithHdrHistogramJs(files);
    QVERIFY2(run.failure.isEmpty(), qPrintable(run.failure));
    QCOMPARE(run.results.size(), files.size());

    bool sawRulesDiffer = false;
    for (qsizetype f = 0; f < files.size(); ++f) {
        const QJsonObject js = run.results.at(f).toObject();
        const LatencyHistogram &histogram = histograms[static_cast<std::size_t>(f / 2)];
        const QByteArray what =
            (named[static_cast<std::size_t>(f / 2)].name + (f % 2 ? u", compressed"_s : u", plain"_s))
                .toUtf8();
        const bool empty = histogram.isEmpty();

        QVERIFY2(js.value(u"file"_s).toString() == files.at(f), what);
        QVERIFY2(integer(js, "lowestDiscernibleValue") == LatencyHistogram::kLowestDiscernibleUs, what);
        QVERIFY2(integer(js, "highestTrackableValue") == LatencyHistogram::kHighestTrackableUs, what);
        QVERIFY2(integer(js, "significantDigits") == LatencyHistogram::kSignificantDigits, what);
        QVERIFY2(integer(js, "totalCount") == static_cast<std::int64_t>(histogram.totalCount()), what);
        const std::int64_t min = empty ? 0 : LatencyHistogram::lowestEquivalentValue(histogram.min());
        const std::int64_t max = empty ? 0 : LatencyHistogram::highestEquivalentValue(histogram.max());
        QVERIFY2(integer(js, "min") == min,
                 QByteArray(what + " min " + QByteArray::number(integer(js, "min"))));
        QVERIFY2(integer(js, "max") == max,
                 QByteArray(what + " max " + QByteArray::number(integer(js, "max"))));
        for (const auto &[key, percentile] : {std::pair{"p50", 50.0}, std::pair{"p99", 99.0}}) {
            const std::int64_t perflab = valueAtPercentileRoundedUp(histogram, percentile);
            const QByteArray detail = what + ' ' + key + " hdr-histogram-js " +
                                      QByteArray::number(integer(js, key)) + " perflab " +
                                      QByteArray::number(perflab);
            QVERIFY2(integer(js, key) == perflab, detail);
        }
        // Perflab's own decoder reads the same file as hdr-histogram-js does.
        QFile file(files.at(f));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto back = decodeHdrV2(file.readAll());
        QVERIFY2(std::holds_alternative<LatencyHistogram>(back), what);
        const LatencyHistogram &decoded = std::get<LatencyHistogram>(back);
        QVERIFY2(decoded.min() == integer(js, "min") && decoded.max() == integer(js, "max"), what);
        QVERIFY2(valueAtPercentileRoundedUp(decoded, 99) == integer(js, "p99"), what);
        if (integer(js, "p99") != histogram.valueAtPercentile(99))
            sawRulesDiffer = true;
    }
    // The 190-value histogram is where rounding the rank up (Java, JS) and to the nearest (C,
    // LatencyHistogram::valueAtPercentile()) part: 189 against 188.
    QVERIFY(sawRulesDiffer);
}

QTEST_GUILESS_MAIN(TestHdrV2Js)
#include "test_hdr_v2_js.moc"
