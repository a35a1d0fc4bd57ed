// The steps of a concurrency sweep (knee/SweepPlan): doubling concurrencies ending on the
// largest, each run in turn (only the first from idle), and the outcome once all have run.
#include "engine/knee/SweepPlan.h"

#include <QTest>

using namespace perflab::knee;

namespace {

KneeStep measured(int concurrency, double throughput)
{
    KneeStep step;
    step.kind = StepKind::Sweep;
    step.concurrency = concurrency;
    step.achievedRps = throughput;
    return step;
}

} // namespace

class TestSweepPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void concurrenciesDoubleUpToTheLargest()
    {
        QCOMPARE(sweepConcurrencies(64), (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
        QCOMPARE(sweepConcurrencies(48), (std::vector<int>{1, 2, 4, 8, 16, 32, 48}));
        QCOMPARE(sweepConcurrencies(4), (std::vector<int>{1, 2, 4}));
        QCOMPARE(sweepConcurrencies(1), (std::vector<int>{1}));
    }

    void eachConcurrencyRunsInTurn()
    {
        std::vector<KneeStep> steps;
        KneeMove move = nextSweepMove(steps, 8);
        QVERIFY(!move.done);
        QCOMPARE(move.kind, StepKind::Sweep);
        QCOMPARE(move.concurrency, 1);
        QVERIFY(move.fromIdle);
        const std::vector<int> expected{1, 2, 4, 8};
        for (int n : expected) {
            move = nextSweepMove(steps, 8);
            QVERIFY(!move.done);
            QCOMPARE(move.concurrency, n);
            QCOMPARE(move.fromIdle, n == 1);
            steps.push_back(measured(n, 100.0 * n));
        }
        move = nextSweepMove(steps, 8);
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::SweepCompleted);
    }

    void theHighestThroughputIsTheCapacity()
    {
        const std::vector<KneeStep> steps{measured(1, 90), measured(2, 170), measured(4, 240),
                                          measured(8, 210)};
        QCOMPARE(highestThroughput(steps), std::optional<std::size_t>(2));
        const KneeMove move = nextSweepMove(steps, 8);
        QVERIFY(move.done);
        QCOMPARE(move.capacityRps, 240.0);
        QCOMPARE(move.capacityStep, std::optional<std::size_t>(2));
        QVERIFY(!move.kneeStep);
        QVERIFY(!highestThroughput({}));
    }
};

QTEST_APPLESS_MAIN(TestSweepPlan)
#include "test_sweep_plan.moc"
