// HlogWriter: see the header.
#include "engine/report/HlogWriter.h"

#include "engine/report/HlogTag.h"

#include <QDateTime>

namespace perflab::report {

namespace {

QByteArray seconds(qint64 ms)
{
    return QByteArray::number(double(ms) / 1000.0, 'f', 3);
}

} // namespace

QByteArray hlogText(const RunReport &report)
{
    QByteArray out;
    out += "#perflab latency.hlog: corrected latency (coordinated omission) per phase and route, "
           "one interval a second; histograms in microseconds, Interval_Max in milliseconds "
           "(max value unit ratio 1000); Tag=<phase>/<route>, percent-encoded\n";
    out += "#[Histogram log format version 1.3]\n";
    const QByteArray start = seconds(report.startedMs);
    out += "#[StartTime: " + start + " (seconds since epoch), " +
           QDateTime::fromMSecsSinceEpoch(report.startedMs, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8() +
           "]\n";
    out += "#[BaseTime: " + start + " (seconds since epoch)]\n";
    out += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
    for (const LatencyInterval &interval : report.intervals) {
        out += "Tag=" + hlogTag(interval.phase, interval.route) + ',';
        out += seconds(interval.startMs - report.startedMs) + ',';
        out += seconds(interval.endMs - interval.startMs) + ',';
        out += QByteArray::number(double(interval.maxUs) / kHlogMaxValueUnitRatio, 'f', 3) + ',';
        out += interval.compressedHistogram.toBase64() + '\n';
    }
    return out;
}

} // namespace perflab::report
