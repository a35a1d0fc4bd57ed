// Registry families, the Prometheus text exposition (checked by promtool) and snapshotJson().
#include "engine/metrics/PrometheusText.h"
#include "engine/metrics/Registry.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <memory>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

using namespace Qt::StringLiterals;
using namespace perflab::metrics;

namespace {

// The lab server's metric families (docs/reference/metrics.md), registered as the lab server does.
void registerLabServerMetrics(Registry &registry)
{
    CounterFamily &requests = registry.counterFamily(u"http_requests_total"_s, u"HTTP requests served."_s,
                                                     {u"method"_s, u"route"_s, u"status"_s});
    requests.withLabels({u"GET"_s, u"/hello"_s, u"200"_s})->inc(3);
    requests.withLabels({u"GET"_s, u"/users/{user_id}"_s, u"404"_s})->inc();
    requests.withLabels({u"POST"_s, u"/weird\\path\"with\nnewline"_s, u"500"_s})->inc(2);

    HistogramFamily &duration = registry.histogramFamily(
        u"http_request_duration_seconds"_s, u"Time from request start to response end."_s, {u"route"_s});
    HistogramSeries *hello = duration.withLabels({u"/hello"_s});
    for (std::int64_t us : {300, 700, 2000, 20'000'000})
        hello->recordMicros(us);
    duration.withLabels({u"/users/{user_id}"_s}); // created, never recorded

    registry.gaugeFamily(u"http_requests_in_flight"_s, u"Requests being handled."_s).series()->add(2);
    registry.gaugeFamily(u"http_request_queue_depth"_s, u"Requests waiting for a\nconcurrency slot."_s);
    registry
        .counterFamily(u"http_response_bytes_total"_s, u"Response body bytes by content encoding."_s,
                       {u"encoding"_s})
        .withLabels({u"gzip"_s})
        ->inc(12345);
    CounterFamily &cache =
        registry.counterFamily(u"cache_requests_total"_s, u"Cache lookups by result."_s, {u"result"_s});
    cache.withLabels({u"hit"_s})->inc(9);
    cache.withLabels({u"miss"_s})->inc(1);
    GaugeFamily &pool =
        registry.gaugeFamily(u"db_pool_connections"_s, u"Pool connections by state."_s, {u"state"_s});
    pool.withLabels({u"in_use"_s})->set(3);
    pool.withLabels({u"idle"_s})->set(17);
    registry.histogramFamily(u"db_query_duration_seconds"_s, u"Query time (backslash \\ in help)."_s)
        .series()
        ->recordMicros(1500);
    registry.counterFamily(u"jobs_total"_s, u"Jobs by final state."_s, {u"state"_s}); // no series yet
}

struct PromtoolResult
{
    int exitCode = -1;
    QString output;
};

PromtoolResult runPromtool(const QByteArray &exposition)
{
    const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
    if (promtool.isEmpty())
        return {-1, u"promtool not found on PATH: install Debian's prometheus package (the project's "
                    "packaging/install script does)"_s};
    QProcess process;
    process.start(promtool, {u"check"_s, u"metrics"_s});
    if (!process.waitForStarted(10'000))
        return {-1, u"promtool did not start: "_s + process.errorString()};
    process.write(exposition);
    process.closeWriteChannel();
    if (!process.waitForFinished(60'000))
        return {-1, u"promtool did not finish"_s};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError())};
}

} // namespace

class TestRegistryPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void familiesAreRegisteredOnce();
    void invalidUseThrows_data();
    void invalidUseThrows();
    void seriesHandlesAreStable();
    void passesPromtool();
    void promtoolRejectsBrokenText();
    void containsExpectedSamples_data();
    void containsExpectedSamples();
    void bucketsAreCumulativeCountsAtOrBelow();
    void escapesLabelValues_data();
    void escapesLabelValues();
    void formatsNumbersLikeGo_data();
    void formatsNumbersLikeGo();
    void snapshotJson();
};

void TestRegistryPrometheus::familiesAreRegisteredOnce()
{
    Registry registry;
    CounterFamily &first = registry.counterFamily(u"a_total"_s, u"A."_s, {u"x"_s});
    CounterFamily &again = registry.counterFamily(u"a_total"_s, u"Other help is ignored."_s, {u"x"_s});
    QCOMPARE(&first, &again);
    HistogramFamily &h = registry.histogramFamily(u"h_seconds"_s, u"H."_s);
    QCOMPARE(&registry.histogramFamily(u"h_seconds"_s, u"H."_s), &h);
    QCOMPARE(registry.families().size(), 2u);
    QCOMPARE(registry.find(u"h_seconds"_s), &h);
    QCOMPARE(registry.find(u"nope"_s), nullptr);
    QCOMPARE(h.seriesCount(), 1u); // label-less: its series exists from the start
    QCOMPARE(first.seriesCount(), 0u);
}

void TestRegistryPrometheus::invalidUseThrows_data()
{
    QTest::addColumn<int>("misuse");
    QTest::newRow("metric name with a dash") << 0;
    QTest::newRow("metric name starting with a digit") << 1;
    QTest::newRow("label name with a colon") << 2;
    QTest::newRow("reserved label name") << 3;
    QTest::newRow("duplicate label name") << 4;
    QTest::newRow("histogram label 'le'") << 5;
    QTest::newRow("same name, other type") << 6;
    QTest::newRow("same name, other labels") << 7;
    QTest::newRow("same name, other buckets") << 8;
    QTest::newRow("too few label values") << 9;
    QTest::newRow("buckets not increasing") << 10;
}

void TestRegistryPrometheus::invalidUseThrows()
{
    QFETCH(int, misuse);
    Registry registry;
    registry.counterFamily(u"taken_total"_s, u"Taken."_s, {u"a"_s});
    registry.histogramFamily(u"taken_seconds"_s, u"Taken."_s);
    const auto attempt = [&] {
        switch (misuse) {
        case 0:
            registry.counterFamily(u"bad-name_total"_s, u"."_s);
            break;
        case 1:
            registry.counterFamily(u"1st_total"_s, u"."_s);
            break;
        case 2:
            registry.counterFamily(u"ok_total"_s, u"."_s, {u"a:b"_s});
            break;
        case 3:
            registry.counterFamily(u"ok_total"_s, u"."_s, {u"__name"_s});
            break;
        case 4:
            registry.counterFamily(u"ok_total"_s, u"."_s, {u"a"_s, u"a"_s});
            break;
        case 5:
            registry.histogramFamily(u"ok_seconds"_s, u"."_s, {u"le"_s});
            break;
        case 6:
            registry.gaugeFamily(u"taken_total"_s, u"."_s, {u"a"_s});
            break;
        case 7:
            registry.counterFamily(u"taken_total"_s, u"."_s, {u"b"_s});
            break;
        case 8:
            registry.histogramFamily(u"taken_seconds"_s, u"."_s, {}, {0.1, 1});
            break;
        case 9:
            registry.counterFamily(u"taken_total"_s, u"."_s, {u"a"_s}).withLabels({});
            break;
        case 10:
            registry.histogramFamily(u"ok_seconds"_s, u"."_s, {}, {1, 0.5});
            break;
        }
    };
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attempt());
}

