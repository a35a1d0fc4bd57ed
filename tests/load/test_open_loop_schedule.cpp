// The open-loop schedule's arithmetic: a constant rate gives intended times of exactly
// start + k / rate; stage ramps integrate the rate; a rate change mid-run keeps the times
// already intended and continues from the change; threads' strides interleave.
#include "engine/load/OpenLoopSchedule.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace perflab::load;

namespace {
constexpr std::int64_t kStart = 5'000'000'000; // an arbitrary clock origin

LoadModel openModel(double rate)
{
    LoadModel model;
    model.kind = LoadModelKind::Open;
    model.rate = rate;
    return model;
}

LoadModel stagesModel(std::vector<Stage> stages)
{
    LoadModel model;
    model.kind = LoadModelKind::Stages;
    model.stages = std::move(stages);
    return model;
}
} // namespace

class TestOpenLoopSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void constantRateIsExactlyKOverRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("500/s") << 500.0;
        QTest::newRow("1000/s") << 1000.0;
        QTest::newRow("3/s") << 3.0;
        QTest::newRow("125000/s") << 125000.0;
    }

    void constantRateIsExactlyKOverRate()
    {
        QFETCH(double, rate);
        OpenLoopSchedule schedule;
        schedule.setModel(openModel(rate), kStart);
        for (std::uint64_t k : {0ULL, 1ULL, 2ULL, 7ULL, 999ULL, 1000ULL, 123456ULL, 10'000'000ULL}) {
            const auto expected = kStart + std::int64_t(std::llround(double(k) * 1e9 / rate));
            QCOMPARE(schedule.intendedNs(k), expected);
        }
        // 10 s at this rate intend rate * 10 requests.
        QCOMPARE(schedule.countBefore(kStart + 10'000'000'000), rate * 10);
    }

    void rampIntegratesTheRate()
    {
        // 0 -> 1000/s over 10 s: N(t) = 50 t^2, 5000 requests in the ramp.
        OpenLoopSchedule schedule;
        schedule.setModel(stagesModel({{10.0, 1000.0}}), kStart);
        QCOMPARE(schedule.countBefore(kStart + 10'000'000'000), 5000.0);
        for (std::uint64_t k : {1ULL, 50ULL, 200ULL, 1250ULL, 4999ULL}) {
            const double t = std::sqrt(double(k) / 50.0);
            QVERIFY2(std::llabs(schedule.intendedNs(k) - (kStart + std::llround(t * 1e9))) <= 1,
                     qPrintable(QString::number(k)));
        }
        QCOMPARE(schedule.intendedNs(0), kStart);
        // After the last stage its rate holds (as LoadModel::rateAt says).
        QCOMPARE(schedule.intendedNs(5000), kStart + 10'000'000'000);
        QCOMPARE(schedule.intendedNs(6000), kStart + 11'000'000'000);
    }

    void stagesFollowEachOther()
    {
        // 10 s ramp 0 -> 100 (500 requests), 10 s flat at 100 (1000), 5 s ramp down to 0 (250).
        OpenLoopSchedule schedule;
        schedule.setModel(stagesModel({{10.0, 100.0}, {10.0, 100.0}, {5.0, 0.0}}), kStart);
        QCOMPARE(schedule.countBefore(kStart + 10'000'000'000), 500.0);
        QCOMPARE(schedule.countBefore(kStart + 20'000'000'000), 1500.0);
        QCOMPARE(schedule.countBefore(kStart + 25'000'000'000), 1750.0);
        // In the flat stage: 100/s from t = 10 s.
        QCOMPARE(schedule.intendedNs(500), kStart + 10'000'000'000);
        QCOMPARE(schedule.intendedNs(600), kStart + 11'000'000'000);
        // Times are increasing over every boundary.
        std::int64_t previous = -1;
        for (std::uint64_t k = 0; k < 1750; ++k) {
            const std::int64_t t = schedule.intendedNs(k);
            QVERIFY2(t > previous, qPrintable(QString::number(k)));
            previous = t;
        }
        QCOMPARE(schedule.intendedNs(1750), OpenLoopSchedule::kNever);
        // The rate implied by neighbouring intended times matches the ramp: ~50/s at t = 2.5 s
        // into the last stage.
        const double n = 1500 + 100 * 2.5 - 0.5 * 20 * 2.5 * 2.5; // N at 22.5 s
        const auto k = std::uint64_t(n);
        const double gapS = double(schedule.intendedNs(k + 1) - schedule.intendedNs(k)) / 1e9;
        QVERIFY2(std::abs(1.0 / gapS - 50.0) < 1.0, qPrintable(QString::number(1.0 / gapS)));
    }

    void rateImpliedByTheScheduleIsRateAt()
    {
        const LoadModel model = stagesModel({{4.0, 2000.0}, {2.0, 2000.0}, {4.0, 500.0}, {3.0, 0.0}});
        OpenLoopSchedule schedule;
        schedule.setModel(model, kStart);
        for (double t : {0.5, 1.0, 3.9, 4.5, 5.5, 6.1, 8.0, 9.9, 11.0, 12.5}) {
            const auto k = std::uint64_t(schedule.countBefore(kStart + std::llround(t * 1e9)));
            const double gapS = double(schedule.intendedNs(k + 1) - schedule.intendedNs(k)) / 1e9;
            const double expected = model.rateAt(t);
            QVERIFY2(std::abs(1.0 / gapS - expected) <= expected * 0.01 + 1.0,
                     qPrintable(QStringLiteral("t=%1: %2 vs %3").arg(t).arg(1.0 / gapS).arg(expected)));
        }
        QCOMPARE(schedule.countBefore(kStart + 13'000'000'000), 4000.0 + 4000.0 + 5000.0 + 750.0);
    }

    void rateChangeMidRunKeepsEarlierIntendedTimes()
    {
        OpenLoopSchedule schedule;
        schedule.setModel(openModel(100.0), kStart);
        const std::int64_t before = schedule.intendedNs(149); // 1.49 s
        // At 1.5 s (150 requests intended) the rate becomes 1000/s.
        schedule.setModel(openModel(1000.0), kStart + 1'500'000'000);
        QCOMPARE(schedule.intendedNs(149), before);
        QCOMPARE(schedule.intendedNs(150), kStart + 1'500'000'000);
        QCOMPARE(schedule.intendedNs(151), kStart + 1'501'000'000);
        QCOMPARE(schedule.intendedNs(1150), kStart + 2'500'000'000);
        // A change between two intended times continues from the fractional count.
        schedule.setModel(openModel(10.0), kStart + 2'500'500'000); // 1150.5 intended
        QCOMPARE(schedule.intendedNs(1151), kStart + 2'500'500'000 + 50'000'000);
        // Dropping what every thread has passed keeps the rest.
        schedule.dropBefore(1151);
        QCOMPARE(schedule.intendedNs(1152), kStart + 2'500'500'000 + 150'000'000);
    }

    void rateZeroNeverSends()
    {
        OpenLoopSchedule schedule;
        LoadModel closed;
        schedule.setModel(closed, kStart);
        QCOMPARE(schedule.intendedNs(0), OpenLoopSchedule::kNever);
        schedule.setModel(openModel(0), kStart);
        QCOMPARE(schedule.intendedNs(0), OpenLoopSchedule::kNever);
        // Then an open model starts from its own start.
        schedule.setModel(openModel(10), kStart + 1'000'000'000);
        QCOMPARE(schedule.intendedNs(0), kStart + 1'000'000'000);
        QCOMPARE(schedule.intendedNs(3), kStart + 1'300'000'000);
    }

    void threadStridesInterleaveIntoOneSchedule()
    {
        // Three threads each take every third index: merged they are the 300/s schedule.
        OpenLoopSchedule schedule;
        schedule.setModel(openModel(300.0), kStart);
        std::vector<std::int64_t> merged;
        for (int thread = 0; thread < 3; ++thread) {
            for (std::uint64_t k = std::uint64_t(thread); k < 300; k += 3)
                merged.push_back(schedule.intendedNs(k));
        }
        std::sort(merged.begin(), merged.end());
        for (std::size_t k = 0; k < merged.size(); ++k)
            QCOMPARE(merged[k], kStart + std::int64_t(std::llround(double(k) * 1e9 / 300.0)));
    }
};

QTEST_GUILESS_MAIN(TestOpenLoopSchedule)
#include "test_open_loop_schedule.moc"
