// Gather and gatherSettled: results in order, concurrency, the first error by completion time, settled values
// and errors.
#include "AsyncTestSupport.h"

#include "engine/async/Gather.h"
#include "engine/async/GatherSettled.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <stdexcept>

using namespace std::chrono_literals;
using namespace perflab::async;
using namespace perflab::async::testing;

class TestGather : public QObject
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
};

void TestGather::gatherReturnsInOrderAndRunsConcurrently_data()
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

void TestGather::gatherReturnsInOrderAndRunsConcurrently()
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

void TestGather::gatherMixesTypes()
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

void TestGather::gatherVectorOfVoid()
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

void TestGather::gatherFirstErrorWinsByCompletionTime_data()
{
    QTest::addColumn<bool>("vectorForm");
    QTest::newRow("tuple") << false;
    QTest::newRow("vector") << true;
}

void TestGather::gatherFirstErrorWinsByCompletionTime()
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

void TestGather::gatherSettledKeepsValuesAndErrors()
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

void TestGather::gatherSettledTupleReportsCancelled()
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

QTEST_GUILESS_MAIN(TestGather)
#include "test_gather.moc"