void TestRegistryPrometheus::seriesHandlesAreStable()
{
    Registry registry;
    CounterFamily &family = registry.counterFamily(u"x_total"_s, u"X."_s, {u"k"_s});
    Counter *first = family.withLabels({u"one"_s});
    for (int i = 0; i < 1000; ++i)
        family.withLabels({QString::number(i)});
    QCOMPARE(family.withLabels({u"one"_s}), first);
    QCOMPARE(family.seriesCount(), 1001u);
    QCOMPARE(family.seriesList(1000).size(), 1u);
    QCOMPARE(family.seriesList(1000).front().labelValues, QStringList{u"999"_s});
}

void TestRegistryPrometheus::passesPromtool()
{
    Registry registry;
    registerLabServerMetrics(registry);
    const QByteArray text = PrometheusText::render(registry);
    const PromtoolResult result = runPromtool(text);
    QVERIFY2(result.exitCode == 0,
             qPrintable(u"promtool check metrics failed (exit %1):\n%2\n--- input:\n%3"_s.arg(result.exitCode)
                            .arg(result.output, QString::fromUtf8(text))));
}

void TestRegistryPrometheus::promtoolRejectsBrokenText()
{
    // The check above means something only if promtool does fail on bad input.
    const PromtoolResult result = runPromtool("# TYPE x_ms counter\nx_ms{a=\"unterminated} 1\n");
    QVERIFY2(result.exitCode > 0, qPrintable(result.output));
}

