// Semaphore: FIFO hand-over without barging, timeouts and stop requests, setLimit, permits, resumption on the
// acquiring thread, exactly one resumption under races.
#include "AsyncTestSupport.h"
#include "WorkerThread.h"

#include "engine/async/Semaphore.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;
using perflab::test::WorkerThread;

namespace {

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

} // namespace

class TestSemaphore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void semaphoreIsFifo();
    void semaphoreHandsOverWithoutBarging();
    void semaphoreAcquireFails_data();
    void semaphoreAcquireFails();
    void semaphoreSetLimit();
    void semaphorePermitReleasesOnDestruction();
    void semaphoreCrossThread_data();
    void semaphoreCrossThread();
    void semaphoreResumesExactlyOnceUnderRaces();
};

void TestSemaphore::semaphoreIsFifo()
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

void TestSemaphore::semaphoreHandsOverWithoutBarging()
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

void TestSemaphore::semaphoreAcquireFails_data()
{
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("stopFrom");
    QTest::newRow("timeout") << 50 << QString();
    QTest::newRow("zero timeout, permit busy") << 0 << QString();
    QTest::newRow("stop from this thread") << -1 << QStringLiteral("this thread");
    QTest::newRow("stop from another thread") << -1 << QStringLiteral("other thread");
    QTest::newRow("stop before acquiring") << -1 << QStringLiteral("before");
}

void TestSemaphore::semaphoreAcquireFails()
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

void TestSemaphore::semaphoreSetLimit()
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

void TestSemaphore::semaphorePermitReleasesOnDestruction()
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

void TestSemaphore::semaphoreCrossThread_data()
{
    QTest::addColumn<bool>("waiterOnWorker");
    QTest::newRow("waiter on a worker thread, release from main") << true;
    QTest::newRow("waiter on main, release from a plain thread") << false;
}

void TestSemaphore::semaphoreCrossThread()
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

void TestSemaphore::semaphoreResumesExactlyOnceUnderRaces()
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

QTEST_GUILESS_MAIN(TestSemaphore)
#include "test_semaphore.moc"
