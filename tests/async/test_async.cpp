// Tests for engine/async: gather, gatherSettled, withTimeout, sleep, Semaphore, BoundedQueue,
// runBlocking and the thread-affine resumption they all share.
#include "engine/async/BoundedQueue.h"
#include "engine/async/Cancellation.h"
#include "engine/async/Gather.h"
#include "engine/async/GatherSettled.h"
#include "engine/async/RunBlocking.h"
#include "engine/async/Semaphore.h"
#include "engine/async/Sleep.h"
#include "engine/async/ThreadExecutor.h"
#include "engine/async/WakeSlot.h"
#include "engine/async/WithTimeout.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <future>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using namespace perflab::async;

namespace {

// --- Running coroutines from a test -------------------------------------------------------

// QCOMPARE returns from the enclosing function, which a coroutine cannot do: coroutines
// under test record what happened here, and the test function checks it afterwards.
template <typename T> struct Outcome
{
    bool finished = false;
    std::optional<ValueOf<T>> value;
    std::exception_ptr error;
    QThread *resumedOn = nullptr;

    QString errorMessage() const
    {
        if (!error)
            return {};
        return Settled<int>::failure(error).errorMessage();
    }
    bool cancelled() const
    {
        try {
            if (error)
                std::rethrow_exception(error);
        } catch (const Cancelled &) {
            return true;
        } catch (...) {
        }
        return false;
    }
};

template <typename T>
QCoro::Task<> capture(QCoro::Task<T> task, std::shared_ptr<Outcome<T>> outcome,
                      std::shared_ptr<QEventLoop> loop)
{
    try {
        if constexpr (std::is_void_v<T>) {
            co_await task;
            outcome->value.emplace();
        } else {
            outcome->value.emplace(co_await task);
        }
    } catch (...) {
        outcome->error = std::current_exception();
    }
    outcome->resumedOn = QThread::currentThread();
    outcome->finished = true;
    loop->quit();
}

// Runs `task` on this thread's event loop until it finishes or `limit` passes.
template <typename T> Outcome<T> run(QCoro::Task<T> task, std::chrono::milliseconds limit = 10s)
{
    auto outcome = std::make_shared<Outcome<T>>();
    auto loop = std::make_shared<QEventLoop>();
    capture(std::move(task), outcome, loop);
    if (!outcome->finished) {
        QTimer::singleShot(limit, loop.get(), &QEventLoop::quit);
        loop->exec();
    }
    return std::move(*outcome);
}

// A thread with its own event loop, to own coroutines that must resume on it.
class WorkerThread
{
public:
    WorkerThread()
    {
        m_thread.start();
        m_context->moveToThread(&m_thread);
    }
    ~WorkerThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    QThread *thread() { return &m_thread; }
    template <typename F> void post(F function)
    {
        QMetaObject::invokeMethod(m_context.get(), std::move(function), Qt::QueuedConnection);
    }

private:
    QThread m_thread;
    std::unique_ptr<QObject> m_context = std::make_unique<QObject>();
};

// --- Coroutines under test ----------------------------------------------------------------

QCoro::Task<int> valueAfter(int value, std::chrono::milliseconds delay)
{
    co_await sleep(delay);
    co_return value;
}

QCoro::Task<QString> textAfter(QString text, std::chrono::milliseconds delay)
{
    co_await sleep(delay);
    co_return text;
}

QCoro::Task<int> failAfter(const char *message, std::chrono::milliseconds delay)
{
    co_await sleep(delay);
    throw std::runtime_error(message);
}

QCoro::Task<int> flagAfter(std::shared_ptr<bool> finished, std::chrono::milliseconds delay)
{
    co_await sleep(delay);
    *finished = true;
    co_return 1;
}

QCoro::Task<> failVoidAfter(const char *message, std::chrono::milliseconds delay)
{
    co_await sleep(delay);
    throw std::runtime_error(message);
}

// What a piece of work under withTimeout saw.
struct WorkProbe
{
    bool finished = false;
    bool cancelled = false;     // its sleep ended with Cancelled
    bool stopRequested = false; // its token, when it finished
};

struct WaiterLog
{
    std::vector<int> order; // ids of granted waiters, in grant order
    int granted = 0;
    int refused = 0;
    int wrongThread = 0;
    QThread *resumedOn = nullptr;
    // Last write of each waiter: the other fields may be read once it has been seen.
    std::atomic<int> finished{0};
};

// Acquires, logs, and optionally gives the permit back at once (to let the next one in).
QCoro::Task<> acquireAndLog(Semaphore &semaphore, int id, std::shared_ptr<WaiterLog> log,
                            std::chrono::milliseconds timeout = forever, std::stop_token stop = {},
                            bool releaseAfter = false)
{
    QThread *const home = QThread::currentThread();
    const bool granted = co_await semaphore.acquire(timeout, std::move(stop));
    log->resumedOn = QThread::currentThread();
    if (log->resumedOn != home)
        ++log->wrongThread;
    if (granted) {
        ++log->granted;
        log->order.push_back(id);
    } else {
        ++log->refused;
    }
    ++log->finished;
    if (granted && releaseAfter)
        semaphore.release();
}

struct SlotWaiters
{
    std::vector<int> valueSeen;
    int resumptions = 0;
};

QCoro::Task<> awaitSlot(std::shared_ptr<detail::WakeSlot<int>> slot, int index,
                        std::shared_ptr<SlotWaiters> waiters)
{
    waiters->valueSeen[index] = co_await slot->wait();
    ++waiters->resumptions;
}

struct BlockingThreads
{
    std::atomic<QThread *> caller{nullptr};
    std::atomic<QThread *> ranOn{nullptr};
    std::atomic<QThread *> resumedOn{nullptr};
};

QCoro::Task<> callBlocking(std::shared_ptr<BlockingThreads> threads)
{
    threads->caller = QThread::currentThread();
    // Named, not inline: see the GCC 12 note in RunBlocking.h.
    auto job = [threads] {
        threads->ranOn = QThread::currentThread();
        std::this_thread::sleep_for(20ms); // the caller is resumed by a post, not inline
    };
    co_await runBlocking(std::move(job));
    threads->resumedOn = QThread::currentThread();
}

struct PushProbe
{
    bool finished = false;
    bool accepted = false;
};

QCoro::Task<> pushAndLog(BoundedQueue<int> &queue, int item, std::shared_ptr<PushProbe> probe,
                         std::chrono::milliseconds timeout = forever)
{
    probe->accepted = co_await queue.push(item, timeout);
    probe->finished = true;
}

struct PopProbe
{
    bool finished = false;
    std::optional<int> item;
};

QCoro::Task<> popAndLog(BoundedQueue<int> &queue, std::shared_ptr<PopProbe> probe)
{
    probe->item = co_await queue.pop();
    probe->finished = true;
}

// For the cross-thread queue test: many producers on worker threads, consumers on main.
struct Traffic
{
    std::atomic<int> producersDone{0};
    std::atomic<int> wrongThread{0};
    std::atomic<int> refusedPushes{0};
    // Consumer side, main thread only.
    int consumersDone = 0;
    long long sum = 0;
    int received = 0;
    // Per consumer and producer: items from one producer reach one consumer in order.
    // (Across consumers there is no order: a consumer that finds an item at once runs
    // before one whose hand-over resumption is still queued.)
    std::vector<std::vector<int>> lastSeen = std::vector<std::vector<int>>(2, std::vector<int>(8, -1));
    int outOfOrder = 0;
};

QCoro::Task<> produce(BoundedQueue<int> &queue, int producer, int count, std::shared_ptr<Traffic> traffic)
{
    QThread *const home = QThread::currentThread();
    for (int i = 0; i < count; ++i) {
        if (!co_await queue.push(producer * 100000 + i))
            ++traffic->refusedPushes;
        if (QThread::currentThread() != home)
            ++traffic->wrongThread;
    }
    ++traffic->producersDone;
}

QCoro::Task<> consume(BoundedQueue<int> &queue, int consumer, std::shared_ptr<Traffic> traffic)
{
    QThread *const home = QThread::currentThread();
    while (auto item = co_await queue.pop()) {
        if (QThread::currentThread() != home)
            ++traffic->wrongThread;
        const int producer = *item / 100000;
        const int sequence = *item % 100000;
        int &lastSeen = traffic->lastSeen[consumer][producer];
        if (sequence <= lastSeen)
            ++traffic->outOfOrder;
        lastSeen = sequence;
        traffic->sum += *item;
        ++traffic->received;
    }
    ++traffic->consumersDone;
}

} // namespace

