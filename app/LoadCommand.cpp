// See LoadCommand.h.
#include "LoadCommand.h"

#include "LiveFigures.h"
#include "ProgressLine.h"
#include "SignalWatcher.h"
#include "engine/load/GeneratorTrust.h"
#include "engine/load/LoadEngine.h"
#include "engine/report/TrustReport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace perflab::app {

namespace {

using metrics::LatencyHistogram;

const char *const kErrorKinds[] = {load::ErrorKind::Connect,   load::ErrorKind::Timeout,
                                   load::ErrorKind::Reset,     load::ErrorKind::Protocol,
                                   load::ErrorKind::Status4xx, load::ErrorKind::Status5xx};

std::uint64_t errorsOfKind(const load::RouteStats &stats, const char *kind)
{
    const auto it = stats.errors.find(QString::fromLatin1(kind));
    return it == stats.errors.end() ? 0 : it->second;
}

// "10s", "1.5s", "500ms", "2m": as the user would write it.
QString formatDuration(std::chrono::milliseconds d)
{
    const auto ms = d.count();
    if (ms < 1000)
        return QString::number(ms) + QLatin1String("ms");
    if (ms % 60'000 == 0)
        return QString::number(ms / 60'000) + QLatin1String("m");
    return QString::number(double(ms) / 1000.0) + QLatin1String("s");
}

// wrk's units: 812.00us, 1.23ms, 2.05s.
QString formatUs(double us)
{
    if (us < 1000)
        return QString::number(us, 'f', 2) + QLatin1String("us");
    if (us < 1'000'000)
        return QString::number(us / 1000, 'f', 2) + QLatin1String("ms");
    return QString::number(us / 1'000'000, 'f', 2) + QLatin1String("s");
}

QString formatBytes(double bytes)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    return QString::number(bytes, 'f', 2) + QLatin1String(units[unit]);
}

QJsonObject latencyJson(const LatencyHistogram &h)
{
    auto ms = [](double us) { return us / 1000.0; };
    return QJsonObject{
        {QStringLiteral("p50"), ms(double(h.valueAtPercentile(50)))},
        {QStringLiteral("p90"), ms(double(h.valueAtPercentile(90)))},
        {QStringLiteral("p99"), ms(double(h.valueAtPercentile(99)))},
        {QStringLiteral("p999"), ms(double(h.valueAtPercentile(99.9)))},
        {QStringLiteral("max"), ms(double(h.max()))},
        {QStringLiteral("mean"), ms(h.mean())},
    };
}

// Share of the samples within one standard deviation of the mean (wrk's "+/- Stdev").
double withinOneStdev(const LatencyHistogram &h)
{
    if (h.isEmpty())
        return 0;
    const double mean = h.mean();
    const double sd = h.stddev();
    const auto high = h.countAtOrBelow(std::int64_t(mean + sd));
    const auto low = mean - sd > 0 ? h.countAtOrBelow(std::int64_t(mean - sd)) : 0;
    return 100.0 * double(high - low) / double(h.totalCount());
}

void printText(const LoadCommandOptions &options, const load::RouteStats &total, double durationS,
               int threads, const load::GeneratorTrust &trust)
{
    QTextStream out(stdout);
    const bool open = options.model.kind != load::LoadModelKind::Closed;
    out << "Running " << formatDuration(options.duration) << " test @ " << options.url << "\n";
    out << "  " << threads << (threads == 1 ? " thread" : " threads") << " and " << options.model.connections
        << " connections, "
        << (open ? QStringLiteral("open loop at %1 requests/s").arg(options.model.rate)
                 : QStringLiteral("closed loop"))
        << "\n";
    auto statsLine = [&out](const char *label, const LatencyHistogram &h) {
        out << "    " << QString::fromLatin1(label).leftJustified(14) << formatUs(h.mean()).rightJustified(9)
            << formatUs(h.stddev()).rightJustified(10) << formatUs(double(h.max())).rightJustified(10)
            << QString(QString::number(withinOneStdev(h), 'f', 2) + QLatin1Char('%')).rightJustified(10)
            << "\n";
    };
    out << "  Thread Stats      Avg     Stdev       Max  +/- Stdev\n";
    if (open)
        statsLine("Latency", total.corrected);
    statsLine(open ? "Uncorrected" : "Latency", total.uncorrected);
    out << "  Latency Distribution (HdrHistogram - "
        << (open ? "corrected for coordinated omission" : "Recorded Latency") << ")\n";
    if (open)
        out << "              corrected  uncorrected\n";
    for (double p : {50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999, 100.0}) {
        out << QString(QString::number(p, 'f', 3) + QLatin1Char('%')).rightJustified(9);
        if (open)
            out << formatUs(double(total.corrected.valueAtPercentile(p))).rightJustified(12);
        out << formatUs(double(total.uncorrected.valueAtPercentile(p))).rightJustified(12) << "\n";
    }
    if (options.latencySpectrum) {
        out << "\n  Detailed Percentile spectrum" << (open ? " (corrected)" : "") << ":\n";
        out.flush();
        (open ? total.corrected : total.uncorrected).percentileSpectrum(out);
        if (open) {
            out << "\n  Detailed Percentile spectrum (uncorrected):\n";
            total.uncorrected.percentileSpectrum(out);
        }
        out << "----------------------------------------------------------\n";
    }
    out << "  " << total.responses << " requests in " << QString::number(durationS, 'f', 2) << "s, "
        << formatBytes(double(total.bytesReceived)) << " read\n";
    if (total.errorCount() > 0) {
        out << "  Errors:";
        bool first = true;
        for (const char *kind : kErrorKinds) {
            out << (first ? " " : ", ") << kind << " " << errorsOfKind(total, kind);
            first = false;
        }
        out << "\n";
    }
    out << "  Status codes:";
    for (const auto &[status, count] : total.statusCounts)
        out << " " << status << " " << count;
    out << "\n";
    if (open && total.lateSends > 0)
        out << "  Late sends (> 1 ms after the intended time): " << total.lateSends << "\n";
    out << "Requests/sec: " << QString::number(double(total.responses) / durationS, 'f', 2).rightJustified(10)
        << "\n";
    out << "Transfer/sec: " << formatBytes(double(total.bytesReceived) / durationS).rightJustified(10)
        << "\n";
    // What the generator measured about itself: whether the figures above are the server's.
    const QStringList trustLines = report::trustTextLines(trust);
    out << "Trust: " << trustLines.first() << "\n";
    for (qsizetype i = 1; i < trustLines.size(); ++i)
        out << "  " << trustLines[i] << "\n";
}

QJsonObject resultJson(const LoadCommandOptions &options, const load::RouteStats &total, double durationS,
                       int threads, const load::GeneratorTrust &trust)
{
    QJsonObject errors;
    for (const char *kind : kErrorKinds) {
        errors.insert(QString::fromLatin1(kind), double(errorsOfKind(total, kind)));
    }
    errors.insert(QStringLiteral("total"), double(total.errorCount()));
    QJsonObject statusCounts;
    for (const auto &[status, count] : total.statusCounts)
        statusCounts.insert(QString::number(status), double(count));
    QJsonObject result{
        {QStringLiteral("url"), options.url},
        {QStringLiteral("model"), options.model.kind == load::LoadModelKind::Closed ? QStringLiteral("closed")
                                                                                    : QStringLiteral("open")},
        {QStringLiteral("connections"), options.model.connections},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("requests"), double(total.responses)},
        {QStringLiteral("duration_s"), durationS},
        {QStringLiteral("requests_per_s"), double(total.responses) / durationS},
        {QStringLiteral("bytes_received"), double(total.bytesReceived)},
        {QStringLiteral("transfer_bytes_per_s"), double(total.bytesReceived) / durationS},
        {QStringLiteral("late_sends"), double(total.lateSends)},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("status_counts"), statusCounts},
        {QStringLiteral("latency_ms"), latencyJson(total.corrected)},
        {QStringLiteral("latency_uncorrected_ms"), latencyJson(total.uncorrected)},
        {QStringLiteral("trust"), report::trustJson(trust)},
    };
    if (options.model.kind != load::LoadModelKind::Closed)
        result.insert(QStringLiteral("rate"), options.model.rate);
    return result;
}

} // namespace

