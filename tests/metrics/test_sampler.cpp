// Sampler and TimeSeriesStore: interval deltas, label filters, the 100 ms timer, queued
// delivery to another thread, the bounded ring and events.
#include "engine/metrics/Registry.h"
#include "engine/metrics/Sampler.h"
#include "engine/metrics/TimeSeriesStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;
using namespace perflab::metrics;

namespace {

struct LabMetrics
{
    explicit LabMetrics(Registry &registry)
        : requests(
              registry.counterFamily(u"http_requests_total"_s, u"Requests."_s, {u"route"_s, u"status"_s})),
          inFlight(registry.gaugeFamily(u"http_requests_in_flight"_s, u"In flight."_s)),
          duration(registry.histogramFamily(u"http_request_duration_seconds"_s, u"Duration."_s, {u"route"_s}))
    {
    }
    CounterFamily &requests;
    GaugeFamily &inFlight;
    HistogramFamily &duration;
};

std::vector<SeriesSpec> labSpecs()
{
    return {SeriesSpec::counterDelta(u"requests"_s, u"http_requests_total"_s),
            SeriesSpec::counterDelta(u"errors"_s, u"http_requests_total"_s,
                                     {LabelMatcher(u"status"_s, u"5.."_s)}),
            SeriesSpec::gaugeValue(u"in_flight"_s, u"http_requests_in_flight"_s),
            SeriesSpec::latencySummary(u"latency"_s, u"http_request_duration_seconds"_s),
            SeriesSpec::latencySummary(u"latency_a"_s, u"http_request_duration_seconds"_s,
                                       {LabelMatcher(u"route"_s, u"/a"_s)})};
}

Sample makeSample(qint64 timestampMs, double value)
{
    Sample sample;
    sample.timestampMs = timestampMs;
    sample.intervalS = 0.1;
    sample.values = {value};
    return sample;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void schemaColumns();
    void sampleNowGivesIntervalDeltas();
    void seriesAndFamiliesAppearingLater();
    void wrongFamilyTypeLeavesZeros();
    void timerSamplesEvery100ms();
    void samplesReachAnotherThreadQueued();
    void storeIsABoundedRing_data();
    void storeIsABoundedRing();
    void storeKeepsEvents();
};

void TestSampler::schemaColumns()
{
    const SampleSchema schema(labSpecs());
    QCOMPARE(schema.columns(),
             (QStringList{u"requests"_s, u"errors"_s, u"in_flight"_s, u"latency_count"_s,
                          u"latency_mean_ms"_s, u"latency_p50_ms"_s, u"latency_p90_ms"_s, u"latency_p99_ms"_s,
                          u"latency_p999_ms"_s, u"latency_max_ms"_s, u"latency_a_count"_s,
                          u"latency_a_mean_ms"_s, u"latency_a_p50_ms"_s, u"latency_a_p90_ms"_s,
                          u"latency_a_p99_ms"_s, u"latency_a_p999_ms"_s, u"latency_a_max_ms"_s}));
    QCOMPARE(schema.indexOf(u"latency_a_p99_ms"_s), 14);
}

void TestSampler::sampleNowGivesIntervalDeltas()
{
    Registry registry;
    LabMetrics metrics(registry);
    metrics.requests.withLabels({u"/a"_s, u"200"_s})->inc(100); // before the sampler: not counted
    metrics.duration.withLabels({u"/a"_s})->recordMicros(999'000);

    Sampler sampler(registry, labSpecs());
    const SampleSchema &schema = sampler.schema();
    const auto column = [&](const char *name) { return schema.indexOf(QLatin1String(name)); };
    QSignalSpy spy(&sampler, &Sampler::sampled);

    metrics.requests.withLabels({u"/a"_s, u"200"_s})->inc(7);
    metrics.requests.withLabels({u"/a"_s, u"503"_s})->inc(2);
    metrics.requests.withLabels({u"/b"_s, u"500"_s})->inc(1);
    metrics.inFlight.series()->add(4);
    for (int i = 1; i <= 100; ++i)
        metrics.duration.withLabels({u"/a"_s})->recordMicros(i * 1000); // 1..100 ms
    metrics.duration.withLabels({u"/b"_s})->recordMicros(500'000);

    const Sample first = sampler.sampleNow();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(first.values.size(), schema.size());
    QVERIFY(first.intervalS > 0);
    QCOMPARE(first.value(column("requests")), 10.0);
    QCOMPARE(first.value(column("errors")), 3.0);
    QCOMPARE(first.perSecond(column("requests")), 10.0 / first.intervalS);
    QCOMPARE(first.value(column("in_flight")), 4.0);
    QCOMPARE(first.value(column("latency_count")), 101.0);
    QCOMPARE(first.value(column("latency_max_ms")),
             static_cast<double>(LatencyHistogram::highestEquivalentValue(500'000)) / 1000);
    QCOMPARE(first.value(column("latency_a_count")), 100.0);
    QCOMPARE(first.value(column("latency_a_mean_ms")), 50.5);
    QCOMPARE(first.value(column("latency_a_p50_ms")),
             static_cast<double>(LatencyHistogram::highestEquivalentValue(50'000)) / 1000);
    QCOMPARE(first.value(column("latency_a_p99_ms")),
             static_cast<double>(LatencyHistogram::highestEquivalentValue(99'000)) / 1000);

    // Second interval: only what happened since the first sample.
    metrics.requests.withLabels({u"/a"_s, u"200"_s})->inc(5);
    metrics.inFlight.series()->sub(3);
    metrics.duration.withLabels({u"/a"_s})->recordMicros(2000);
    metrics.duration.withLabels({u"/a"_s})->recordMicros(2000);
    const Sample second = sampler.sampleNow();
    QCOMPARE(second.value(column("requests")), 5.0);
    QCOMPARE(second.value(column("errors")), 0.0);
    QCOMPARE(second.value(column("in_flight")), 1.0);
    QCOMPARE(second.value(column("latency_a_count")), 2.0);
    QCOMPARE(second.value(column("latency_a_p99_ms")), 2.0);
    QCOMPARE(second.value(column("latency_a_max_ms")), 2.0);
    QCOMPARE(second.value(column("latency_a_mean_ms")), 2.0);
    QVERIFY(second.timestampMs >= first.timestampMs);

    // An idle interval.
    const Sample third = sampler.sampleNow();
    QCOMPARE(third.value(column("requests")), 0.0);
    QCOMPARE(third.value(column("latency_count")), 0.0);
    QCOMPARE(third.value(column("latency_p99_ms")), 0.0);

    const std::vector<Sample> stored = sampler.store()->samples();
    QCOMPARE(stored.size(), 3u);
    QCOMPARE(stored[1].values, second.values);
    QCOMPARE(spy.count(), 3);
    QCOMPARE(spy.at(1).at(0).value<Sample>().values, second.values);
}

void TestSampler::seriesAndFamiliesAppearingLater()
{
    Registry registry;
    Sampler sampler(registry, {SeriesSpec::counterDelta(u"jobs"_s, u"jobs_total"_s),
                               SeriesSpec::latencySummary(u"db"_s, u"db_query_duration_seconds"_s)});
    QCOMPARE(sampler.sampleNow().values, (QList<double>{0, 0, 0, 0, 0, 0, 0, 0}));

    CounterFamily &jobs = registry.counterFamily(u"jobs_total"_s, u"Jobs."_s, {u"state"_s});
    jobs.withLabels({u"done"_s})->inc(3);
    registry.histogramFamily(u"db_query_duration_seconds"_s, u"Queries."_s).series()->recordMicros(1234);
    Sample sample = sampler.sampleNow();
    QCOMPARE(sample.value(0), 3.0);
    QCOMPARE(sample.value(1), 1.0);
    QCOMPARE(sample.value(sampler.schema().indexOf(u"db_p50_ms"_s)), 1.234);

    jobs.withLabels({u"failed"_s})->inc(2);
    jobs.withLabels({u"done"_s})->inc(1);
    sample = sampler.sampleNow();
    QCOMPARE(sample.value(0), 3.0);
    QCOMPARE(sample.value(1), 0.0);
}

void TestSampler::wrongFamilyTypeLeavesZeros()
{
    Registry registry;
    registry.gaugeFamily(u"not_a_counter"_s, u"G."_s).series()->set(5);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"has another type"_s)); // once only
    Sampler sampler(registry, {SeriesSpec::counterDelta(u"x"_s, u"not_a_counter"_s)});
    QCOMPARE(sampler.sampleNow().value(0), 0.0);
}

void TestSampler::timerSamplesEvery100ms()
{
    Registry registry;
    LabMetrics metrics(registry);
    Sampler sampler(registry, labSpecs());
    QSignalSpy spy(&sampler, &Sampler::sampled);
    sampler.start();
    QVERIFY(sampler.isRunning());
    QCOMPARE(sampler.interval(), std::chrono::milliseconds(100));

    Counter *ok = metrics.requests.withLabels({u"/a"_s, u"200"_s});
    ok->inc(7);
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 3, 10'000);
    ok->inc(5);
    const int seen = spy.count();
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= seen + 2, 10'000);
    sampler.stop();

    double requests = 0;
    qint64 previousTimestamp = 0;
    for (const QList<QVariant> &arguments : spy) {
        const Sample sample = arguments.at(0).value<Sample>();
        QVERIFY(sample.timestampMs >= previousTimestamp);
        QVERIFY(sample.intervalS > 0);
        previousTimestamp = sample.timestampMs;
        requests += sample.value(0);
    }
    QCOMPARE(requests, 12.0);
    QCOMPARE(sampler.store()->size(), static_cast<std::size_t>(spy.count()));
    const std::vector<Sample> stored = sampler.store()->samples();
    // Spaced by the timer: the span of n samples is about (n - 1) * 100 ms. Loose bounds only.
    const qint64 span = stored.back().timestampMs - stored.front().timestampMs;
    QVERIFY2(span >= 50 * (static_cast<qint64>(stored.size()) - 1), qPrintable(QString::number(span)));
}

void TestSampler::samplesReachAnotherThreadQueued()
{
    Registry registry;
    LabMetrics metrics(registry);
    QThread samplerThread;
    auto *sampler = new Sampler(registry, labSpecs());
    sampler->moveToThread(&samplerThread);
    connect(&samplerThread, &QThread::finished, sampler, &QObject::deleteLater);
    const std::shared_ptr<TimeSeriesStore> store = sampler->store();

    std::vector<Sample> received;
    QObject receiver; // lives on this thread: the connection is queued
    connect(sampler, &Sampler::sampled, &receiver, [&](const Sample &sample) {
        QCOMPARE(QThread::currentThread(), thread());
        received.push_back(sample);
    });
    samplerThread.start();
    QMetaObject::invokeMethod(sampler, [sampler] { sampler->start(std::chrono::milliseconds(20)); });

    QTRY_VERIFY_WITH_TIMEOUT(!received.empty(), 10'000);        // the baseline has been taken
    metrics.duration.withLabels({u"/a"_s})->recordMicros(3000); // recorded on this thread
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 4, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(store->size() >= 3, 10'000); // read here while the sampler writes
    samplerThread.quit();
    QVERIFY(samplerThread.wait(10'000));

    double count = 0;
    for (const Sample &sample : received)
        count += sample.value(SampleSchema(labSpecs()).indexOf(u"latency_a_count"_s));
    QCOMPARE(count, 1.0);
}

void TestSampler::storeIsABoundedRing_data()
{
    QTest::addColumn<int>("appended");
    QTest::newRow("below capacity") << 3;
    QTest::newRow("exactly full") << 5;
    QTest::newRow("wrapped twice") << 12;
}

void TestSampler::storeIsABoundedRing()
{
    QFETCH(int, appended);
    TimeSeriesStore store(SampleSchema({SeriesSpec::gaugeValue(u"v"_s, u"g"_s)}), 5);
    QCOMPARE(store.capacity(), 5u);
    QVERIFY(!store.latest());
    for (int i = 1; i <= appended; ++i)
        store.append(makeSample(1000 + i, i));
    const std::vector<Sample> samples = store.samples();
    const int kept = std::min(appended, 5);
    QCOMPARE(samples.size(), static_cast<std::size_t>(kept));
    QCOMPARE(store.appendedCount(), static_cast<std::uint64_t>(appended));
    for (int i = 0; i < kept; ++i)
        QCOMPARE(samples[static_cast<std::size_t>(i)].value(0), static_cast<double>(appended - kept + 1 + i));
    QCOMPARE(store.latest()->value(0), static_cast<double>(appended));

    const std::vector<Sample> recent = store.samplesSince(1000 + appended - 2);
    QCOMPARE(recent.size(), 2u);
    QCOMPARE(recent.front().timestampMs, 1000 + appended - 1);
    QVERIFY(store.samplesSince(1000 + appended).empty());
    QCOMPARE(store.samplesSince(0).size(), static_cast<std::size_t>(kept));
}

void TestSampler::storeKeepsEvents()
{
    TimeSeriesStore store(SampleSchema{}, 10);
    store.addEvent(1000, u"settings"_s, QJsonObject{{u"cache"_s, QJsonObject{{u"enabled"_s, false}}}});
    store.addEvent(2000, u"phase"_s, QJsonObject{{u"name"_s, u"cache on"_s}});
    const std::vector<TimeSeriesEvent> events = store.events();
    QCOMPARE(events.size(), 2u);
    QCOMPARE(events[0].kind, u"settings"_s);
    QCOMPARE(events[0].detail[u"cache"_s][u"enabled"_s].toBool(true), false);
    QCOMPARE(events[1].timestampMs, 2000);

    for (std::size_t i = 0; i < TimeSeriesStore::kMaxEvents; ++i)
        store.addEvent(3000 + static_cast<qint64>(i), u"tick"_s, {});
    QCOMPARE(store.events().size(), TimeSeriesStore::kMaxEvents);
    QCOMPARE(store.events().front().timestampMs, 3000);

    // A reader that follows along gets each event once, in the order added, whatever its
    // timestamp; one that fell behind the bound gets what is still kept.
    std::uint64_t added = 0;
    QCOMPARE(store.eventsAfter(0, &added).size(), TimeSeriesStore::kMaxEvents);
    QCOMPARE(added, TimeSeriesStore::kMaxEvents + 2);
    QVERIFY(store.eventsAfter(added, &added).empty());
    store.addEvent(50, u"slow_query"_s, {}); // stamped before the others
    store.addEvent(50, u"slow_query"_s, {}); // and twice at the same millisecond
    const std::uint64_t before = added;
    const std::vector<TimeSeriesEvent> fresh = store.eventsAfter(before, &added);
    QCOMPARE(fresh.size(), 2u);
    QCOMPARE(fresh.front().timestampMs, 50);
    QCOMPARE(added, before + 2);
    QCOMPARE(store.eventsAfter(before + 1, &added).size(), 1u);
    store.clear();
    QVERIFY(store.events().empty());
    QVERIFY(store.eventsAfter(0, &added).empty());
    QCOMPARE(added, before + 2); // the count goes on across clear()
    QCOMPARE(store.size(), 0u);
}

std::unique_ptr<QObject> createSamplerTests()
{
    return std::make_unique<TestSampler>();
}

#include "test_sampler.moc"