class TestAsync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gatherReturnsInOrderAndRunsConcurrently_data();
    void gatherReturnsInOrderAndRunsConcurrently();
    void gatherMixesTypes();
    void gatherVectorOfVoid();
    void gatherFirstErrorWinsByCompletionTime_data();
    void gatherFirstErrorWinsByCompletionTime();
    void gatherSettledKeepsValuesAndErrors();
    void gatherSettledTupleReportsCancelled();

    void withTimeoutReturnsNulloptAndStopsWork_data();
    void withTimeoutReturnsNulloptAndStopsWork();
    void withTimeoutReturnsValueWhenFast_data();
    void withTimeoutReturnsValueWhenFast();
    void withTimeoutPropagatesErrorBeforeDeadline();
    void withTimeoutVoidWork();

    void sleepCancelledEarly_data();
    void sleepCancelledEarly();

    void semaphoreIsFifo();
    void semaphoreHandsOverWithoutBarging();
    void semaphoreAcquireFails_data();
    void semaphoreAcquireFails();
    void semaphoreSetLimit();
    void semaphorePermitReleasesOnDestruction();
    void semaphoreCrossThread_data();
    void semaphoreCrossThread();
    void semaphoreResumesExactlyOnceUnderRaces();

    void queuePushWaitsWhenFull();
    void queuePopTimesOut();
    void queueCloseWakesEverybody();
    void queueRendezvousWithZeroCapacity();
    void queueCarriesMoveOnlyItems();
    void queueManyProducersAndConsumersAcrossThreads();

    void runBlockingReturnsValue();
    void runBlockingRethrows();
    void runBlockingRunsOffThreadAndResumesAtHome_data();
    void runBlockingRunsOffThreadAndResumesAtHome();
    void runBlockingPoolIsBounded();

    void executorRefusesExitedThread();
    void wakeSlotDecidesExactlyOnce();
};

