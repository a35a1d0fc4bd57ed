// sleep: cancelled early through its stop token.
#include "AsyncTestSupport.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <thread>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;

class TestSleep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sleepCancelledEarly_data();
    void sleepCancelledEarly();
};

void TestSleep::sleepCancelledEarly_data()
{
    QTest::addColumn<QString>("requester");
    QTest::newRow("stop from this thread") << QStringLiteral("this thread");
    QTest::newRow("stop from another thread") << QStringLiteral("other thread");
    QTest::newRow("stop requested before sleeping") << QStringLiteral("before");
}

void TestSleep::sleepCancelledEarly()
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

QTEST_GUILESS_MAIN(TestSleep)
#include "test_sleep.moc"