void TestRegistryPrometheus::containsExpectedSamples_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("help") << u"# HELP http_requests_total HTTP requests served."_s;
    QTest::newRow("type counter") << u"# TYPE http_requests_total counter"_s;
    QTest::newRow("counter") << uR"(http_requests_total{method="GET",route="/hello",status="200"} 3)"_s;
    QTest::newRow("escaped labels")
        << uR"(http_requests_total{method="POST",route="/weird\\path\"with\nnewline",status="500"} 2)"_s;
    QTest::newRow("type histogram") << u"# TYPE http_request_duration_seconds histogram"_s;
    QTest::newRow("bucket 0.5 ms")
        << uR"(http_request_duration_seconds_bucket{route="/hello",le="0.0005"} 1)"_s;
    QTest::newRow("bucket 1 ms") << uR"(http_request_duration_seconds_bucket{route="/hello",le="0.001"} 2)"_s;
    QTest::newRow("bucket 2.5 ms")
        << uR"(http_request_duration_seconds_bucket{route="/hello",le="0.0025"} 3)"_s;
    QTest::newRow("bucket 10 s") << uR"(http_request_duration_seconds_bucket{route="/hello",le="10"} 3)"_s;
    QTest::newRow("bucket +Inf") << uR"(http_request_duration_seconds_bucket{route="/hello",le="+Inf"} 4)"_s;
    QTest::newRow("sum in seconds") << uR"(http_request_duration_seconds_sum{route="/hello"} 20.003)"_s;
    QTest::newRow("count") << uR"(http_request_duration_seconds_count{route="/hello"} 4)"_s;
    QTest::newRow("empty series") << uR"(http_request_duration_seconds_count{route="/users/{user_id}"} 0)"_s;
    QTest::newRow("label-less gauge") << u"http_requests_in_flight 2"_s;
    QTest::newRow("gauge never set") << u"http_request_queue_depth 0"_s;
    QTest::newRow("help newline escaped")
        << u"# HELP http_request_queue_depth Requests waiting for a\\nconcurrency slot."_s;
    QTest::newRow("help backslash escaped")
        << u"# HELP db_query_duration_seconds Query time (backslash \\\\ in help)."_s;
    QTest::newRow("label-less histogram bucket") << uR"(db_query_duration_seconds_bucket{le="0.0025"} 1)"_s;
    QTest::newRow("label-less histogram sum") << u"db_query_duration_seconds_sum 0.0015"_s;
    QTest::newRow("gauge by state") << uR"(db_pool_connections{state="idle"} 17)"_s;
    QTest::newRow("cache hits") << uR"(cache_requests_total{result="hit"} 9)"_s;
    QTest::newRow("family without series") << u"# TYPE jobs_total counter"_s;
}

void TestRegistryPrometheus::containsExpectedSamples()
{
    QFETCH(QString, line);
    Registry registry;
    registerLabServerMetrics(registry);
    const QString text = QString::fromUtf8(PrometheusText::render(registry));
    QVERIFY2(text.split(u'\n').contains(line), qPrintable(u"missing line:\n"_s + line + u"\nin:\n"_s + text));
}