// --- gather -------------------------------------------------------------------------------

void TestAsync::gatherReturnsInOrderAndRunsConcurrently_data()
{
    QTest::addColumn<bool>("vectorForm");
    QTest::addColumn<int>("firstMs");
    QTest::addColumn<int>("secondMs");
    QTest::addColumn<int>("thirdMs");
    QTest::newRow("tuple, equal delays") << false << 100 << 100 << 100;
    QTest::newRow("tuple, finishing in reverse order") << false << 120 << 100 << 80;
    QTest::newRow("vector, equal delays") << true << 100 << 100 << 100;
    QTest::newRow("vector, finishing in reverse order") << true << 120 << 100 << 80;
}

void TestAsync::gatherReturnsInOrderAndRunsConcurrently()
{
    QFETCH(bool, vectorForm);
    QFETCH(int, firstMs);
    QFETCH(int, secondMs);
    QFETCH(int, thirdMs);

    QElapsedTimer clock;
    clock.start();
    std::vector<int> values;
    if (vectorForm) {
        std::vector<QCoro::Task<int>> tasks;
        tasks.push_back(valueAfter(1, std::chrono::milliseconds(firstMs)));
        tasks.push_back(valueAfter(2, std::chrono::milliseconds(secondMs)));
        tasks.push_back(valueAfter(3, std::chrono::milliseconds(thirdMs)));
        auto outcome = run(gather(std::move(tasks)));
        QVERIFY(outcome.finished);
        QVERIFY(outcome.value);
        values = *outcome.value;
    } else {
        auto outcome = run(gather(valueAfter(1, std::chrono::milliseconds(firstMs)),
                                  valueAfter(2, std::chrono::milliseconds(secondMs)),
                                  valueAfter(3, std::chrono::milliseconds(thirdMs))));
        QVERIFY(outcome.finished);
        QVERIFY(outcome.value);
        const auto [a, b, c] = *outcome.value;
        values = {a, b, c};
    }
    const qint64 elapsed = clock.elapsed();

    QCOMPARE(values, (std::vector<int>{1, 2, 3}));
    // One after another would take >= 300 ms; together, about the longest delay.
    QVERIFY2(elapsed >= 70, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
    QVERIFY2(elapsed < 250, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
}

void TestAsync::gatherMixesTypes()
{
    auto outcome = run(gather(valueAfter(7, 30ms), textAfter(QStringLiteral("seven"), 10ms), sleep(20ms)));
    static_assert(
        std::is_same_v<decltype(outcome.value)::value_type, std::tuple<int, QString, std::monostate>>);
    QVERIFY(outcome.finished);
    QVERIFY(outcome.value);
    QCOMPARE(std::get<0>(*outcome.value), 7);
    QCOMPARE(std::get<1>(*outcome.value), QStringLiteral("seven"));
    QCOMPARE(outcome.resumedOn, QThread::currentThread());

    auto empty = run(gather());
    QVERIFY(empty.finished);
}

void TestAsync::gatherVectorOfVoid()
{
    std::vector<QCoro::Task<>> tasks;
    tasks.push_back(sleep(40ms));
    tasks.push_back(sleep(10ms));
    QElapsedTimer clock;
    clock.start();
    auto outcome = run(gather(std::move(tasks)));
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.error);
    QVERIFY(clock.elapsed() >= 30); // waited for the slower one

    std::vector<QCoro::Task<>> failing;
    failing.push_back(sleep(500ms));
    failing.push_back(failVoidAfter("void failure", 10ms));
    auto failed = run(gather(std::move(failing)));
    QVERIFY(failed.finished);
    QCOMPARE(failed.errorMessage(), QStringLiteral("void failure"));

    auto none = run(gather(std::vector<QCoro::Task<int>>{}));
    QVERIFY(none.finished);
    QVERIFY(none.value && none.value->empty());
}

void TestAsync::gatherFirstErrorWinsByCompletionTime_data()
{
    QTest::addColumn<bool>("vectorForm");
    QTest::newRow("tuple") << false;
    QTest::newRow("vector") << true;
}

void TestAsync::gatherFirstErrorWinsByCompletionTime()
{
    QFETCH(bool, vectorForm);
    auto slowSuccessFinished = std::make_shared<bool>(false);

    QElapsedTimer clock;
    clock.start();
    // Positions and completion order disagree: the error in last position finishes first.
    Outcome<int> outcome;
    if (vectorForm) {
        std::vector<QCoro::Task<int>> tasks;
        tasks.push_back(flagAfter(slowSuccessFinished, 300ms));
        tasks.push_back(failAfter("slow error", 150ms));
        tasks.push_back(failAfter("fast error", 30ms));
        auto result = run(gather(std::move(tasks)));
        outcome.finished = result.finished;
        outcome.error = result.error;
        QVERIFY(!result.value);
    } else {
        auto result = run(gather(flagAfter(slowSuccessFinished, 300ms), failAfter("slow error", 150ms),
                                 failAfter("fast error", 30ms)));
        outcome.finished = result.finished;
        outcome.error = result.error;
        QVERIFY(!result.value);
    }
    const qint64 elapsed = clock.elapsed();

    QVERIFY(outcome.finished);
    QCOMPARE(outcome.errorMessage(), QStringLiteral("fast error"));
    QVERIFY2(elapsed < 140, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
    QVERIFY(!*slowSuccessFinished);
    // As in asyncio, the other tasks were not cancelled: they run on, detached.
    QTRY_VERIFY(*slowSuccessFinished);
}

void TestAsync::gatherSettledKeepsValuesAndErrors()
{
    std::vector<QCoro::Task<int>> tasks;
    tasks.push_back(valueAfter(1, 60ms));
    tasks.push_back(failAfter("boom", 10ms));
    tasks.push_back(valueAfter(3, 30ms));
    QElapsedTimer clock;
    clock.start();
    auto outcome = run(gatherSettled(std::move(tasks)));
    QVERIFY(clock.elapsed() >= 50); // an error does not end it early
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.error);
    QVERIFY(outcome.value);
    const auto &settled = *outcome.value;
    QCOMPARE(settled.size(), std::size_t(3));

    QVERIFY(settled[0].ok());
    QCOMPARE(settled[0].value(), 1);
    QVERIFY(!settled[0].error());

    QVERIFY(!settled[1].ok());
    QVERIFY(settled[1].error());
    QCOMPARE(settled[1].errorMessage(), QStringLiteral("boom"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, settled[1].value());

    QVERIFY(settled[2].ok());
    QCOMPARE(settled[2].value(), 3);
}

void TestAsync::gatherSettledTupleReportsCancelled()
{
    std::stop_source stop;
    QTimer::singleShot(20ms, [&stop] { stop.request_stop(); });
    auto outcome = run(gatherSettled(textAfter(QStringLiteral("kept"), 40ms), sleep(5s, stop.get_token()),
                                     failAfter("lost", 5ms)));
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.error);
    QVERIFY(outcome.value);
    auto &[text, slept, failed] = *outcome.value;
    QCOMPARE(text.value(), QStringLiteral("kept"));
    QVERIFY(!slept.ok());
    QVERIFY_THROWS_EXCEPTION(Cancelled, slept.value());
    QCOMPARE(failed.errorMessage(), QStringLiteral("lost"));
}

// --- withTimeout --------------------------------------------------------------------------

void TestAsync::withTimeoutReturnsNulloptAndStopsWork_data()
{
    QTest::addColumn<bool>("cooperative");
    QTest::newRow("work that watches its token") << true;
    QTest::newRow("work that ignores its token") << false;
}

void TestAsync::withTimeoutReturnsNulloptAndStopsWork()
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

void TestAsync::withTimeoutReturnsValueWhenFast_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::newRow("finishes without suspending") << -1;
    QTest::newRow("finishes after 10 ms") << 10;
}

