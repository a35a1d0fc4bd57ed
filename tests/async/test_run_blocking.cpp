// runBlocking: values, exceptions, work off the calling thread and resumption at home, a bounded pool.
#include "AsyncTestSupport.h"
#include "WorkerThread.h"

#include "engine/async/Gather.h"
#include "engine/async/RunBlocking.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;
using perflab::test::WorkerThread;

namespace {

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

} // namespace

class TestRunBlocking : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runBlockingReturnsValue();
    void runBlockingRethrows();
    void runBlockingRunsOffThreadAndResumesAtHome_data();
    void runBlockingRunsOffThreadAndResumesAtHome();
    void runBlockingPoolIsBounded();
};

void TestRunBlocking::runBlockingReturnsValue()
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

void TestRunBlocking::runBlockingRethrows()
{
    auto outcome = run(runBlocking([]() -> int { throw std::runtime_error("disk on fire"); }));
    QVERIFY(outcome.finished);
    QVERIFY(!outcome.value);
    QCOMPARE(outcome.errorMessage(), QStringLiteral("disk on fire"));
}

void TestRunBlocking::runBlockingRunsOffThreadAndResumesAtHome_data()
{
    QTest::addColumn<bool>("callerOnWorker");
    QTest::newRow("called from main") << false;
    QTest::newRow("called from a worker thread") << true;
}

void TestRunBlocking::runBlockingRunsOffThreadAndResumesAtHome()
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

void TestRunBlocking::runBlockingPoolIsBounded()
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

QTEST_GUILESS_MAIN(TestRunBlocking)
#include "test_run_blocking.moc"
