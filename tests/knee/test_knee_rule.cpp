// The stopping rule of a capacity search (knee/KneeRule) on hand-made steps: each bound
// alone and their order, the rising rates (geometric, linear, clamped at --max-rate), the
// bisection after the first failed step, and the capacity it settles on in each outcome: a
// latency knee, a rate not followed, errors, --max-rate sustained, not even the first rate.
#include "engine/knee/KneeRule.h"

#include <QTest>

using namespace perflab::knee;

namespace {

// A step that keeps up: achieved = offered, 10 ms p99, no errors.
KneeStep good(double offered, StepKind kind = StepKind::Rise)
{
    KneeStep step;
    step.kind = kind;
    step.offeredRps = offered;
    step.achievedRps = offered;
    step.responses = std::uint64_t(offered * 4);
    step.requests = step.responses;
    step.p50Ms = 8;
    step.p99Ms = 10;
    step.maxMs = 12;
    return step;
}

// Past the knee in latency only: the queue grew, the rate still followed.
KneeStep slow(double offered, StepKind kind = StepKind::Rise)
{
    KneeStep step = good(offered, kind);
    step.p99Ms = 450;
    return step;
}

KneeStep behind(double offered, double achieved, StepKind kind = StepKind::Rise)
{
    KneeStep step = good(offered, kind);
    step.achievedRps = achieved;
    return step;
}

KneeStep failing(double offered, double errorShare, StepKind kind = StepKind::Rise)
{
    KneeStep step = good(offered, kind);
    step.errorShare = errorShare;
    step.errors = std::uint64_t(double(step.requests) * errorShare);
    return step;
}

RatePlan geometric(double start, double max, int refinements = 3)
{
    RatePlan plan;
    plan.startRps = start;
    plan.maxRps = max;
    plan.factor = 1.5;
    plan.refinements = refinements;
    return plan;
}

} // namespace