void TestAsync::withTimeoutReturnsValueWhenFast()
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

void TestAsync::withTimeoutPropagatesErrorBeforeDeadline()
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

void TestAsync::withTimeoutVoidWork()
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

// --- sleep --------------------------------------------------------------------------------

void TestAsync::sleepCancelledEarly_data()
{
    QTest::addColumn<QString>("requester");
    QTest::newRow("stop from this thread") << QStringLiteral("this thread");
    QTest::newRow("stop from another thread") << QStringLiteral("other thread");
    QTest::newRow("stop requested before sleeping") << QStringLiteral("before");
}

void TestAsync::sleepCancelledEarly()
{
    QFETCH(QString, requester);
    std::stop_source stop;
    std::thread other;
    if (requester == QStringLiteral("this thread")) {
        QTimer::singleShot(50ms, [&stop] { stop.request_stop(); });
    } else if (requester == QStringLiteral("other thread")) {
        other = std::thread([&stop] {
            std::this_thread::sleep_for(50ms);
            stop.request_stop();
        });
    } else {
        stop.request_stop();
    }

    QElapsedTimer clock;
    clock.start();
    auto outcome = run(sleep(5s, stop.get_token()));
    const qint64 elapsed = clock.elapsed();
    if (other.joinable())
        other.join();

    QVERIFY(outcome.finished);
    QVERIFY(outcome.cancelled());
    QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
    QCOMPARE(outcome.resumedOn, QThread::currentThread());
}

// --- Semaphore ----------------------------------------------------------------------------

