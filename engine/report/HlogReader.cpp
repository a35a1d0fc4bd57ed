// HlogReader: see the header.
#include "engine/report/HlogReader.h"

#include "engine/metrics/HdrV2Codec.h"

#include <QHash>

#include <cmath>
#include <optional>

namespace perflab::report {

namespace {

constexpr double kYearS = 365.0 * 24 * 3600;

QString quoted(QByteArrayView text)
{
    constexpr qsizetype kShown = 40;
    const QString shown = QString::fromUtf8(text.first(std::min(text.size(), kShown)));
    return QStringLiteral("\"%1%2\"").arg(shown, text.size() > kShown ? QStringLiteral("…") : QString());
}

std::optional<double> number(QByteArrayView text)
{
    bool ok = false;
    const double value = QByteArray(text.trimmed().toByteArray()).toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// The number after "#[StartTime:" or "#[BaseTime:", up to the next space or ']'.
std::optional<double> headerNumber(QByteArrayView line, qsizetype prefixLength)
{
    QByteArrayView rest = line.sliced(prefixLength).trimmed();
    qsizetype end = 0;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != ']')
        ++end;
    return number(rest.first(end));
}

} // namespace

metrics::LatencyHistogram HlogInterval::histogram() const
{
    auto decoded = metrics::decodeHdrV2(encodedHistogram);
    if (auto *histogram = std::get_if<metrics::LatencyHistogram>(&decoded))
        return std::move(*histogram);
    return {}; // not reached for what readHlog returned: it decoded each one
}

metrics::LatencyHistogram HlogTagIntervals::merged() const
{
    metrics::LatencyHistogram sum;
    for (const HlogInterval &interval : intervals)
        sum.add(interval.histogram());
    return sum;
}

std::variant<HlogLog, QString> readHlog(QByteArrayView text)
{
    HlogLog log;
    std::optional<double> baseTime;
    QHash<QByteArray, std::size_t> tagIndex; // into log.tags
    qsizetype lineStart = 0;
    for (qsizetype lineNumber = 1; lineStart < text.size(); ++lineNumber) {
        qsizetype lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = text.size();
        const QByteArrayView line = text.sliced(lineStart, lineEnd - lineStart).trimmed(); // '\r' too
        lineStart = lineEnd + 1;
        const auto fail = [lineNumber](const QString &what) {
            return QStringLiteral("line %1: %2").arg(lineNumber).arg(what);
        };

        if (line.isEmpty() || line.startsWith("\"StartTimestamp\"") || line.startsWith("\"Timestamp\""))
            continue;
        if (line.startsWith("#[StartTime:") || line.startsWith("#[BaseTime:")) {
            const bool isStart = line.startsWith("#[StartTime:");
            const auto value = headerNumber(line, isStart ? 12 : 11);
            if (!value)
                return fail(QStringLiteral("%1: expected seconds since the epoch, got %2")
                                .arg(isStart ? QStringLiteral("StartTime") : QStringLiteral("BaseTime"),
                                     quoted(line)));
            if (isStart)
                log.startTimeS = *value;
            else
                baseTime = *value;
            continue;
        }
        if (line.startsWith('#'))
            continue;

        QList<QByteArrayView> fields;
        for (qsizetype from = 0;;) {
            const qsizetype comma = line.indexOf(',', from);
            fields.append(line.sliced(from, (comma < 0 ? line.size() : comma) - from).trimmed());
            if (comma < 0)
                break;
            from = comma + 1;
        }
        QByteArray tag;
        if (fields.first().startsWith("Tag=")) {
            tag = fields.first().sliced(4).toByteArray();
            fields.removeFirst();
        }
        if (fields.size() != 4)
            return fail(QStringLiteral("expected [Tag=...,]StartTimestamp,Interval_Length,Interval_Max,"
                                       "Interval_Compressed_Histogram, got %1 fields after the tag: %2")
                            .arg(fields.size())
                            .arg(quoted(line)));
        HlogInterval interval;
        const auto start = number(fields[0]);
        if (!start)
            return fail(QStringLiteral("StartTimestamp: expected a number, got %1").arg(quoted(fields[0])));
        const auto length = number(fields[1]);
        if (!length || *length < 0)
            return fail(
                QStringLiteral("Interval_Length: expected a number >= 0, got %1").arg(quoted(fields[1])));
        const auto max = number(fields[2]);
        if (!max)
            return fail(QStringLiteral("Interval_Max: expected a number, got %1").arg(quoted(fields[2])));
        auto base64 =
            QByteArray::fromBase64Encoding(fields[3].toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (!base64 || base64.decoded.isEmpty())
            return fail(
                QStringLiteral("Interval_Compressed_Histogram: not base64: %1").arg(quoted(fields[3])));
        auto decoded = metrics::decodeHdrV2(base64.decoded);
        if (const auto *error = std::get_if<metrics::HdrDecodeError>(&decoded))
            return fail(QStringLiteral("Interval_Compressed_Histogram: %1").arg(error->message));
        if (!baseTime) // HdrHistogram's rule when the log names no BaseTime
            baseTime = *start < log.startTimeS - kYearS ? log.startTimeS : 0.0;
        interval.startS = *baseTime + *start;
        interval.lengthS = *length;
        interval.maxField = *max;
        interval.count = std::get<metrics::LatencyHistogram>(decoded).totalCount();
        interval.encodedHistogram = std::move(base64.decoded);

        auto index = tagIndex.constFind(tag);
        if (index == tagIndex.constEnd()) {
            index = tagIndex.insert(tag, log.tags.size());
            log.tags.push_back({tag, {}});
        }
        log.tags[*index].intervals.push_back(std::move(interval));
    }
    return log;
}

} // namespace perflab::report
