// WakeSlot: two wakers race, exactly one wins each slot and its waiter resumes once.
#include "AsyncTestSupport.h"

#include "engine/async/WakeSlot.h"

#include <QTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;

namespace {

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

} // namespace

class TestWakeSlot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wakeSlotDecidesExactlyOnce();
};

void TestWakeSlot::wakeSlotDecidesExactlyOnce()
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

QTEST_GUILESS_MAIN(TestWakeSlot)
#include "test_wake_slot.moc"