void TestAsync::semaphoreIsFifo()
{
    Semaphore semaphore(1);
    QVERIFY(semaphore.tryAcquire());
    auto log = std::make_shared<WaiterLog>();
    for (int id = 1; id <= 5; ++id)
        acquireAndLog(semaphore, id, log, forever, {}, /*releaseAfter=*/true);
    QCOMPARE(semaphore.waiting(), 5);
    QCOMPARE(semaphore.available(), 0);

    semaphore.release();
    QTRY_COMPARE(log->finished.load(), 5);
    QCOMPARE(log->order, (std::vector<int>{1, 2, 3, 4, 5}));
    QCOMPARE(semaphore.available(), 1);
    QCOMPARE(semaphore.waiting(), 0);
}

void TestAsync::semaphoreHandsOverWithoutBarging()
{
    Semaphore semaphore(1);
    QVERIFY(semaphore.tryAcquire());
    auto log = std::make_shared<WaiterLog>();
    acquireAndLog(semaphore, 1, log);
    semaphore.release();
    // The permit went to the waiter before it even resumed: nobody can take it over.
    QCOMPARE(semaphore.inUse(), 1);
    QVERIFY(!semaphore.tryAcquire());
    QCOMPARE(log->finished.load(), 0);
    QTRY_COMPARE(log->granted, 1);
    semaphore.release();
    QVERIFY(semaphore.tryAcquire());
    semaphore.release();
}

void TestAsync::semaphoreAcquireFails_data()
{
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("stopFrom");
    QTest::newRow("timeout") << 50 << QString();
    QTest::newRow("zero timeout, permit busy") << 0 << QString();
    QTest::newRow("stop from this thread") << -1 << QStringLiteral("this thread");
    QTest::newRow("stop from another thread") << -1 << QStringLiteral("other thread");
    QTest::newRow("stop before acquiring") << -1 << QStringLiteral("before");
}

void TestAsync::semaphoreAcquireFails()
{
    QFETCH(int, timeoutMs);
    QFETCH(QString, stopFrom);
    Semaphore semaphore(1);
    QVERIFY(semaphore.tryAcquire());

    std::stop_source stop;
    std::thread other;
    if (stopFrom == QStringLiteral("this thread")) {
        QTimer::singleShot(30ms, [&stop] { stop.request_stop(); });
    } else if (stopFrom == QStringLiteral("other thread")) {
        other = std::thread([&stop] {
            std::this_thread::sleep_for(30ms);
            stop.request_stop();
        });
    } else if (stopFrom == QStringLiteral("before")) {
        stop.request_stop();
    }
    const auto timeout = timeoutMs < 0 ? forever : std::chrono::milliseconds(timeoutMs);

    QElapsedTimer clock;
    clock.start();
    auto outcome = run(semaphore.acquire(timeout, stop.get_token()));
    if (other.joinable())
        other.join();
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.value, std::optional<bool>(false));
    QVERIFY(clock.elapsed() < 1000);
    QCOMPARE(semaphore.waiting(), 0);
    QCOMPARE(semaphore.inUse(), 1);

    // The failed waiter did not keep a claim on the permit.
    semaphore.release();
    QCOMPARE(semaphore.available(), 1);
    QVERIFY(semaphore.tryAcquire());
}

void TestAsync::semaphoreSetLimit()
{
    Semaphore semaphore(1);
    QVERIFY(semaphore.tryAcquire());
    auto log = std::make_shared<WaiterLog>();
    for (int id = 1; id <= 3; ++id)
        acquireAndLog(semaphore, id, log);
    QCOMPARE(semaphore.waiting(), 3);

    // Raising wakes as many waiters as the new permits allow, in order.
    semaphore.setLimit(3);
    QTRY_COMPARE(log->granted, 2);
    QCOMPARE(log->order, (std::vector<int>{1, 2}));
    QCOMPARE(semaphore.waiting(), 1);
    semaphore.setLimit(4);
    QTRY_COMPARE(log->granted, 3);
    QCOMPARE(semaphore.inUse(), 4);

    // Lowering revokes nothing; it takes effect as permits come back.
    semaphore.setLimit(1);
    QCOMPARE(semaphore.limit(), 1);
    QCOMPARE(semaphore.available(), 0);
    acquireAndLog(semaphore, 4, log);
    semaphore.release();
    semaphore.release();
    semaphore.release();
    QTest::qWait(50);
    QCOMPARE(log->granted, 3); // 1 in use == limit 1: still full
    QCOMPARE(semaphore.waiting(), 1);
    semaphore.release();
    QTRY_COMPARE(log->granted, 4);
    QCOMPARE(semaphore.inUse(), 1);
    semaphore.release();
}

