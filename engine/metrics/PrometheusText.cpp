// PrometheusText: text exposition format 0.0.4.
#include "engine/metrics/PrometheusText.h"

#include "engine/metrics/Registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace perflab::metrics {

namespace {

const char *typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    }
    return "untyped";
}

// `{a="x",b="y"` without the closing brace, so that a histogram can append `,le="..."`.
QByteArray openLabelSet(const QByteArray &constant, const QStringList &names, const QStringList &values)
{
    QByteArray out = constant;
    for (qsizetype i = 0; i < names.size() && i < values.size(); ++i) {
        out += out.isEmpty() ? "{" : ",";
        out += names.at(i).toUtf8();
        out += "=\"";
        out += PrometheusText::escapeLabelValue(values.at(i)).toUtf8();
        out += '"';
    }
    return out;
}

QByteArray closeLabelSet(const QByteArray &open)
{
    return open.isEmpty() ? QByteArray() : open + '}';
}

QByteArray withLe(const QByteArray &open, const QByteArray &le)
{
    return (open.isEmpty() ? QByteArray("{") : open + ',') + "le=\"" + le + "\"}";
}

void appendSample(QByteArray &out, const QString &name, const char *suffix, const QByteArray &labels,
                  const QByteArray &value)
{
    out += name.toUtf8();
    out += suffix;
    out += labels;
    out += ' ';
    out += value;
    out += '\n';
}

void renderHistogram(QByteArray &out, const HistogramFamily &family, const QByteArray &constant,
                     LatencyHistogram &scratch)
{
    std::vector<QByteArray> leLabels;
    std::vector<std::int64_t> boundsUs;
    for (double bound : family.bucketBoundsSeconds()) {
        leLabels.push_back(PrometheusText::formatDouble(bound));
        boundsUs.push_back(std::llround(bound * 1e6));
    }
    for (const auto &entry : family.seriesList()) {
        entry.series->snapshotInto(scratch);
        const QByteArray open = openLabelSet(constant, family.labelNames(), entry.labelValues);
        // countAtOrBelow() for each bound, in one pass (the bounds are increasing).
        std::uint64_t cumulative = 0;
        int nextIndex = scratch.firstIndex();
        for (std::size_t i = 0; i < boundsUs.size(); ++i) {
            const int upTo =
                std::min(LatencyHistogram::countsIndexFor(LatencyHistogram::clampValue(boundsUs[i])),
                         scratch.lastIndex());
            for (; nextIndex <= upTo; ++nextIndex)
                cumulative += scratch.countAtIndex(nextIndex);
            appendSample(out, family.name(), "_bucket", withLe(open, leLabels[i]),
                         QByteArray::number(cumulative));
        }
        const QByteArray count = QByteArray::number(scratch.totalCount());
        appendSample(out, family.name(), "_bucket", withLe(open, "+Inf"), count);
        appendSample(out, family.name(), "_sum", closeLabelSet(open),
                     PrometheusText::formatDouble(static_cast<double>(scratch.sumUs()) / 1e6));
        appendSample(out, family.name(), "_count", closeLabelSet(open), count);
    }
}

} // namespace

QString PrometheusText::escapeLabelValue(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (QChar c : value) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'"')
            out += u"\\\""_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else
            out += c;
    }
    return out;
}

QString PrometheusText::escapeHelp(QStringView help)
{
    QString out;
    out.reserve(help.size());
    for (QChar c : help) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusText::formatDouble(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == 0)
        return "0";
    // Go's 'g' with the shortest precision: scientific when the decimal exponent is < -4 or
    // >= 6 (strconv's "eprec" for shortest formatting), fixed otherwise.
    char buffer[64];
    const auto scientific =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const char *e = std::find(buffer, scientific.ptr, 'e');
    int exponent = 0;
    std::from_chars(e + 1 + (e[1] == '+' ? 1 : 0), scientific.ptr, exponent);
    if (exponent < -4 || exponent >= 6)
        return QByteArray(buffer, scientific.ptr - buffer);
    const auto fixed = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return QByteArray(buffer, fixed.ptr - buffer);
}

QByteArray PrometheusText::render(const Registry &registry,
                                  const QList<std::pair<QString, QString>> &constantLabels)
{
    QByteArray constant; // `{instance="2"` without the closing brace, like openLabelSet's
    for (const auto &[name, value] : constantLabels)
        constant +=
            (constant.isEmpty() ? "{" : ",") + name.toUtf8() + "=\"" + escapeLabelValue(value).toUtf8() + '"';
    QByteArray out;
    LatencyHistogram scratch;
    for (const MetricFamily *family : registry.families()) {
        out += "# HELP " + family->name().toUtf8() + ' ' + escapeHelp(family->help()).toUtf8() + '\n';
        out += "# TYPE " + family->name().toUtf8() + ' ' + typeName(family->type()) + '\n';
        switch (family->type()) {
        case MetricType::Counter:
            for (const auto &entry : static_cast<const CounterFamily *>(family)->seriesList()) {
                appendSample(out, family->name(), "",
                             closeLabelSet(openLabelSet(constant, family->labelNames(), entry.labelValues)),
                             QByteArray::number(entry.series->value()));
            }
            break;
        case MetricType::Gauge:
            for (const auto &entry : static_cast<const GaugeFamily *>(family)->seriesList()) {
                appendSample(out, family->name(), "",
                             closeLabelSet(openLabelSet(constant, family->labelNames(), entry.labelValues)),
                             QByteArray::number(static_cast<qint64>(entry.series->value())));
            }
            break;
        case MetricType::Histogram:
            renderHistogram(out, *static_cast<const HistogramFamily *>(family), constant, scratch);
            break;
        }
    }
    return out;
}

} // namespace perflab::metrics