class TestKneeRule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aStepPassesWithinEveryBound()
    {
        const KneeBounds bounds;
        QCOMPARE(judgeStep(good(500), bounds), KneeReason::None);
        // On the bounds themselves: still passing (the rule says "over", "below").
        KneeStep edge = good(1000);
        edge.achievedRps = 950;
        edge.p99Ms = 100;
        edge.errorShare = 0.01;
        QCOMPARE(judgeStep(edge, bounds), KneeReason::None);
    }

    void eachBoundFailsAStepAlone()
    {
        const KneeBounds bounds;
        QCOMPARE(judgeStep(slow(500), bounds), KneeReason::LatencyKnee);
        QCOMPARE(judgeStep(behind(1000, 949), bounds), KneeReason::RateNotFollowed);
        QCOMPARE(judgeStep(failing(500, 0.011), bounds), KneeReason::Errors);
        KneeBounds strict;
        strict.p99Ms = 5;
        QCOMPARE(judgeStep(good(500), strict), KneeReason::LatencyKnee);
        strict = {};
        strict.minFollowShare = 1.0;
        QCOMPARE(judgeStep(behind(1000, 999), strict), KneeReason::RateNotFollowed);
        strict = {};
        strict.maxErrorShare = 0;
        QCOMPARE(judgeStep(failing(500, 0.001), strict), KneeReason::Errors);
    }

    void errorsThenRateThenLatencyNameTheVerdict()
    {
        const KneeBounds bounds;
        KneeStep all = behind(1000, 500);
        all.p99Ms = 900;
        all.errorShare = 0.5;
        QCOMPARE(judgeStep(all, bounds), KneeReason::Errors);
        all.errorShare = 0;
        QCOMPARE(judgeStep(all, bounds), KneeReason::RateNotFollowed);
        all.achievedRps = 1000;
        QCOMPARE(judgeStep(all, bounds), KneeReason::LatencyKnee);
    }

    void theFirstStepIsTheStartRateFromIdle()
    {
        const KneeMove move = nextMove({}, {}, geometric(100, 5000));
        QVERIFY(!move.done);
        QCOMPARE(move.rateRps, 100.0);
        QCOMPARE(move.kind, StepKind::Rise);
        QVERIFY(move.fromIdle);
    }

    void ratesRiseByTheFactorOrTheStepOnTheSameEngine()
    {
        KneeMove move = nextMove({good(100)}, {}, geometric(100, 5000));
        QVERIFY(!move.done);
        QCOMPARE(move.rateRps, 150.0);
        QVERIFY(!move.fromIdle);
        move = nextMove({good(100), good(150)}, {}, geometric(100, 5000));
        QCOMPARE(move.rateRps, 225.0);

        RatePlan linear = geometric(100, 5000);
        linear.stepRps = 250;
        move = nextMove({good(100), good(350)}, {}, linear);
        QCOMPARE(move.rateRps, 600.0);
        QCOMPARE(move.kind, StepKind::Rise);
    }

    void theLastRiseIsMaxRateAndPassingItEndsTheSearch()
    {
        const RatePlan plan = geometric(100, 1000);
        KneeMove move = nextMove({good(100), good(800)}, {}, plan);
        QVERIFY(!move.done);
        QCOMPARE(move.rateRps, 1000.0);

        const std::vector<KneeStep> steps{good(100), good(800), good(1000)};
        move = nextMove(steps, {}, plan);
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::MaxRateSustained);
        QCOMPARE(move.capacityRps, 1000.0);
        QCOMPARE(move.capacityStep, std::optional<std::size_t>(2));
        QVERIFY(!move.kneeStep);

        // Start and max equal: one step is the whole search.
        move = nextMove({good(300)}, {}, geometric(300, 300));
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::MaxRateSustained);
        QCOMPARE(move.capacityRps, 300.0);
    }

    void aLatencyKneeIsBisectedFromIdle()
    {
        const RatePlan plan = geometric(100, 5000, 2);
        std::vector<KneeStep> steps{good(100), good(150), slow(225)};
        KneeMove move = nextMove(steps, {}, plan);
        QVERIFY(!move.done);
        QCOMPARE(move.kind, StepKind::Refine);
        QCOMPARE(move.rateRps, 187.5);
        QVERIFY(move.fromIdle);

        steps.push_back(good(187.5, StepKind::Refine));
        move = nextMove(steps, {}, plan);
        QVERIFY(!move.done);
        QCOMPARE(move.rateRps, 206.25);
        QVERIFY(move.fromIdle);

        steps.push_back(slow(206.25, StepKind::Refine));
        move = nextMove(steps, {}, plan);
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::LatencyKnee);
        QCOMPARE(move.capacityRps, 187.5);
        QCOMPARE(move.capacityStep, std::optional<std::size_t>(3));
        QCOMPARE(move.kneeStep, std::optional<std::size_t>(4));
    }

    void theCapacityIsTheHighestRateThatPassed()
    {
        // Refinements pass and fail alternately: the bracket closes on 162.5 .. 175.
        const std::vector<KneeStep> steps{good(100), slow(200), good(150, StepKind::Refine),
                                          slow(175, StepKind::Refine), good(162.5, StepKind::Refine)};
        const KneeMove move = nextMove(steps, {}, geometric(100, 5000, 3));
        QVERIFY(move.done);
        QCOMPARE(move.capacityRps, 162.5);
        QCOMPARE(move.capacityStep, std::optional<std::size_t>(4));
        QCOMPARE(move.kneeStep, std::optional<std::size_t>(3));
        QCOMPARE(move.stoppedBecause, KneeReason::LatencyKnee);
    }

    void theKneeStepNamesWhyTheSearchStopped()
    {
        const RatePlan plan = geometric(100, 5000, 0);
        KneeMove move = nextMove({good(100), good(150), behind(225, 180)}, {}, plan);
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::RateNotFollowed);
        QCOMPARE(move.capacityRps, 150.0);

        move = nextMove({good(100), failing(150, 0.2)}, {}, plan);
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::Errors);
        QCOMPARE(move.capacityRps, 100.0);
        QCOMPARE(move.kneeStep, std::optional<std::size_t>(1));
    }

    void withoutRefinementsTheLastGoodRiseIsTheCapacity()
    {
        const KneeMove move =
            nextMove({good(100), good(150), good(225), slow(337.5)}, {}, geometric(100, 5000, 0));
        QVERIFY(move.done);
        QCOMPARE(move.capacityRps, 225.0);
        QCOMPARE(move.capacityStep, std::optional<std::size_t>(2));
    }

    void aFailedFirstStepEndsWithoutCapacityOrBisection()
    {
        const KneeMove move = nextMove({slow(100)}, {}, geometric(100, 5000, 3));
        QVERIFY(move.done);
        QCOMPARE(move.stoppedBecause, KneeReason::LatencyKnee);
        QVERIFY(!move.capacityStep);
        QCOMPARE(move.capacityRps, 0.0);
        QCOMPARE(move.kneeStep, std::optional<std::size_t>(0));
    }

    void theBracketIgnoresTheVerdictsStoredInTheSteps()
    {
        // judgeStep decides with the bounds given, not with what a step carries.
        KneeStep marked = good(200);
        marked.verdict = KneeReason::LatencyKnee;
        const KneeBracket bracket = bracketOf({good(100), marked}, {});
        QCOMPARE(bracket.best, std::optional<std::size_t>(1));
        QVERIFY(!bracket.lowestFailed);
        KneeBounds strict;
        strict.p99Ms = 9;
        const KneeBracket none = bracketOf({good(100), marked}, strict);
        QVERIFY(!none.best);
        QCOMPARE(none.lowestFailed, std::optional<std::size_t>(0));
    }
};

QTEST_APPLESS_MAIN(TestKneeRule)
#include "test_knee_rule.moc"