void TestAsync::semaphorePermitReleasesOnDestruction()
{
    Semaphore semaphore(1);
    {
        auto permit = run(semaphore.acquirePermit());
        QVERIFY(permit.value && *permit.value);
        QCOMPARE(semaphore.available(), 0);
        auto second = run(semaphore.acquirePermit(10ms));
        QVERIFY(second.value && !*second.value);
        SemaphorePermit moved = std::move(*permit.value);
        QCOMPARE(semaphore.available(), 0);
    }
    QCOMPARE(semaphore.available(), 1);

    // Waiters still queued when the semaphore goes away are told no.
    auto log = std::make_shared<WaiterLog>();
    {
        Semaphore doomed(0);
        acquireAndLog(doomed, 1, log);
        QCOMPARE(doomed.waiting(), 1);
    }
    QTRY_COMPARE(log->finished.load(), 1);
    QCOMPARE(log->refused, 1);
}

void TestAsync::semaphoreCrossThread_data()
{
    QTest::addColumn<bool>("waiterOnWorker");
    QTest::newRow("waiter on a worker thread, release from main") << true;
    QTest::newRow("waiter on main, release from a plain thread") << false;
}

void TestAsync::semaphoreCrossThread()
{
    QFETCH(bool, waiterOnWorker);
    Semaphore semaphore(1);
    QVERIFY(semaphore.tryAcquire());
    auto log = std::make_shared<WaiterLog>();
    WorkerThread worker;

    if (waiterOnWorker) {
        worker.post([&semaphore, log] { acquireAndLog(semaphore, 1, log); });
        QTRY_COMPARE(semaphore.waiting(), 1);
        semaphore.release();
        QTRY_COMPARE(semaphore.waiting(), 0);
        QTRY_COMPARE(log->finished.load(), 1); // written on the worker; read after it settled
        QCOMPARE(log->resumedOn, worker.thread());
    } else {
        acquireAndLog(semaphore, 1, log);
        QCOMPARE(semaphore.waiting(), 1);
        std::thread releaser([&semaphore] { semaphore.release(); });
        releaser.join();
        QTRY_COMPARE(log->finished.load(), 1);
        QCOMPARE(log->resumedOn, QThread::currentThread());
    }
    QCOMPARE(log->granted, 1);
    QCOMPARE(log->wrongThread, 0);
}

void TestAsync::semaphoreResumesExactlyOnceUnderRaces()
{
    // Grants (setLimit from another thread), timeouts (own thread) and stop requests (another
    // thread) race for the same waiters. Each waiter must end exactly once, on its thread, and
    // the semaphore's count must match the grants.
    constexpr int waiters = 400;
    Semaphore semaphore(0);
    auto log = std::make_shared<WaiterLog>();
    std::vector<std::stop_source> stops(waiters);
    for (int id = 0; id < waiters; ++id) {
        const auto timeout = id % 3 == 0 ? forever : std::chrono::milliseconds(id % 7);
        acquireAndLog(semaphore, id, log, timeout, stops[id].get_token());
    }
    std::thread racer([&semaphore, &stops] {
        for (int k = 1; k <= waiters / 2; ++k) {
            semaphore.setLimit(k);
            stops[(k * 7) % waiters].request_stop();
            std::this_thread::sleep_for(20us);
        }
        for (auto &stop : stops) // nobody waits forever
            stop.request_stop();
    });
    QTRY_COMPARE(log->finished.load(), waiters);
    racer.join();
    QTest::qWait(50); // a second resumption would show up here
    QCOMPARE(log->finished.load(), waiters);
    QCOMPARE(log->granted + log->refused, waiters);
    QVERIFY(log->granted > 0);
    QCOMPARE(semaphore.inUse(), log->granted);
    QCOMPARE(semaphore.waiting(), 0);
    QCOMPARE(log->wrongThread, 0);
}

// --- BoundedQueue -------------------------------------------------------------------------

void TestAsync::queuePushWaitsWhenFull()
{
    BoundedQueue<int> queue(2);
    QCOMPARE(queue.capacity(), std::size_t(2));
    QVERIFY(queue.tryPush(1));
    QVERIFY(queue.tryPush(2));
    QVERIFY(!queue.tryPush(99));
    QCOMPARE(queue.size(), std::size_t(2));

    auto pushed = std::make_shared<PushProbe>();
    pushAndLog(queue, 3, pushed);
    QTest::qWait(50);
    QVERIFY(!pushed->finished);
    QCOMPARE(queue.size(), std::size_t(2));

    QCOMPARE(run(queue.pop()).value, std::optional<std::optional<int>>(1));
    QTRY_VERIFY(pushed->finished);
    QVERIFY(pushed->accepted);
    QCOMPARE(queue.size(), std::size_t(2));
    QCOMPARE(queue.tryPop(), std::optional<int>(2));
    QCOMPARE(queue.tryPop(), std::optional<int>(3));
    QCOMPARE(queue.tryPop(), std::optional<int>());

    // A push that times out leaves no trace.
    QVERIFY(queue.tryPush(4));
    QVERIFY(queue.tryPush(5));
    QCOMPARE(run(queue.push(6, 20ms)).value, std::optional<bool>(false));
    QCOMPARE(queue.size(), std::size_t(2));
    QCOMPARE(queue.tryPop(), std::optional<int>(4));
    QCOMPARE(queue.tryPop(), std::optional<int>(5));
    QCOMPARE(queue.tryPop(), std::optional<int>());
}

