// EpollEventDispatcher as the event loop of a real QThread: timers (order, repeat, kill from
// the handler), socket notifiers, direct fd handlers, posted events, cross-thread wake-ups,
// and QCoro coroutines resumed by it.
#include "engine/net/EpollEventDispatcher.h"

#include <QCoroTimer>
#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

using perflab::net::EpollEventDispatcher;

namespace {
// Runs `body` on a fresh thread whose event loop is an EpollEventDispatcher and returns when
// the thread's loop exits (the body must arrange for QThread::currentThread()->quit()).
void runOnEpollThread(std::function<void()> body)
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    QObject context;
    context.moveToThread(&thread);
    thread.start();
    QMetaObject::invokeMethod(&context, std::move(body), Qt::QueuedConnection);
    QVERIFY(thread.wait(10000));
}

class DirectReader final : public perflab::net::FdHandler
{
public:
    void onFdReady(uint32_t events) override
    {
        this->events |= events;
        ++calls;
    }
    uint32_t events = 0;
    int calls = 0;
};
} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isInstalledOnTheThread()
    {
        bool isEpoll = false;
        runOnEpollThread([&] {
            isEpoll = EpollEventDispatcher::forCurrentThread() != nullptr;
            QThread::currentThread()->quit();
        });
        QVERIFY(isEpoll);
        QVERIFY(!EpollEventDispatcher::forCurrentThread()); // the test thread keeps Qt's
    }

    void timersFireInDeadlineOrder()
    {
        QList<int> order;
        runOnEpollThread([&] {
            QTimer::singleShot(60, [&] {
                order.append(60);
                QThread::currentThread()->quit();
            });
            QTimer::singleShot(20, [&] { order.append(20); });
            QTimer::singleShot(0, [&] { order.append(0); });
            QTimer::singleShot(40, Qt::PreciseTimer, [&] { order.append(40); });
        });
        QCOMPARE(order, (QList<int>{0, 20, 40, 60}));
    }

    void repeatingTimerAndKillFromItsHandler()
    {
        int ticks = 0;
        qint64 elapsed = 0;
        runOnEpollThread([&] {
            auto *timer = new QTimer;
            auto *clock = new QElapsedTimer;
            clock->start();
            QObject::connect(timer, &QTimer::timeout, [&, timer, clock] {
                if (++ticks == 5) {
                    timer->stop();
                    elapsed = clock->elapsed();
                    delete clock;
                    timer->deleteLater();
                    QTimer::singleShot(50, [] { QThread::currentThread()->quit(); });
                }
            });
            timer->start(10);
        });
        QCOMPARE(ticks, 5); // stopped: no sixth tick in the 50 ms after
        QVERIFY2(elapsed >= 45, qPrintable(QString::number(elapsed)));
    }

    void remainingTimeCountsDown()
    {
        int remaining = -2;
        runOnEpollThread([&] {
            auto *timer = new QTimer;
            timer->start(500);
            QTimer::singleShot(100, [&, timer] {
                remaining = timer->remainingTime();
                delete timer;
                QThread::currentThread()->quit();
            });
        });
        QVERIFY2(remaining > 300 && remaining <= 400, qPrintable(QString::number(remaining)));
    }

    void socketNotifierSeesData()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
        QByteArray received;
        runOnEpollThread([&] {
            auto *notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read);
            QObject::connect(notifier, &QSocketNotifier::activated, [&, notifier] {
                char buffer[64];
                ssize_t n = ::read(fds[0], buffer, sizeof buffer);
                received.append(buffer, n);
                if (received.size() >= 5) {
                    delete notifier;
                    QThread::currentThread()->quit();
                }
            });
            QTimer::singleShot(10, [&] { [[maybe_unused]] auto w = ::write(fds[1], "hello", 5); });
        });
        QCOMPARE(received, QByteArray("hello"));
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void directHandlerGetsEventsUntilUnwatched()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
        DirectReader reader;
        int callsAfterUnwatch = -1;
        runOnEpollThread([&] {
            auto *dispatcher = EpollEventDispatcher::forCurrentThread();
            dispatcher->watchFd(fds[0], &reader, true, false);
            [[maybe_unused]] auto w = ::write(fds[1], "x", 1);
            QTimer::singleShot(50, [&, dispatcher] {
                dispatcher->unwatchFd(fds[0]); // data still unread: level-triggered would repeat
                const int calls = reader.calls;
                QTimer::singleShot(50, [&, calls] {
                    callsAfterUnwatch = reader.calls - calls;
                    QThread::currentThread()->quit();
                });
            });
        });
        QVERIFY(reader.events & EPOLLIN);
        QVERIFY(reader.calls >= 1);
        QCOMPARE(callsAfterUnwatch, 0);
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void crossThreadPostWakesTheLoop()
    {
        QThread thread;
        thread.setEventDispatcher(new EpollEventDispatcher);
        QObject context;
        context.moveToThread(&thread);
        thread.start();
        std::atomic<bool> ran{false};
        QElapsedTimer clock;
        clock.start();
        QTest::qWait(50); // the loop is asleep in epoll_wait with no timers
        QMetaObject::invokeMethod(
            &context, [&] { ran = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 2000);
        thread.quit();
        QVERIFY(thread.wait(2000));
    }

    void coroutinesResumeOnIt()
    {
        bool done = false;
        runOnEpollThread([&] {
            [](bool &flag) -> QCoro::Task<> {
                co_await QCoro::sleepFor(std::chrono::milliseconds(20));
                co_await QCoro::sleepFor(std::chrono::milliseconds(20));
                flag = true;
                QThread::currentThread()->quit();
            }(done);
        });
        QVERIFY(done);
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcher)
#include "test_epoll_dispatcher.moc"
