// test_hdr_hgrm_golden: perflab's .hgrm writer (report::spectrumText, what every report folder's
// latency-<phase>.hgrm holds) against golden files hdr-histogram-js 3.0.1 printed
// (tests/data/hdr/NAME.hgrm, `node tests/js/hgrm.js tests/data/hdr/NAME.v2.b64`, its
// outputPercentileDistribution(5, 1000)) for the same histograms: the V2 files beside them,
// which hdr-histogram-js wrote and perflab decodes to the same counts (test_hdr_v2_codec).
// Every line and figure must agree within the printed precision (HgrmCompare.h); the only
// differences are the two HgrmCompare names, pinned here so that no other can appear.
// test_hdr_hgrm_js re-makes the golden files with the installed package, so they cannot
// drift from it silently.
#include "GoldenFile.h"
#include "HgrmCompare.h"

#include "engine/metrics/HdrV2Codec.h"
#include "engine/report/ReportWriter.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace perflab;

class TestHdrHgrmGolden : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perflabsHgrmIsHdrHistogramJsOutput_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("known");
        // The last data line of each: C prints 1/(1-1) as inf, JS leaves the column out.
        QTest::newRow("190 values, 1..190 us")
            << u"us-190-values"_s << u"line 43: 1/(1-p) inf (C), left out (JS)"_s;
        QTest::newRow("600 values over 1 us..1 h, the layout's edges")
            << u"us-mixed"_s << u"line 38: 1/(1-p) inf (C), left out (JS)"_s;
        QTest::newRow("counts up to 2^50")
            << u"us-large-counts"_s << u"line 5: 1/(1-p) inf (C), left out (JS)"_s;
        // One bucket holds every sample: the 0 % line must still be there (perflab's writer
        // lost it until this check, the C library prints it too).
        QTest::newRow("one bucket") << u"us-one-bucket"_s << u"line 4: 1/(1-p) inf (C), left out (JS)"_s;
        QTest::newRow("empty")
            << u"us-empty"_s
            << u"line 3: the empty histogram's 100 % line \"0.000 1.000000 0 inf\" (C), none (JS)"_s;
    }
    void perflabsHgrmIsHdrHistogramJsOutput()
    {
        QFETCH(QString, name);
        QFETCH(QString, known);
        const QString dir = QStringLiteral(PERFLAB_HDR_GOLDEN_DIR "/");
        auto decoded = metrics::decodeHdrV2(
            QByteArray::fromBase64(perflab::test::readGoldenFile(dir + name + u".v2.b64"_s).trimmed()));
        QVERIFY(std::holds_alternative<metrics::LatencyHistogram>(decoded));
        const QString ours =
            QString::fromUtf8(report::spectrumText(std::get<metrics::LatencyHistogram>(decoded)));
        const QString golden = QString::fromUtf8(perflab::test::readGoldenFile(dir + name + u".hgrm"_s));
        const metrics::test::HgrmDifferences differences = metrics::test::compareHgrm(ours, golden);
        QVERIFY2(differences.unexpected.isEmpty(),
                 qPrintable(differences.unexpected.join(u"\n"_s) + u"\n--- perflab:\n"_s + ours +
                            u"--- hdr-histogram-js:\n"_s + golden));
        QCOMPARE(differences.known, QStringList{known});
    }

    // The comparison itself catches a wrong figure, a missing line and a changed footer.
    void aDifferenceIsCaught()
    {
        const QString golden = QString::fromUtf8(
            perflab::test::readGoldenFile(QStringLiteral(PERFLAB_HDR_GOLDEN_DIR "/us-190-values.hgrm")));
        auto decoded = metrics::decodeHdrV2(QByteArray::fromBase64(
            perflab::test::readGoldenFile(QStringLiteral(PERFLAB_HDR_GOLDEN_DIR "/us-190-values.v2.b64"))
                .trimmed()));
        const QString ours =
            QString::fromUtf8(report::spectrumText(std::get<metrics::LatencyHistogram>(decoded)));
        QString wrongValue = ours;
        wrongValue.replace(u"       0.019     0.100000"_s, u"       0.020     0.100000"_s);
        QVERIFY(wrongValue != ours);
        QCOMPARE(metrics::test::compareHgrm(wrongValue, golden).unexpected,
                 QStringList{u"line 4 (value): 0.020 vs 0.019"_s});
        QString wrongMean = ours;
        wrongMean.replace(u"#[Mean    =        0.096"_s, u"#[Mean    =        0.098"_s);
        QVERIFY(wrongMean != ours);
        QCOMPARE(metrics::test::compareHgrm(wrongMean, golden).unexpected,
                 QStringList{u"line 44 (mean): 0.098 vs 0.096"_s});
        QString missingLine = ours;
        missingLine.remove(missingLine.indexOf(u"       0.019"_s),
                           missingLine.indexOf(u'\n', missingLine.indexOf(u"       0.019"_s)) + 1 -
                               missingLine.indexOf(u"       0.019"_s));
        QVERIFY(!metrics::test::compareHgrm(missingLine, golden).unexpected.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHdrHgrmGolden)
#include "test_hdr_hgrm_golden.moc"