void TestAsync::queuePopTimesOut()
{
    BoundedQueue<int> queue(4);
    QElapsedTimer clock;
    clock.start();
    auto outcome = run(queue.pop(50ms));
    const qint64 elapsed = clock.elapsed();
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.value, std::optional<std::optional<int>>(std::optional<int>()));
    QVERIFY2(elapsed >= 40 && elapsed < 1000, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
    // The timed-out consumer is gone: a new item stays in the queue.
    QVERIFY(queue.tryPush(1));
    QCOMPARE(queue.size(), std::size_t(1));
}

void TestAsync::queueCloseWakesEverybody()
{
    BoundedQueue<int> empty(1);
    auto firstPop = std::make_shared<PopProbe>();
    auto secondPop = std::make_shared<PopProbe>();
    popAndLog(empty, firstPop);
    popAndLog(empty, secondPop);

    BoundedQueue<int> full(1);
    QVERIFY(full.tryPush(1));
    auto blockedPush = std::make_shared<PushProbe>();
    pushAndLog(full, 2, blockedPush);

    QTest::qWait(20);
    QVERIFY(!firstPop->finished && !secondPop->finished && !blockedPush->finished);
    empty.close();
    full.close();
    QTRY_VERIFY(firstPop->finished && secondPop->finished && blockedPush->finished);
    QCOMPARE(firstPop->item, std::optional<int>());
    QCOMPARE(secondPop->item, std::optional<int>());
    QVERIFY(!blockedPush->accepted);

    QVERIFY(full.isClosed());
    QVERIFY(!full.tryPush(3));
    QCOMPARE(run(full.push(3)).value, std::optional<bool>(false));
    // What was queued before close() is still delivered, then the end of the stream.
    QCOMPARE(run(full.pop()).value, std::optional<std::optional<int>>(1));
    QCOMPARE(run(full.pop()).value, std::optional<std::optional<int>>(std::optional<int>()));
}

void TestAsync::queueRendezvousWithZeroCapacity()
{
    BoundedQueue<int> channel(0);
    QVERIFY(!channel.tryPush(1)); // nobody waiting to take it
    auto pushed = std::make_shared<PushProbe>();
    pushAndLog(channel, 2, pushed);
    QTest::qWait(20);
    QVERIFY(!pushed->finished);
    QCOMPARE(channel.tryPop(), std::optional<int>(2));
    QTRY_VERIFY(pushed->finished && pushed->accepted);

    auto popped = std::make_shared<PopProbe>();
    popAndLog(channel, popped);
    QVERIFY(channel.tryPush(3));
    QTRY_VERIFY(popped->finished);
    QCOMPARE(popped->item, std::optional<int>(3));
}

void TestAsync::queueCarriesMoveOnlyItems()
{
    BoundedQueue<std::unique_ptr<int>> queue(1);
    QVERIFY(queue.tryPush(std::make_unique<int>(1)));
    auto pushed = run(queue.push(std::make_unique<int>(2), 0ms)); // full: refused at once
    QCOMPARE(pushed.value, std::optional<bool>(false));
    auto popped = run(queue.pop());
    QVERIFY(popped.value && *popped.value && **popped.value);
    QCOMPARE(***popped.value, 1);
}

void TestAsync::queueManyProducersAndConsumersAcrossThreads()
{
    constexpr int producers = 3;
    constexpr int perProducer = 300;
    BoundedQueue<int> queue(4);
    auto traffic = std::make_shared<Traffic>();
    consume(queue, 0, traffic);
    consume(queue, 1, traffic);
    {
        std::vector<std::unique_ptr<WorkerThread>> workers;
        for (int p = 0; p < producers; ++p) {
            workers.push_back(std::make_unique<WorkerThread>());
            workers.back()->post([&queue, p, traffic] { produce(queue, p, perProducer, traffic); });
        }
        QTRY_COMPARE(traffic->producersDone.load(), producers);
    }
    queue.close();
    QTRY_COMPARE(traffic->consumersDone, 2);

    long long expectedSum = 0;
    for (int p = 0; p < producers; ++p)
        for (int i = 0; i < perProducer; ++i)
            expectedSum += p * 100000 + i;
    QCOMPARE(traffic->received, producers * perProducer);
    QCOMPARE(traffic->sum, expectedSum);
    QCOMPARE(traffic->outOfOrder, 0);
    QCOMPARE(traffic->refusedPushes.load(), 0);
    QCOMPARE(traffic->wrongThread.load(), 0);
}

// --- runBlocking --------------------------------------------------------------------------

