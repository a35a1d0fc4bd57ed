// `perflab knee`'s flags (app/KneeArguments.cpp, compiled into this test): the defaults, every
// flag reaching its field of the search, and each bad input refused with one line that names
// the flag and what was expected (the command exits 2 with it).
#include "KneeArguments.h"

#include <QTest>

using namespace perflab;

Q_DECLARE_METATYPE(QStringList)

namespace {

QString errorOf(const QStringList &args)
{
    auto parsed = app::parseKneeOptions(args);
    if (auto *error = std::get_if<app::UsageError>(&parsed))
        return error->message;
    return {};
}

} // namespace

class TestKneeArguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        auto parsed = app::parseKneeOptions({QStringLiteral("http://127.0.0.1:8000/limited")});
        QVERIFY2(std::holds_alternative<app::KneeCommandOptions>(parsed), qPrintable(errorOf({})));
        const app::KneeCommandOptions options = std::get<app::KneeCommandOptions>(parsed);
        QCOMPARE(options.target, QStringLiteral("http://127.0.0.1:8000/limited"));
        QVERIFY(options.targetIsUrl());
        QCOMPARE(options.search.plan.startRps, 100.0);
        QCOMPARE(options.search.plan.maxRps, 100000.0);
        QCOMPARE(options.search.plan.factor, 1.5);
        QCOMPARE(options.search.plan.stepRps, 0.0);
        QCOMPARE(options.search.plan.refinements, 3);
        QCOMPARE(options.search.stepS, 5.0);
        QCOMPARE(options.search.warmupS, 1.0);
        QCOMPARE(options.search.bounds.p99Ms, 100.0);
        QCOMPARE(options.search.bounds.minFollowShare, 0.95);
        QCOMPARE(options.search.bounds.maxErrorShare, 0.01);
        QCOMPARE(options.search.connections, 64);
        QCOMPARE(options.search.threads, 1);
        QCOMPARE(options.outDir, QStringLiteral("perflab-knee"));
        QVERIFY(!options.json);
    }

    void everyFlagReachesItsField()
    {
        auto parsed = app::parseKneeOptions({QStringLiteral("limited.json"),
                                             QStringLiteral("--start-rate"),
                                             QStringLiteral("50"),
                                             QStringLiteral("--max-rate"),
                                             QStringLiteral("2000"),
                                             QStringLiteral("--step-rate"),
                                             QStringLiteral("125"),
                                             QStringLiteral("--refine"),
                                             QStringLiteral("0"),
                                             QStringLiteral("--step-s"),
                                             QStringLiteral("2.5"),
                                             QStringLiteral("--warmup-s"),
                                             QStringLiteral("0.5"),
                                             QStringLiteral("--p99-ms"),
                                             QStringLiteral("40"),
                                             QStringLiteral("--follow-share"),
                                             QStringLiteral("0.9"),
                                             QStringLiteral("--error-share"),
                                             QStringLiteral("0"),
                                             QStringLiteral("-c"),
                                             QStringLiteral("16"),
                                             QStringLiteral("--threads"),
                                             QStringLiteral("2"),
                                             QStringLiteral("--timeout"),
                                             QStringLiteral("2s"),
                                             QStringLiteral("--json"),
                                             QStringLiteral("--out"),
                                             QStringLiteral("/tmp/k"),
                                             QStringLiteral("--data-dir"),
                                             QStringLiteral("/tmp/d")});
        QVERIFY(std::holds_alternative<app::KneeCommandOptions>(parsed));
        const app::KneeCommandOptions options = std::get<app::KneeCommandOptions>(parsed);
        QCOMPARE(options.target, QStringLiteral("limited.json"));
        QVERIFY(!options.targetIsUrl());
        QCOMPARE(options.search.plan.startRps, 50.0);
        QCOMPARE(options.search.plan.maxRps, 2000.0);
        QCOMPARE(options.search.plan.stepRps, 125.0);
        QCOMPARE(options.search.plan.refinements, 0);
        QCOMPARE(options.search.stepS, 2.5);
        QCOMPARE(options.search.warmupS, 0.5);
        QCOMPARE(options.search.bounds.p99Ms, 40.0);
        QCOMPARE(options.search.bounds.minFollowShare, 0.9);
        QCOMPARE(options.search.bounds.maxErrorShare, 0.0);
        QCOMPARE(options.search.connections, 16);
        QCOMPARE(options.search.threads, 2);
        QCOMPARE(options.search.timeout.count(), qint64(2000));
        QVERIFY(options.json);
        QCOMPARE(options.outDir, QStringLiteral("/tmp/k"));
        QCOMPARE(options.dataDir, QStringLiteral("/tmp/d"));

        parsed = app::parseKneeOptions(
            {QStringLiteral("http://h:1/"), QStringLiteral("--factor"), QStringLiteral("2")});
        QVERIFY(std::holds_alternative<app::KneeCommandOptions>(parsed));
        QCOMPARE(std::get<app::KneeCommandOptions>(parsed).search.plan.factor, 2.0);
    }

    void aSweepTakesItsLargestConcurrencyFromC()
    {
        auto parsed =
            app::parseKneeOptions({QStringLiteral("limited.json"), QStringLiteral("--concurrency-sweep"),
                                   QStringLiteral("-c"), QStringLiteral("32")});
        QVERIFY(std::holds_alternative<app::KneeCommandOptions>(parsed));
        const app::KneeCommandOptions options = std::get<app::KneeCommandOptions>(parsed);
        QVERIFY(options.search.concurrencySweep);
        QCOMPARE(options.search.connections, 32);
        QVERIFY(!std::get<app::KneeCommandOptions>(app::parseKneeOptions({QStringLiteral("x.json")}))
                     .search.concurrencySweep);
    }

    void badInputIsOneLineNamingTheFlag_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString url = QStringLiteral("http://127.0.0.1:8000/hello");
        QTest::newRow("p99 not a number")
            << QStringList{url, QStringLiteral("--p99-ms"), QStringLiteral("fast")}
            << QStringLiteral("knee: --p99-ms expects a latency bound in ms > 0 (e.g. 100), got 'fast'");
        QTest::newRow("p99 zero")
            << QStringList{url, QStringLiteral("--p99-ms"), QStringLiteral("0")}
            << QStringLiteral("knee: --p99-ms expects a latency bound in ms > 0 (e.g. 100), got '0'");
        QTest::newRow("p99 missing")
            << QStringList{url, QStringLiteral("--p99-ms")}
            << QStringLiteral("knee: --p99-ms expects a latency bound in ms > 0 (e.g. 100), got ''");
        QTest::newRow("max below start")
            << QStringList{url, QStringLiteral("--start-rate"), QStringLiteral("100"),
                           QStringLiteral("--max-rate"), QStringLiteral("50")}
            << QStringLiteral(
                   "knee: --max-rate 50 is below --start-rate 100: the steps rise from one to the other");
        QTest::newRow("start rate negative")
            << QStringList{url, QStringLiteral("--start-rate"), QStringLiteral("-5")}
            << QStringLiteral("knee: --start-rate expects a rate in requests/s > 0, got '-5'");
        QTest::newRow("factor one")
            << QStringList{url, QStringLiteral("--factor"), QStringLiteral("1")}
            << QStringLiteral(
                   "knee: --factor expects a factor > 1 and <= 10 between one step's rate and the next, got '1'");
        QTest::newRow("factor and step")
            << QStringList{url, QStringLiteral("--factor"), QStringLiteral("2"),
                           QStringLiteral("--step-rate"), QStringLiteral("100")}
            << QStringLiteral("knee: --factor and --step-rate are two ways to rise: give one of them");
        QTest::newRow("warm-up as long as the step")
            << QStringList{url, QStringLiteral("--step-s"), QStringLiteral("2"), QStringLiteral("--warmup-s"),
                           QStringLiteral("2")}
            << QStringLiteral(
                   "knee: --warmup-s 2 leaves nothing of --step-s 2 to measure: it must be shorter");
        QTest::newRow("follow share over one")
            << QStringList{url, QStringLiteral("--follow-share"), QStringLiteral("1.5")}
            << QStringLiteral(
                   "knee: --follow-share expects a share > 0 and <= 1 of the offered rate (e.g. 0.95), got '1.5'");
        QTest::newRow("error share negative")
            << QStringList{url, QStringLiteral("--error-share"), QStringLiteral("-0.1")}
            << QStringLiteral(
                   "knee: --error-share expects a share of errors from 0 to 1 (e.g. 0.01), got '-0.1'");
        QTest::newRow("no connections")
            << QStringList{url, QStringLiteral("-c"), QStringLiteral("0")}
            << QStringLiteral("knee: -c expects a number of connections 1..100000, got '0'");
        QTest::newRow("refine not a number")
            << QStringList{url, QStringLiteral("--refine"), QStringLiteral("two")}
            << QStringLiteral("knee: --refine expects a number of bisection steps 0..20, got 'two'");
        QTest::newRow("zero timeout")
            << QStringList{url, QStringLiteral("--timeout"), QStringLiteral("0s")}
            << QStringLiteral("knee: --timeout expects a duration such as 2s or 500ms, got '0s'");
        QTest::newRow("no target")
            << QStringList{QStringLiteral("--json")}
            << QStringLiteral(
                   "knee: expects a URL (e.g. http://127.0.0.1:8000/hello) or a scenario file or built-in id");
        QTest::newRow("two targets")
            << QStringList{url, QStringLiteral("other.json")}
            << QStringLiteral("knee: unexpected argument 'other.json' (one URL or scenario only)");
        QTest::newRow("rate flag in a sweep")
            << QStringList{url, QStringLiteral("--concurrency-sweep"), QStringLiteral("--p99-ms"),
                           QStringLiteral("50")}
            << QStringLiteral(
                   "knee: --p99-ms belongs to the rate search, not to --concurrency-sweep (a closed loop: -c "
                   "sets its largest concurrency)");
        QTest::newRow("sweep too small")
            << QStringList{url, QStringLiteral("--concurrency-sweep"), QStringLiteral("-c"),
                           QStringLiteral("2")}
            << QStringLiteral("knee: --concurrency-sweep needs -c 4 or more (its largest concurrency; "
                              "the fit needs three), got 2");
        QTest::newRow("unknown flag") << QStringList{url, QStringLiteral("--rate"), QStringLiteral("5")}
                                      << QStringLiteral("knee: unknown argument '--rate'");
    }

    void badInputIsOneLineNamingTheFlag()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QCOMPARE(errorOf(args), expected);
        QVERIFY(!expected.contains(QLatin1Char('\n')));
    }

    void aUrlThatIsNotHttpIsRefused()
    {
        const QString error = errorOf({QStringLiteral("https://127.0.0.1:8443/hello")});
        QVERIFY2(error.startsWith(QStringLiteral("knee: URL 'https://127.0.0.1:8443/hello': ")),
                 qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }
};

QTEST_APPLESS_MAIN(TestKneeArguments)
#include "test_knee_arguments.moc"
