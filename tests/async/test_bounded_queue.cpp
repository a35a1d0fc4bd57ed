// BoundedQueue: back-pressure, pop timeouts, close, rendezvous at capacity zero, move-only items, producers
// and consumers across threads.
#include "AsyncTestSupport.h"
#include "WorkerThread.h"

#include "engine/async/BoundedQueue.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;
using perflab::test::WorkerThread;

namespace {

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

class TestBoundedQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queuePushWaitsWhenFull();
    void queuePopTimesOut();
    void queueCloseWakesEverybody();
    void queueRendezvousWithZeroCapacity();
    void queueCarriesMoveOnlyItems();
    void queueManyProducersAndConsumersAcrossThreads();
};

void TestBoundedQueue::queuePushWaitsWhenFull()
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

void TestBoundedQueue::queuePopTimesOut()
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

void TestBoundedQueue::queueCloseWakesEverybody()
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

void TestBoundedQueue::queueRendezvousWithZeroCapacity()
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

void TestBoundedQueue::queueCarriesMoveOnlyItems()
{
    BoundedQueue<std::unique_ptr<int>> queue(1);
    QVERIFY(queue.tryPush(std::make_unique<int>(1)));
    auto pushed = run(queue.push(std::make_unique<int>(2), 0ms)); // full: refused at once
    QCOMPARE(pushed.value, std::optional<bool>(false));
    auto popped = run(queue.pop());
    QVERIFY(popped.value && *popped.value && **popped.value);
    QCOMPARE(***popped.value, 1);
}

void TestBoundedQueue::queueManyProducersAndConsumersAcrossThreads()
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

QTEST_GUILESS_MAIN(TestBoundedQueue)
#include "test_bounded_queue.moc"
