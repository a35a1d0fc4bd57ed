// ThreadExecutor: a thread that has exited refuses posts instead of resuming elsewhere.
#include "AsyncTestSupport.h"
#include "WorkerThread.h"

#include "engine/async/ThreadExecutor.h"

#include <QTest>

#include <atomic>
#include <future>
#include <memory>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;
using perflab::test::WorkerThread;

class TestThreadExecutor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void executorRefusesExitedThread();
};

void TestThreadExecutor::executorRefusesExitedThread()
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

QTEST_GUILESS_MAIN(TestThreadExecutor)
#include "test_thread_executor.moc"
