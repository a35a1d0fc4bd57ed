// The generator's verdict on itself (load/GeneratorTrust.h) on hand-made figures: each rule at
// both sides of its bound, the bound of the send lag from the floor and from a thread's send
// interval, the closed loop's single rule, what a shortfall is put down to (a starved thread,
// or busy connections: a note, not a verdict), the phase arithmetic of GeneratorStats, and the
// keys of the `trust` object.
#include "engine/load/GeneratorTrust.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/report/TrustReport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace perflab;

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

QStringList names(std::initializer_list<const char *> latin1)
{
    QStringList list;
    for (const char *name : latin1)
        list << QLatin1String(name);
    return list;
}

// One second of an open loop at `rate` on `threads` client threads that sent `sent` requests,
// each `lagUs` late, the threads on a CPU 10 % of the time and waiting for one 2 %.
load::GeneratorStats openLoop(double rate, std::uint64_t sent, std::int64_t lagUs = 50, int threads = 1)
{
    load::GeneratorStats stats;
    stats.elapsedNs = kSecondNs;
    stats.asked = rate;
    stats.sent = sent;
    stats.sendLag.record(lagUs, sent);
    stats.threads.assign(std::size_t(threads), {kSecondNs / 10, kSecondNs / 50});
    stats.cpuKnown = true;
    stats.runWaitKnown = true;
    stats.connectionsOpen = 8;
    return stats;
}

load::GeneratorStats closedLoop(double cpuShare, double runWaitShare)
{
    load::GeneratorStats stats;
    stats.elapsedNs = kSecondNs;
    stats.sent = 50'000;
    stats.threads = {{std::int64_t(cpuShare * kSecondNs), std::int64_t(runWaitShare * kSecondNs)}};
    stats.cpuKnown = true;
    stats.runWaitKnown = true;
    return stats;
}

} // namespace

class TestGeneratorTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aGeneratorThatKeepsUpIsOk()
    {
        const load::GeneratorTrust trust = load::assessGenerator(openLoop(1000, 1000));
        QVERIFY(trust.openLoop);
        QVERIFY2(!trust.generatorLimited, qPrintable(trust.reasons.join(u';')));
        QVERIFY(trust.reasons.isEmpty());
        QCOMPARE(trust.askedPerS, 1000.0);
        QCOMPARE(trust.achievedPerS, 1000.0);
        QCOMPARE(trust.achievedShare, 1.0);
        QCOMPARE(trust.sendLagCount, std::uint64_t(1000));
        QCOMPARE(trust.sendLagP99Ms, 0.05);
        QCOMPARE(trust.threads.size(), std::size_t(1));
        QCOMPARE(trust.threads[0].cpu, 0.1);
        QCOMPARE(trust.threads[0].runWait, 0.02);
        QCOMPARE(load::trustVerdictWord(trust), QStringLiteral("ok"));
        QVERIFY(load::trustVerdictText(trust).startsWith(QStringLiteral("ok: ")));
    }

    void aShortfallCountsBeyondFivePercentAndOneRequestPerThread_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("sent");
        QTest::addColumn<bool>("limited");
        // 1000 asked: 5 % is 50, plus one request per thread at the window's edges.
        QTest::newRow("1 thread, 949 sent") << 1 << 949 << false;
        QTest::newRow("1 thread, 948 sent") << 1 << 948 << true;
        QTest::newRow("2 threads, 948 sent") << 2 << 948 << false;
        QTest::newRow("2 threads, 947 sent") << 2 << 947 << true;
        QTest::newRow("1 thread, half sent") << 1 << 500 << true;
    }

    void aShortfallCountsBeyondFivePercentAndOneRequestPerThread()
    {
        QFETCH(int, threads);
        QFETCH(int, sent);
        QFETCH(bool, limited);
        // Threads whose CPU could not be read cannot clear themselves: the shortfall counts.
        load::GeneratorStats stats = openLoop(1000, std::uint64_t(sent), 50, threads);
        stats.cpuKnown = false;
        stats.runWaitKnown = false;
        const load::GeneratorTrust trust = load::assessGenerator(stats);
        QCOMPARE(trust.generatorLimited, limited);
        if (limited) {
            QCOMPARE(trust.reasons.size(), 1);
            QVERIFY2(
                trust.reasons[0].startsWith(QStringLiteral("sent %1.0 of the 1000.0 req/s asked").arg(sent)),
                qPrintable(trust.reasons[0]));
            QVERIFY2(trust.reasons[0].contains(QStringLiteral("could not be read")),
                     qPrintable(trust.reasons[0]));
        }
    }

    void aShortfallOfBusyConnectionsIsANoteNotAVerdict()
    {
        // Threads with time to spare and sends on time whenever a connection was free: the
        // connections, busy with a slow server, held the rest back.
        const load::GeneratorTrust trust = load::assessGenerator(openLoop(1000, 500));
        QVERIFY2(!trust.generatorLimited, qPrintable(trust.reasons.join(u';')));
        QCOMPARE(trust.notes.size(), 1);
        QVERIFY2(trust.notes[0].startsWith(
                     QStringLiteral("sent 500.0 of the 1000.0 req/s asked (50 %): every connection "
                                    "was busy with the server")),
                 qPrintable(trust.notes[0]));
        QVERIFY(load::trustVerdictText(trust).startsWith(
            QStringLiteral("ok: the generator kept up, but sent 500.0")));
        QCOMPARE(load::assessGenerator(openLoop(1000, 960)).notes.size(), 0); // within 5 %: nothing to say
    }

    void aShortfallWithAStarvedThreadIsPutDownToTheCpu()
    {
        load::GeneratorStats stats = openLoop(2000, 1500, 20);
        stats.threads = {{kSecondNs / 50, kSecondNs * 7 / 10}}; // on a CPU 2 %, waiting for one 70 %
        const load::GeneratorTrust trust = load::assessGenerator(stats);
        QVERIFY(trust.generatorLimited);
        QCOMPARE(trust.reasons.size(), 1); // 72 % busy: under the busy rule's 90 %
        QVERIFY2(
            trust.reasons[0].contains(QStringLiteral("client thread 0 waited for a CPU 70 % of the time")),
            qPrintable(trust.reasons[0]));
        QVERIFY(!trust.reasons[0].contains(QStringLiteral("connection")));
    }

    void theSendLagBoundIsTheSendIntervalButNeverUnderTheFloor_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("threads");
        QTest::addColumn<double>("boundMs");
        QTest::newRow("1000/s, 1 thread: 1 ms interval, the floor") << 1000.0 << 1 << 10.0;
        QTest::newRow("20/s, 1 thread: 50 ms interval") << 20.0 << 1 << 50.0;
        QTest::newRow("40/s, 2 threads: 50 ms per thread") << 40.0 << 2 << 50.0;
        QTest::newRow("200/s, 2 threads: the floor") << 200.0 << 2 << 10.0;
    }

    void theSendLagBoundIsTheSendIntervalButNeverUnderTheFloor()
    {
        QFETCH(double, rate);
        QFETCH(int, threads);
        QFETCH(double, boundMs);
        const auto sent = std::uint64_t(rate);
        const auto boundUs = std::int64_t(boundMs * 1000);
        // Just under the bound: kept.
        const load::GeneratorTrust under =
            load::assessGenerator(openLoop(rate, sent, boundUs * 8 / 10, threads));
        QCOMPARE(under.sendLagBoundMs, boundMs);
        QVERIFY2(!under.generatorLimited, qPrintable(under.reasons.join(u';')));
        // Above it: late.
        const load::GeneratorTrust over =
            load::assessGenerator(openLoop(rate, sent, boundUs * 12 / 10, threads));
        QVERIFY(over.generatorLimited);
        QCOMPARE(over.reasons.size(), 1);
        QVERIFY2(over.reasons[0].startsWith(QStringLiteral("send lag p99 ")), qPrintable(over.reasons[0]));
        QVERIFY2(over.reasons[0].endsWith(QStringLiteral("> bound %1 ms").arg(boundMs, 0, 'f', 2)),
                 qPrintable(over.reasons[0]));
    }

    void fewerThanThreeLateSendsMakeNoPercentile()
    {
        // 100 sends; the p99 is late as soon as two are, but two are no pattern.
        load::GeneratorStats two = openLoop(100, 100, 50);
        two.sendLag.reset();
        two.sendLag.record(50, 98);
        two.sendLag.record(40'000, 2);
        QVERIFY(load::assessGenerator(two).sendLagP99Ms > 10);
        QVERIFY(!load::assessGenerator(two).generatorLimited);
        load::GeneratorStats three = two;
        three.sendLag.reset();
        three.sendLag.record(50, 97);
        three.sendLag.record(40'000, 3);
        QVERIFY(load::assessGenerator(three).generatorLimited);
    }

    void aClientThreadWithoutIdleTimeIsSaturated_data()
    {
        QTest::addColumn<double>("cpu");
        QTest::addColumn<double>("runWait");
        QTest::addColumn<bool>("limited");
        QTest::newRow("on a CPU 89 %") << 0.89 << 0.0 << false;
        QTest::newRow("on a CPU 91 %") << 0.91 << 0.0 << true;
        QTest::newRow("50 % + waiting 39 %") << 0.50 << 0.39 << false;
        QTest::newRow("50 % + waiting 41 %, sharing its core") << 0.50 << 0.41 << true;
    }

    void aClientThreadWithoutIdleTimeIsSaturated()
    {
        QFETCH(double, cpu);
        QFETCH(double, runWait);
        QFETCH(bool, limited);
        // The one rule of a closed loop...
        const load::GeneratorTrust closed = load::assessGenerator(closedLoop(cpu, runWait));
        QVERIFY(!closed.openLoop);
        QCOMPARE(closed.generatorLimited, limited);
        // ...and of an open loop that otherwise keeps up.
        load::GeneratorStats open = openLoop(1000, 1000);
        open.threads = closedLoop(cpu, runWait).threads;
        const load::GeneratorTrust trust = load::assessGenerator(open);
        QCOMPARE(trust.generatorLimited, limited);
        if (limited) {
            QCOMPARE(trust.reasons.size(), 1);
            QVERIFY2(
                trust.reasons[0].startsWith(QStringLiteral("client thread 0 was hardly ever idle (on a CPU")),
                qPrintable(trust.reasons[0]));
        }
    }

    void theBusiestOfSeveralThreadsCounts()
    {
        load::GeneratorStats stats = openLoop(1000, 1000, 50, 3);
        stats.threads[2] = {kSecondNs * 95 / 100, 0};
        const load::GeneratorTrust trust = load::assessGenerator(stats);
        QCOMPARE(trust.busiestThread(), 2);
        QVERIFY(trust.generatorLimited);
        QVERIFY2(trust.reasons[0].startsWith(QStringLiteral("client thread 2 ")),
                 qPrintable(trust.reasons[0]));
    }

    void withoutTheRunQueueOnlyTheCpuCounts()
    {
        load::GeneratorStats stats = closedLoop(0.95, 0.0);
        stats.runWaitKnown = false;
        const load::GeneratorTrust trust = load::assessGenerator(stats);
        QVERIFY(trust.generatorLimited);
        QCOMPARE(trust.reasons[0], QStringLiteral("client thread 0 was on a CPU 95 % of the time"));
    }

    void aClosedLoopSaysItHasNoAskedRate()
    {
        const load::GeneratorTrust trust = load::assessGenerator(closedLoop(0.3, 0.05));
        QVERIFY(!trust.openLoop);
        QVERIFY(!trust.generatorLimited);
        QCOMPARE(trust.achievedPerS, 50'000.0);
        QVERIFY2(load::trustVerdictText(trust).contains(QStringLiteral("closed loop: no asked rate")),
                 qPrintable(load::trustVerdictText(trust)));
        QCOMPARE(report::askedText(trust), QStringLiteral("none (closed loop)"));
    }

    void withoutCpuFiguresTheOtherRulesStillHold()
    {
        load::GeneratorStats stats = openLoop(1000, 1000);
        stats.threads.clear();
        stats.cpuKnown = false;
        stats.runWaitKnown = false;
        QVERIFY(!load::assessGenerator(stats).generatorLimited);
        QVERIFY(load::assessGenerator(stats).threads.empty());
        stats.sent = 800;
        QVERIFY(load::assessGenerator(stats).generatorLimited);
    }

    void severalRulesGiveSeveralReasons()
    {
        load::GeneratorStats stats = openLoop(1000, 600, 50'000);
        stats.threads = {{kSecondNs / 2, kSecondNs / 2}};
        const load::GeneratorTrust trust = load::assessGenerator(stats);
        QCOMPARE(trust.reasons.size(), 3);
        QVERIFY(trust.reasons[0].startsWith(QStringLiteral("sent 600.0 of the 1000.0 req/s asked (60 %)")));
        QVERIFY(!trust.reasons[0].contains(QLatin1Char(':'))); // the other two say why
        QVERIFY(trust.reasons[1].startsWith(QStringLiteral("send lag p99")));
        QVERIFY(trust.reasons[2].startsWith(QStringLiteral("client thread 0")));
        QCOMPARE(load::trustVerdictText(trust),
                 QStringLiteral("generator-limited: ") + trust.reasons.join(QStringLiteral("; ")));
    }

    void aPhaseIsTheDifferenceOfTwoSnapshots()
    {
        load::LoadSnapshot earlier;
        earlier.generator = openLoop(1000, 990, 100);
        earlier.generator.connectionsOpen = 3;
        earlier.generator.connectFailures = 2;
        load::LoadSnapshot later;
        later.generator = openLoop(3000, 2980, 100, 2); // a second thread appeared meanwhile
        later.generator.elapsedNs = 3 * kSecondNs;
        later.generator.sendLag.record(20'000, 10);
        later.generator.threads[0].cpuNs = kSecondNs / 2;
        later.generator.connectionsOpen = 7;
        later.generator.connectFailures = 5;
        const load::GeneratorStats phase = load::LoadSnapshot::between(later, earlier).generator;
        QCOMPARE(phase.elapsedNs, 2 * kSecondNs);
        QCOMPARE(phase.asked, 2000.0);
        QCOMPARE(phase.sent, std::uint64_t(1990));
        QCOMPARE(phase.sendLag.totalCount(), std::uint64_t(2980 + 10 - 990));
        QCOMPARE(phase.threads.size(), std::size_t(2));
        QCOMPARE(phase.threads[0].cpuNs, kSecondNs / 2 - kSecondNs / 10);
        QCOMPARE(phase.threads[1].cpuNs, kSecondNs / 10); // all of it within the phase
        QCOMPARE(phase.connectionsOpen, std::int64_t(7)); // a gauge: the later value
        QCOMPARE(phase.connectFailures, std::uint64_t(3));
        const load::GeneratorTrust trust = load::assessGenerator(phase);
        QCOMPARE(trust.askedPerS, 1000.0);
        QCOMPARE(trust.achievedPerS, 995.0);
    }

    void theTrustObjectHasItsKeys()
    {
        const QStringList keys =
            names({"model", "duration_s", "asked", "asked_per_s", "sent", "achieved_per_s", "achieved_share",
                   "send_lag_ms", "send_lag_bound_ms", "client_threads", "connections", "verdict",
                   "generator_limited", "reasons", "notes", "text"});
        const QJsonObject open = report::trustJson(load::assessGenerator(openLoop(1000, 500, 50'000)));
        QCOMPARE(QStringList(open.keys()).size(), keys.size());
        for (const QString &key : keys)
            QVERIFY2(open.contains(key), qPrintable(key));
        QCOMPARE(open.value(QStringLiteral("model")).toString(), QStringLiteral("open"));
        QCOMPARE(open.value(QStringLiteral("verdict")).toString(), QStringLiteral("generator_limited"));
        QCOMPARE(open.value(QStringLiteral("asked_per_s")).toDouble(), 1000.0);
        QCOMPARE(open.value(QStringLiteral("achieved_share")).toDouble(), 0.5);
        QCOMPARE(open.value(QStringLiteral("send_lag_ms")).toObject().keys(),
                 names({"count", "max", "p50", "p99"}));
        const QJsonObject thread = open.value(QStringLiteral("client_threads")).toArray().at(0).toObject();
        QCOMPARE(thread.keys(), names({"busy_share", "cpu_share", "run_wait_share", "thread"}));
        QCOMPARE(open.value(QStringLiteral("connections")).toObject().keys(),
                 names({"connect_failures", "connecting", "open"}));
        QCOMPARE(open.value(QStringLiteral("reasons")).toArray().size(), 2); // short, and late
        QVERIFY(open.value(QStringLiteral("notes")).toArray().isEmpty());
        const QJsonObject noted = report::trustJson(load::assessGenerator(openLoop(1000, 500)));
        QCOMPARE(noted.value(QStringLiteral("verdict")).toString(), QStringLiteral("ok"));
        QCOMPARE(noted.value(QStringLiteral("notes")).toArray().size(), 1);

        const QJsonObject closed = report::trustJson(load::assessGenerator(closedLoop(0.2, 0.0)));
        QCOMPARE(closed.value(QStringLiteral("model")).toString(), QStringLiteral("closed"));
        QCOMPARE(closed.value(QStringLiteral("verdict")).toString(), QStringLiteral("ok"));
        for (const char *key : {"asked", "asked_per_s", "achieved_share", "send_lag_ms", "send_lag_bound_ms"})
            QVERIFY2(closed.value(QLatin1String(key)).isNull(), key);
        QCOMPARE(closed.value(QStringLiteral("achieved_per_s")).toDouble(), 50'000.0);
    }

    void theTextBlockSaysEveryFigure()
    {
        const QStringList lines = report::trustTextLines(load::assessGenerator(openLoop(2000, 2000, 60)));
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines[0], QStringLiteral("generator (open loop)"));
        QCOMPARE(lines[1], QStringLiteral("asked 2000.0 req/s, sent 2000.0 req/s (100.0 %)"));
        QCOMPARE(
            lines[2],
            QStringLiteral(
                "send lag once a connection was free: p50 0.06, p99 0.06, max 0.06 ms (bound 10.00 ms)"));
        QCOMPARE(lines[3], QStringLiteral("client thread CPU: #0 10.0 % (+2.0 % waiting for a CPU)"));
        QCOMPARE(lines[4], QStringLiteral("connections: 8 open, 0 connecting, 0 failed connects"));
        QVERIFY(lines[5].startsWith(QStringLiteral("verdict: ok: ")));
    }
};

QTEST_GUILESS_MAIN(TestGeneratorTrust)
#include "test_generator_trust.moc"
