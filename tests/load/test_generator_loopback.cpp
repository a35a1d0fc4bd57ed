// What the load generator measures about itself, on real loopback runs against the embedded
// lab: the asked requests follow the schedule exactly, the sends and the send lag are counted
// once per send, the client thread's CPU is read, the sampler's columns add up to the same
// figures, and everything stops at stop(). Against a lab whose route takes 50 ms on too few
// connections, the shortfall is put down to the busy connections (a note, not the generator's
// fault) and the send lag leaves the wait for them out.
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/load/GeneratorTrust.h"
#include "engine/load/LoadEngine.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace perflab;
using namespace std::chrono_literals;

namespace {

load::LoadModel openAt(double rate, int connections)
{
    load::LoadModel model;
    model.kind = load::LoadModelKind::Open;
    model.rate = rate;
    model.connections = connections;
    return model;
}

load::RequestSpec get(const QString &path)
{
    load::RequestSpec spec;
    spec.path = path;
    return spec;
}

double columnSum(const metrics::Sampler &sampler, const QString &column)
{
    const qsizetype index = sampler.schema().indexOf(column);
    if (index < 0)
        return -1;
    double sum = 0;
    for (const metrics::Sample &sample : sampler.store()->samples())
        sum += sample.value(index);
    return sum;
}

} // namespace