void TestRegistryPrometheus::bucketsAreCumulativeCountsAtOrBelow()
{
    Registry registry;
    const std::vector<double> bounds{0, 0.000001, 0.0005, 0.00123, 0.002048, 0.005, 0.0051, 0.1, 1, 10, 4000};
    HistogramSeries *series = registry.histogramFamily(u"b_seconds"_s, u"B."_s, {}, bounds).series();
    for (std::int64_t i = 0; i < 20'000; ++i)
        series->recordMicros(i * i % 3'000'001);
    const LatencyHistogram merged = series->cumulative();
    const QList<QString> lines = QString::fromUtf8(PrometheusText::render(registry)).split(u'\n');
    for (double bound : bounds) {
        const QString prefix =
            u"b_seconds_bucket{le=\""_s + QString::fromUtf8(PrometheusText::formatDouble(bound)) + u"\"} "_s;
        const auto line =
            std::find_if(lines.begin(), lines.end(), [&](const QString &l) { return l.startsWith(prefix); });
        QVERIFY2(line != lines.end(), qPrintable(prefix));
        QCOMPARE(line->mid(prefix.size()).toULongLong(), merged.countAtOrBelow(std::llround(bound * 1e6)));
    }
}

void TestRegistryPrometheus::escapesLabelValues_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << u"/users/{user_id}"_s << u"/users/{user_id}"_s;
    QTest::newRow("backslash") << u"a\\b"_s << u"a\\\\b"_s;
    QTest::newRow("double quote") << u"say \"hi\""_s << u"say \\\"hi\\\""_s;
    QTest::newRow("newline") << u"one\ntwo"_s << u"one\\ntwo"_s;
    QTest::newRow("all three") << u"\\\"\n"_s << u"\\\\\\\"\\n"_s;
    QTest::newRow("tab and unicode stay") << u"\tgrüße"_s << u"\tgrüße"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestRegistryPrometheus::escapesLabelValues()
{
    QFETCH(QString, value);
    QFETCH(QString, escaped);
    QCOMPARE(PrometheusText::escapeLabelValue(value), escaped);

    Registry registry;
    registry.counterFamily(u"t_total"_s, u"T."_s, {u"v"_s}).withLabels({value})->inc();
    const QString expectedLine = u"t_total{v=\""_s + escaped + u"\"} 1"_s;
    const QByteArray text = PrometheusText::render(registry);
    QVERIFY(QString::fromUtf8(text).split(u'\n').contains(expectedLine));
    const PromtoolResult result = runPromtool(text);
    QVERIFY2(result.exitCode == 0, qPrintable(result.output));
}

void TestRegistryPrometheus::formatsNumbersLikeGo_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("0.0005") << 0.0005 << QByteArray("0.0005");
    QTest::newRow("0.0001") << 0.0001 << QByteArray("0.0001");
    QTest::newRow("0.00001") << 0.00001 << QByteArray("1e-05");
    QTest::newRow("1") << 1.0 << QByteArray("1");
    QTest::newRow("2.5") << 2.5 << QByteArray("2.5");
    QTest::newRow("10") << 10.0 << QByteArray("10");
    QTest::newRow("123456") << 123456.0 << QByteArray("123456");
    QTest::newRow("1e6") << 1e6 << QByteArray("1e+06");
    QTest::newRow("1234567") << 1234567.0 << QByteArray("1.234567e+06");
    QTest::newRow("0") << 0.0 << QByteArray("0");
    QTest::newRow("negative") << -0.25 << QByteArray("-0.25");
    QTest::newRow("0.1 + 0.2") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("+Inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::newRow("-Inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
}

void TestRegistryPrometheus::formatsNumbersLikeGo()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(PrometheusText::formatDouble(value), text);
}

void TestRegistryPrometheus::snapshotJson()
{
    Registry registry;
    registerLabServerMetrics(registry);
    const QJsonObject snapshot = registry.snapshotJson();

    const QJsonArray requests = snapshot[u"counters"_s][u"http_requests_total"_s].toArray();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests[0][u"labels"_s][u"route"_s].toString(), u"/hello"_s);
    QCOMPARE(requests[0][u"value"_s].toDouble(), 3.0);
    QCOMPARE(snapshot[u"gauges"_s][u"http_requests_in_flight"_s][0][u"value"_s].toDouble(), 2.0);
    QCOMPARE(snapshot[u"gauges"_s][u"db_pool_connections"_s].toArray().size(), 2);
    QVERIFY(snapshot[u"counters"_s][u"jobs_total"_s].toArray().isEmpty());

    const QJsonObject hello = snapshot[u"histograms"_s][u"http_request_duration_seconds"_s][0].toObject();
    QCOMPARE(hello[u"labels"_s][u"route"_s].toString(), u"/hello"_s);
    QCOMPARE(hello[u"count"_s].toDouble(), 4.0);
    QCOMPARE(hello[u"mean_ms"_s].toDouble(), 5000.75); // (300 + 700 + 2000 + 20'000'000) us / 4
    QCOMPARE(hello[u"p50_ms"_s].toDouble(), 0.7);
    QCOMPARE(hello[u"p90_ms"_s].toDouble(),
             static_cast<double>(LatencyHistogram::highestEquivalentValue(20'000'000)) / 1000);
    QCOMPARE(hello[u"max_ms"_s].toDouble(), 20'000.0);
    for (const char *key : {"p99_ms", "p999_ms"})
        QVERIFY(hello.contains(QLatin1String(key)));
    const QJsonObject unused = snapshot[u"histograms"_s][u"http_request_duration_seconds"_s][1].toObject();
    QCOMPARE(unused[u"count"_s].toDouble(), 0.0);
    QCOMPARE(unused[u"p99_ms"_s].toDouble(), 0.0);
}

std::unique_ptr<QObject> createRegistryPrometheusTests()
{
    return std::make_unique<TestRegistryPrometheus>();
}

#include "test_registry_prometheus.moc"
