// withTimeout: nullopt and a stop request at the deadline, the value when fast, errors before the deadline,
// void work.
#include "AsyncTestSupport.h"

#include "engine/async/WithTimeout.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <memory>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;

namespace {

// What a piece of work under withTimeout saw.
struct WorkProbe
{
    bool finished = false;
    bool cancelled = false;     // its sleep ended with Cancelled
    bool stopRequested = false; // its token, when it finished
};

} // namespace

class TestWithTimeout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withTimeoutReturnsNulloptAndStopsWork_data();
    void withTimeoutReturnsNulloptAndStopsWork();
    void withTimeoutReturnsValueWhenFast_data();
    void withTimeoutReturnsValueWhenFast();
    void withTimeoutPropagatesErrorBeforeDeadline();
    void withTimeoutVoidWork();
};

void TestWithTimeout::withTimeoutReturnsNulloptAndStopsWork_data()
{
    QTest::addColumn<bool>("cooperative");
    QTest::newRow("work that watches its token") << true;
    QTest::newRow("work that ignores its token") << false;
}

void TestWithTimeout::withTimeoutReturnsNulloptAndStopsWork()
{
    QFETCH(bool, cooperative);
    auto probe = std::make_shared<WorkProbe>();
    // A lambda coroutine with captures: withTimeout must keep it alive after giving up on it.
    auto work = [probe, cooperative](std::stop_token stop) -> QCoro::Task<int> {
        // Named, not inline: GCC 12 destroys a ?: temporary in a co_await expression twice.
        const std::stop_token sleepToken = cooperative ? stop : std::stop_token();
        try {
            co_await sleep(300ms, sleepToken);
        } catch (const Cancelled &) {
            probe->cancelled = true;
        }
        probe->stopRequested = stop.stop_requested();
        probe->finished = true;
        co_return 7;
    };

    QElapsedTimer clock;
    clock.start();
    auto outcome = run(withTimeout(std::move(work), 50ms));
    const qint64 elapsed = clock.elapsed();

    QVERIFY(outcome.finished);
    QVERIFY(!outcome.error);
    QVERIFY(outcome.value);
    QCOMPARE(*outcome.value, std::optional<int>());
    QVERIFY2(elapsed >= 40 && elapsed < 250, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
    // The caller moved on without waiting for the work. (Work that watches its token may
    // resume in the same event loop pass, so only the oblivious one is checked here.)
    if (!cooperative)
        QVERIFY(!probe->finished);
    QTRY_VERIFY(probe->finished);
    QVERIFY(probe->stopRequested);
    QCOMPARE(probe->cancelled, cooperative);
}

void TestWithTimeout::withTimeoutReturnsValueWhenFast_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::newRow("finishes without suspending") << -1;
    QTest::newRow("finishes after 10 ms") << 10;
}

void TestWithTimeout::withTimeoutReturnsValueWhenFast()
{
    QFETCH(int, delayMs);
    auto probe = std::make_shared<WorkProbe>();
    std::function<QCoro::Task<int>(std::stop_token)> work =
        [probe, delayMs](std::stop_token stop) -> QCoro::Task<int> {
        if (delayMs >= 0)
            co_await sleep(std::chrono::milliseconds(delayMs), stop);
        probe->stopRequested = stop.stop_requested();
        probe->finished = true;
        co_return 42;
    };
    QElapsedTimer clock;
    clock.start();
    auto outcome = run(withTimeout(work, 1s));
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.error);
    QCOMPARE(outcome.value, std::optional<std::optional<int>>(42));
    QVERIFY(clock.elapsed() < 500);
    QVERIFY(probe->finished);
    QVERIFY(!probe->stopRequested);
    QCOMPARE(outcome.resumedOn, QThread::currentThread());
}

void TestWithTimeout::withTimeoutPropagatesErrorBeforeDeadline()
{
    auto outcome = run(withTimeout([](std::stop_token) { return failAfter("early failure", 10ms); }, 1s));
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.errorMessage(), QStringLiteral("early failure"));

    // Failing after the deadline is nobody's business any more.
    auto late = run(withTimeout([](std::stop_token) { return failAfter("late failure", 100ms); }, 10ms));
    QVERIFY(late.finished);
    QVERIFY(!late.error);
    QCOMPARE(late.value, std::optional<std::optional<int>>(std::optional<int>()));
}

void TestWithTimeout::withTimeoutVoidWork()
{
    auto fast = run(withTimeout([](std::stop_token stop) { return sleep(10ms, stop); }, 1s));
    QVERIFY(fast.finished);
    QCOMPARE(fast.value, std::optional<bool>(true));

    auto slow = run(withTimeout([](std::stop_token stop) { return sleep(1s, stop); }, 20ms));
    QVERIFY(slow.finished);
    QCOMPARE(slow.value, std::optional<bool>(false));

    auto failing = run(withTimeout([](std::stop_token) { return failVoidAfter("void failure", 5ms); }, 1s));
    QVERIFY(failing.finished);
    QCOMPARE(failing.errorMessage(), QStringLiteral("void failure"));
}

QTEST_GUILESS_MAIN(TestWithTimeout)
#include "test_with_timeout.moc"