int runLoad(const LoadCommandOptions &options)
{
    SignalWatcher signals;
    load::LoadEngine engine(options.target, {options.request}, options.options);
    if (auto error = engine.start(options.model)) {
        std::fprintf(stderr, "perflab load: %s\n", qPrintable(*error));
        return ExitRuntimeFailure;
    }
    QElapsedTimer clock;
    clock.start();
    double durationS = 0;
    // In a terminal, a few times a second: where the run is, and whether the generator keeps up.
    ProgressLine progress(!options.json);
    LiveFigures live;
    QTimer progressTimer;
    if (progress.isEnabled()) {
        const double totalS = double(options.duration.count()) / 1000.0;
        QObject::connect(&progressTimer, &QTimer::timeout, &engine, [&, totalS] {
            const double elapsedS = double(clock.elapsed()) / 1000.0;
            progress.show(QStringLiteral("load %1 s, %2 s left | %3")
                              .arg(QString::number(elapsedS, 'f', 1),
                                   QString::number(std::max(0.0, totalS - elapsedS), 'f', 1),
                                   live.update(engine.snapshot())));
        });
        live.begin(engine.snapshot());
        progressTimer.start(250);
    }
    auto finish = [&] {
        progressTimer.stop();
        engine.stop(std::chrono::milliseconds(0)); // like wrk: what is in flight at the end is not counted
        durationS = double(clock.nsecsElapsed()) / 1e9;
        QCoreApplication::quit();
    };
    QTimer::singleShot(options.duration, Qt::PreciseTimer, &engine, finish);
    // Ctrl-C ends the run early and still prints what was measured.
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &engine, finish);
    QCoreApplication::exec();

    progress.clear();
    const load::LoadSnapshot snapshot = engine.snapshot();
    const load::RouteStats total = snapshot.total();
    const load::GeneratorTrust trust = load::assessGenerator(snapshot.generator);
    const int threads = std::min(options.options.threads, options.model.connections);
    if (options.json) {
        std::fputs(QJsonDocument(resultJson(options, total, durationS, threads, trust))
                       .toJson(QJsonDocument::Compact)
                       .constData(),
                   stdout);
        std::fputc('\n', stdout);
    } else {
        printText(options, total, durationS, threads, trust);
    }
    std::fflush(stdout);
    if (total.responses == 0) {
        std::fprintf(stderr, "perflab load: no response from %s (%llu connect errors)\n",
                     qPrintable(options.url),
                     static_cast<unsigned long long>(errorsOfKind(total, load::ErrorKind::Connect)));
        return ExitRuntimeFailure;
    }
    if (trust.generatorLimited) {
        std::fprintf(stderr,
                     "perflab load: the generator was the limit, so these figures are not the server's: %s\n",
                     qPrintable(trust.reasons.join(QStringLiteral("; "))));
        return ExitGeneratorLimited;
    }
    return ExitOk;
}

} // namespace perflab::app