void TestAsync::runBlockingReturnsValue()
{
    // Move-only callables are fine.
    auto outcome = run(runBlocking([owned = std::make_unique<int>(41)] { return *owned + 1; }));
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.value, std::optional<int>(42));

    auto done = std::make_shared<std::atomic<bool>>(false);
    auto voidOutcome = run(runBlocking([done] { done->store(true); }));
    QVERIFY(voidOutcome.finished);
    QVERIFY(!voidOutcome.error);
    QVERIFY(done->load());
}

void TestAsync::runBlockingRethrows()
{
    auto outcome = run(runBlocking([]() -> int { throw std::runtime_error("disk on fire"); }));
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.value);
    QCOMPARE(outcome.errorMessage(), QStringLiteral("disk on fire"));
}

void TestAsync::runBlockingRunsOffThreadAndResumesAtHome_data()
{
    QTest::addColumn<bool>("callerOnWorker");
    QTest::newRow("called from main") << false;
    QTest::newRow("called from a worker thread") << true;
}

void TestAsync::runBlockingRunsOffThreadAndResumesAtHome()
{
    QFETCH(bool, callerOnWorker);
    auto threads = std::make_shared<BlockingThreads>();
    WorkerThread worker;
    if (callerOnWorker)
        worker.post([threads] { callBlocking(threads); });
    else
        callBlocking(threads);
    QTRY_VERIFY(threads->resumedOn.load() != nullptr);
    QCOMPARE(threads->caller.load(), callerOnWorker ? worker.thread() : QThread::currentThread());
    QCOMPARE(threads->resumedOn.load(), threads->caller.load());
    QVERIFY(threads->ranOn.load() != threads->caller.load());
    QVERIFY(threads->ranOn.load() != QThread::currentThread());
}

void TestAsync::runBlockingPoolIsBounded()
{
    QCOMPARE(blockingPool().maxThreadCount(), 40);
    auto started = std::make_shared<std::atomic<int>>(0);
    auto gate = std::make_shared<QSemaphore>(0);
    std::vector<QCoro::Task<int>> jobs;
    for (int i = 0; i < 41; ++i) {
        jobs.push_back(runBlocking([started, gate, i] {
            started->fetch_add(1);
            gate->acquire();
            return i;
        }));
    }
    auto all = gather(std::move(jobs));

    QTRY_COMPARE(started->load(), 40);
    QTest::qWait(100);
    QCOMPARE(started->load(), 40); // the 41st waits for a free thread
    gate->release(1);
    QTRY_COMPARE(started->load(), 41);
    gate->release(40);

    auto outcome = run(std::move(all));
    QVERIFY(outcome.finished);
    QVERIFY(outcome.value);
    std::vector<int> expected(41);
    std::iota(expected.begin(), expected.end(), 0);
    QCOMPARE(*outcome.value, expected);
}

// --- ThreadExecutor -----------------------------------------------------------------------

void TestAsync::executorRefusesExitedThread()
{
    std::shared_ptr<detail::ThreadExecutor> executor;
    auto ran = std::make_shared<std::atomic<int>>(0);
    {
        WorkerThread worker;
        std::promise<std::shared_ptr<detail::ThreadExecutor>> workerExecutor;
        worker.post([&workerExecutor] { workerExecutor.set_value(detail::ThreadExecutor::current()); });
        executor = workerExecutor.get_future().get();
        QVERIFY(executor != nullptr);
        QVERIFY(!executor->isCurrent());
        QVERIFY(executor->post([ran] { ran->fetch_add(1); }));
        QTRY_COMPARE(ran->load(), 1);
    }
    // The thread is gone: posting is refused rather than resuming somewhere else.
    QTRY_VERIFY(!executor->post([ran] { ran->fetch_add(100); }));
    QTest::qWait(20);
    QVERIFY(ran->load() < 100);
}

void TestAsync::wakeSlotDecidesExactlyOnce()
{
    // Two threads race to wake every slot, as a release() and a stop request would: for
    // each slot exactly one wins, and its waiter resumes once, with the winner's value.
    constexpr int slots = 2000;
    std::vector<std::shared_ptr<detail::WakeSlot<int>>> wakeSlots;
    auto waiters = std::make_shared<SlotWaiters>();
    waiters->valueSeen.assign(slots, 0);
    for (int i = 0; i < slots; ++i) {
        wakeSlots.push_back(std::make_shared<detail::WakeSlot<int>>());
        awaitSlot(wakeSlots.back(), i, waiters);
    }
    std::vector<int> winner(slots, 0);
    std::atomic<int> wins{0};
    auto race = [&](int id) {
        for (int i = 0; i < slots; ++i) {
            if (wakeSlots[i]->wake(id)) {
                winner[i] = id;
                ++wins;
            }
        }
    };
    std::thread first(race, 1);
    std::thread second(race, 2);
    first.join();
    second.join();
    QCOMPARE(wins.load(), slots);
    QTRY_COMPARE(waiters->resumptions, slots);
    QTest::qWait(20);
    QCOMPARE(waiters->resumptions, slots);
    QCOMPARE(waiters->valueSeen, winner);
}

QTEST_GUILESS_MAIN(TestAsync)
#include "test_async.moc"