class TestGeneratorLoopback : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<lab::LabServer> m_lab;

    load::HttpTarget target() const
    {
        return std::get<load::HttpTarget>(load::HttpTarget::parse(m_lab->url()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 1;
        config.dataDir = m_dir.path();
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        config.settings.simulation.ioScale = 0.05; // /async: 50 ms
        m_lab = std::make_unique<lab::LabServer>(config);
        QVERIFY(!m_lab->start());
    }
    void cleanupTestCase() { m_lab.reset(); }

    void anOpenLoopMeasuresWhatWasAskedAndSent()
    {
        load::LoadOptions options;
        options.threads = 1;
        load::LoadEngine engine(target(), {get(QStringLiteral("/hello"))}, options);
        QVERIFY(!engine.start(openAt(400, 4)));
        QTest::qWait(300);
        const load::LoadSnapshot atStart = engine.snapshot();
        QTest::qWait(1000);
        engine.sampler().sampleNow();
        const load::LoadSnapshot atEnd = engine.snapshot();
        const load::GeneratorStats window = load::LoadSnapshot::between(atEnd, atStart).generator;

        // Asked is the schedule's arithmetic on the generator's clock: 400/s exactly.
        const double seconds = double(window.elapsedNs) / 1e9;
        QVERIFY2(seconds >= 0.99, qPrintable(QString::number(seconds))); // qWait(1000) lasts at least that
        QVERIFY2(std::abs(window.asked - 400 * seconds) < 0.01,
                 qPrintable(QStringLiteral("%1 asked in %2 s").arg(window.asked).arg(seconds)));
        // Sent: what the thread sent of it (a quiet 400/s on loopback; generous for a busy machine).
        QVERIFY2(double(window.sent) > 0.9 * window.asked && double(window.sent) < window.asked + 2,
                 qPrintable(QStringLiteral("%1 sent of %2").arg(window.sent).arg(window.asked)));
        // One send lag per send (a send may fall between reading the two at either edge).
        QVERIFY2(std::llabs(std::int64_t(window.sendLag.totalCount()) - std::int64_t(window.sent)) <= 2,
                 qPrintable(
                     QStringLiteral("%1 lags, %2 sends").arg(window.sendLag.totalCount()).arg(window.sent)));
        QVERIFY(window.sendLag.valueAtPercentile(50) < 10'000); // µs: a free connection waits for no one
        // The client thread's CPU, read by the engine: some, and less than all of the time.
        QVERIFY(window.cpuKnown);
        QCOMPARE(window.threads.size(), std::size_t(1));
        QVERIFY(window.threads[0].cpuNs > 0);
        QVERIFY(window.threads[0].cpuNs < window.elapsedNs);
        QVERIFY2(atEnd.generator.connectionsOpen >= 1 && atEnd.generator.connectionsOpen <= 4,
                 qPrintable(QString::number(atEnd.generator.connectionsOpen)));
        QCOMPARE(atEnd.generator.connectFailures, std::uint64_t(0));

        // The sampler's columns count the same, interval by interval, since the start.
        metrics::Sampler &sampler = engine.sampler();
        QVERIFY2(std::abs(columnSum(sampler, QStringLiteral("sends_asked")) - atEnd.generator.asked) < 2,
                 qPrintable(QStringLiteral("%1 vs %2")
                                .arg(columnSum(sampler, QStringLiteral("sends_asked")))
                                .arg(atEnd.generator.asked)));
        QVERIFY(std::abs(columnSum(sampler, QStringLiteral("sends")) - double(atEnd.generator.sent)) <= 2);
        QVERIFY(std::abs(columnSum(sampler, QStringLiteral("send_lag_count")) -
                         double(atEnd.generator.sent)) <= 2);
        const qsizetype cpuColumn = sampler.schema().indexOf(QStringLiteral("thread_cpu_max_pct"));
        const qsizetype busyColumn = sampler.schema().indexOf(QStringLiteral("thread_busy_max_pct"));
        QVERIFY(cpuColumn >= 0 && busyColumn >= 0);
        double mostCpu = 0;
        for (const metrics::Sample &sample : sampler.store()->samples()) {
            QVERIFY(sample.value(cpuColumn) >= 0 && sample.value(cpuColumn) <= 100);
            QVERIFY(sample.value(busyColumn) >= sample.value(cpuColumn));
            mostCpu = std::max(mostCpu, sample.value(cpuColumn));
        }
        QVERIFY(mostCpu > 0);
        QVERIFY(sampler.schema().indexOf(QStringLiteral("connections_open")) >= 0);

        // Stopped, the figures hold still: nothing more is asked, the connections are as they were.
        engine.stop(1000ms);
        const load::LoadSnapshot stopped = engine.snapshot();
        QTest::qWait(200);
        const load::LoadSnapshot later = engine.snapshot();
        QCOMPARE(later.generator.asked, stopped.generator.asked);
        QCOMPARE(later.generator.elapsedNs, stopped.generator.elapsedNs);
        QCOMPARE(later.generator.threads[0].cpuNs, stopped.generator.threads[0].cpuNs);
        QVERIFY(stopped.generator.connectionsOpen >= 1);
        QVERIFY(stopped.generator.asked > atEnd.generator.asked);
    }

    void busyConnectionsAreNotTheGeneratorsLateness()
    {
        // 2 connections on a 50 ms route carry at most 40/s of the 100/s asked: every request
        // after the first two waits for a connection. That wait is the server's: the send lag
        // leaves it out, the corrected latency counts it, and the generator, which had time to
        // spare, is not blamed: a note names the connections.
        load::LoadOptions options;
        options.threads = 1;
        load::LoadEngine engine(target(), {get(QStringLiteral("/async"))}, options);
        QVERIFY(!engine.start(openAt(100, 2)));
        QTest::qWait(1500);
        engine.stop(1000ms);
        const load::LoadSnapshot snapshot = engine.snapshot();
        const load::GeneratorTrust trust = load::assessGenerator(snapshot.generator);
        QVERIFY2(trust.achievedShare < 0.6, qPrintable(QString::number(trust.achievedShare)));
        QVERIFY2(!trust.generatorLimited, qPrintable(trust.reasons.join(u';')));
        QVERIFY2(trust.notes.join(u';').contains(QStringLiteral("every connection was busy")),
                 qPrintable(trust.notes.join(u';')));
        QVERIFY2(trust.sendLagP50Ms < 5, qPrintable(QString::number(trust.sendLagP50Ms)));
        QVERIFY2(snapshot.total().corrected.valueAtPercentile(50) > 200'000, // µs: queued for the connections
                 qPrintable(QString::number(snapshot.total().corrected.valueAtPercentile(50))));
    }
};

QTEST_GUILESS_MAIN(TestGeneratorLoopback)
#include "test_generator_loopback.moc"
