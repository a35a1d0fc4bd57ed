// The Universal Scalability Law fit (knee/UslFit): exact recovery of λ, σ, κ and the peak
// from points of a known law, linear scaling (σ = κ = 0, no peak), a law that levels off
// (κ = 0), noise that leaves R² below 1, and the inputs it refuses (fewer than three
// concurrencies, no throughput).
#include "engine/knee/UslFit.h"

#include <QTest>

#include <cmath>

using namespace perflab::knee;

namespace {

std::vector<UslPoint> pointsOf(double lambda, double sigma, double kappa,
                               const std::vector<double> &concurrencies)
{
    UslFit law;
    law.lambda = lambda;
    law.sigma = sigma;
    law.kappa = kappa;
    std::vector<UslPoint> points;
    for (double n : concurrencies)
        points.push_back({n, law.throughputAt(n)});
    return points;
}

bool near(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance;
}

} // namespace

class TestUslFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLawIsX()
    {
        UslFit law;
        law.lambda = 100;
        law.sigma = 0.1;
        law.kappa = 0.01;
        QCOMPARE(law.throughputAt(1), 100.0);
        // 100 * 4 / (1 + 0.3 + 0.12)
        QVERIFY(near(law.throughputAt(4), 400 / 1.42, 1e-9));
    }

    void recoversAKnownLawAndItsPeak()
    {
        const auto fit = fitUsl(pointsOf(100, 0.05, 0.001, {1, 2, 4, 8, 16, 32, 64}));
        QVERIFY(fit);
        QVERIFY2(near(fit->lambda, 100, 1e-6), qPrintable(QString::number(fit->lambda)));
        QVERIFY2(near(fit->sigma, 0.05, 1e-9), qPrintable(QString::number(fit->sigma)));
        QVERIFY2(near(fit->kappa, 0.001, 1e-11), qPrintable(QString::number(fit->kappa)));
        QVERIFY(near(fit->rSquared, 1, 1e-9));
        QVERIFY(fit->peakConcurrency && fit->peakThroughput);
        const double peak = std::sqrt(0.95 / 0.001); // 30.8
        QVERIFY(near(*fit->peakConcurrency, peak, 1e-6));
        QVERIFY(near(*fit->peakThroughput, fit->throughputAt(peak), 1e-9));
        // The peak is the top: either side is lower.
        QVERIFY(fit->throughputAt(peak - 1) < *fit->peakThroughput);
        QVERIFY(fit->throughputAt(peak + 1) < *fit->peakThroughput);
    }

    void linearScalingHasNeitherContentionNorCoherency()
    {
        const auto fit = fitUsl(pointsOf(250, 0, 0, {1, 2, 4, 8}));
        QVERIFY(fit);
        QVERIFY(near(fit->lambda, 250, 1e-6));
        QVERIFY(near(fit->sigma, 0, 1e-9));
        QVERIFY(near(fit->kappa, 0, 1e-9));
    }

    void withoutCoherencyThereIsNoPeak()
    {
        // κ = 0 exactly in the data; the fit may land a hair either side of it, so the law it
        // found is checked for the level it tends to rather than for a missing peak alone.
        const auto fit = fitUsl(pointsOf(100, 0.2, 0, {1, 2, 4, 8, 16, 32}));
        QVERIFY(fit);
        QVERIFY(near(fit->sigma, 0.2, 1e-9));
        QVERIFY(near(fit->kappa, 0, 1e-12));
        QVERIFY(!fit->peakConcurrency || *fit->peakConcurrency > 1e4);

        const auto retrograde = fitUsl(pointsOf(100, 0.2, -0.001, {1, 2, 4, 8}));
        QVERIFY(retrograde);
        QVERIFY(retrograde->kappa < 0);
        QVERIFY(!retrograde->peakConcurrency);
        QVERIFY(!retrograde->peakThroughput);
    }

    void noiseLowersRSquared()
    {
        std::vector<UslPoint> points = pointsOf(100, 0.05, 0.001, {1, 2, 4, 8, 16, 32, 64});
        points[3].throughput *= 1.2;
        points[5].throughput *= 0.8;
        const auto fit = fitUsl(points);
        QVERIFY(fit);
        QVERIFY2(fit->rSquared < 0.999 && fit->rSquared > 0, qPrintable(QString::number(fit->rSquared)));
    }

    void refusesWhatCannotBeFitted()
    {
        QVERIFY(!fitUsl({}));
        QVERIFY(!fitUsl(pointsOf(100, 0.1, 0.01, {1, 2})));
        // Three points, but the same concurrency twice.
        QVERIFY(!fitUsl(pointsOf(100, 0.1, 0.01, {1, 2, 2})));
        // A step without responses says nothing about the law and is left out.
        std::vector<UslPoint> points = pointsOf(100, 0.1, 0.01, {1, 2, 4});
        points[2].throughput = 0;
        QVERIFY(!fitUsl(points));
        points.push_back({8, UslFit{100, 0.1, 0.01}.throughputAt(8)});
        const auto fit = fitUsl(points);
        QVERIFY(fit);
        QVERIFY(near(fit->sigma, 0.1, 1e-9));
    }
};

QTEST_APPLESS_MAIN(TestUslFit)
#include "test_usl_fit.moc"
