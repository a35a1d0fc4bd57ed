// test_hdr_hgrm_js: perflab's .hgrm writer against hdr-histogram-js, live. Each of the varied
// histograms (HdrTestSupport.h: empty, one value, the layout's edges, 10^6 values over 1 µs..1 h,
// large counts, long runs of zeros, a coordinated-omission correction, 190 values) is encoded
// with perflab's V2 encoder, and `node tests/js/hgrm.js FILE` prints hdr-histogram-js's
// outputPercentileDistribution(5, 1000) of it; perflab's report::spectrumText() of the same
// histogram must agree line by line within the printed precision, but for the differences
// HgrmCompare.h names (the 100 % line's inf, the empty histogram's line). Then the golden files
// of test_hdr_hgrm_golden are printed again from their V2 files and must be byte for byte what
// is committed, so the installed hdr-histogram-js and the golden files cannot drift apart.
//
// Needs node and the pinned hdr-histogram-js (scripts/install-js-deps.sh): fails, never skips,
// without them.
#include "GoldenFile.h"
#include "HdrTestSupport.h"
#include "HgrmCompare.h"

#include "engine/metrics/HdrV2Codec.h"
#include "engine/report/ReportWriter.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace perflab;

namespace {

struct NodeOutput
{
    QString failure; // empty when hgrm.js printed its spectrum
    QByteArray text;
};

NodeOutput hdrHistogramJsSpectrum(const QString &file)
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        return {u"node is not on PATH: install Debian's nodejs and npm (packaging/install-deps.sh), then "
                "scripts/install-js-deps.sh"_s,
                {}};
    QProcess process;
    process.start(node, {QStringLiteral(PERFLAB_JS_DIR "/hgrm.js"), file});
    if (!process.waitForStarted(10'000))
        return {u"node did not start: "_s + process.errorString(), {}};
    if (!process.waitForFinished(180'000))
        return {u"node did not finish within 180 s"_s, {}};
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {u"hgrm.js failed (exit %1): %2"_s.arg(process.exitCode())
                    .arg(QString::fromUtf8(process.readAllStandardError())),
                {}};
    return {{}, process.readAllStandardOutput()};
}

} // namespace

class TestHdrHgrmJs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perflabsHgrmAgreesWithHdrHistogramJs()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const metrics::test::NamedHistogram &named : metrics::test::variedHistograms()) {
            metrics::LatencyHistogram histogram;
            named.fill(histogram);
            const QString file = dir.filePath(named.name + u".v2"_s);
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(metrics::encodeHdrV2(histogram));
            out.close();
            const NodeOutput js = hdrHistogramJsSpectrum(file);
            QVERIFY2(js.failure.isEmpty(), qPrintable(named.name + u": "_s + js.failure));
            const QString ours = QString::fromUtf8(report::spectrumText(histogram));
            const metrics::test::HgrmDifferences differences =
                metrics::test::compareHgrm(ours, QString::fromUtf8(js.text));
            QVERIFY2(differences.unexpected.isEmpty(),
                     qPrintable(named.name + u":\n"_s + differences.unexpected.join(u"\n"_s)));
            // Exactly one known difference: the 100 % line (or an empty histogram's only line).
            QVERIFY2(differences.known.size() == 1,
                     qPrintable(named.name + u": "_s + differences.known.join(u"; "_s)));
        }
    }

    void goldenFilesAreWhatTheInstalledPackagePrints()
    {
        for (const char *name :
             {"us-190-values", "us-mixed", "us-large-counts", "us-one-bucket", "us-empty"}) {
            const QString base = QStringLiteral(PERFLAB_HDR_GOLDEN_DIR "/") + QLatin1String(name);
            const NodeOutput js = hdrHistogramJsSpectrum(base + u".v2.b64"_s);
            QVERIFY2(js.failure.isEmpty(), qPrintable(js.failure));
            QVERIFY2(
                js.text == perflab::test::readGoldenFile(base + u".hgrm"_s),
                qPrintable(u"%1.hgrm differs from what hdr-histogram-js prints now; remake it with "
                           "node tests/js/hgrm.js tests/data/hdr/%1.v2.b64 > tests/data/hdr/%1.hgrm"_s.arg(
                               QLatin1String(name))));
        }
    }
};

QTEST_GUILESS_MAIN(TestHdrHgrmJs)
#include "test_hdr_hgrm_js.moc"
