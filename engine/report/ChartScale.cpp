// ChartScale: see the header.
#include "engine/report/ChartScale.h"

#include "engine/report/ReportFormat.h"

#include <algorithm>
#include <cmath>

namespace perflab::report {

QString AxisTicks::label(double value) const
{
    if (log)
        return formatNumber(value, decimals);
    if (std::abs(value) < step * 1e-9)
        value = 0; // -0.0 and rounding noise around zero
    return QString::number(value, 'f', decimals);
}

AxisTicks logTicks(double dataMin, double dataMax)
{
    AxisTicks ticks;
    ticks.log = true;
    if (!(dataMax > 0) || !std::isfinite(dataMax))
        dataMax = 1;
    if (!(dataMin > 0) || !std::isfinite(dataMin) || dataMin > dataMax)
        dataMin = dataMax / 10;
    // The floor: the largest of 1, 2, 5 × 10^n at or below the lowest value.
    const double decade = std::pow(10.0, std::floor(std::log10(dataMin) + 1e-9));
    ticks.min = decade;
    for (double factor : {2.0, 5.0}) {
        if (decade * factor <= dataMin * (1 + 1e-9))
            ticks.min = decade * factor;
    }
    ticks.max = niceNumber(dataMax, false);
    if (ticks.max <= ticks.min)
        ticks.max = niceNumber(ticks.min * 2, false);
    ticks.step = 0; // not evenly spaced
    ticks.decimals = std::max(0, int(-std::floor(std::log10(decade) + 1e-9)));
    for (double power = decade; power <= ticks.max * (1 + 1e-9); power *= 10) {
        for (double factor : {1.0, 2.0, 5.0}) {
            const double value = power * factor;
            if (value >= ticks.min * (1 - 1e-9) && value <= ticks.max * (1 + 1e-9))
                ticks.values.push_back(value);
        }
    }
    return ticks;
}

double YScaleRule::smallest() const
{
    return m_values.empty() ? 0.0 : *std::min_element(m_values.begin(), m_values.end());
}

double niceNumber(double value, bool round)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1.0;
    const double exponent = std::floor(std::log10(value));
    const double magnitude = std::pow(10.0, exponent);
    const double fraction = value / magnitude;
    double nice;
    if (round)
        nice = fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10;
    else
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
    return nice * magnitude;
}

AxisTicks niceTicks(double dataMin, double dataMax, int targetTicks)
{
    if (!std::isfinite(dataMin) || !std::isfinite(dataMax)) {
        dataMin = 0;
        dataMax = 1;
    }
    if (dataMax < dataMin)
        std::swap(dataMin, dataMax);
    if (dataMax - dataMin < 1e-12)
        dataMax = dataMin + (dataMin == 0 ? 1.0 : std::abs(dataMin) * 0.1);

    AxisTicks ticks;
    const double range = niceNumber(dataMax - dataMin, false);
    ticks.step = niceNumber(range / std::max(1, targetTicks), true);
    ticks.min = std::floor(dataMin / ticks.step + 1e-9) * ticks.step;
    ticks.max = std::ceil(dataMax / ticks.step - 1e-9) * ticks.step;
    // Decimals of the step (2.5 needs one more than its exponent says).
    const double stepExponent = std::floor(std::log10(ticks.step));
    ticks.decimals = std::max(0, int(-stepExponent));
    if (std::abs(ticks.step / std::pow(10.0, stepExponent) - 2.5) < 1e-9)
        ticks.decimals = std::max(ticks.decimals, int(-stepExponent) + 1);
    const int count = int(std::llround((ticks.max - ticks.min) / ticks.step));
    for (int i = 0; i <= count; ++i)
        ticks.values.push_back(ticks.min + i * ticks.step);
    return ticks;
}

void YScaleRule::clear()
{
    m_values.clear();
    m_max = 0;
}

double YScaleRule::top()
{
    if (m_values.size() < kMinBulkValues)
        return m_max;
    const auto rank = std::size_t(std::ceil(kBulkQuantile * double(m_values.size()))) - 1;
    std::nth_element(m_values.begin(), m_values.begin() + std::ptrdiff_t(rank), m_values.end());
    return std::min(m_max, kSpikeFactor * m_values[rank]);
}

void SpikeFinder::beginLine(const QString &line)
{
    m_line = line;
    m_inRun = false;
}

void SpikeFinder::add(double x, double y)
{
    if (!(y > m_top)) { // NaN too: a gap ends a run
        m_inRun = false;
        return;
    }
    if (m_inRun && y > m_marks.back().value) {
        m_marks.back().x = x;
        m_marks.back().value = y;
    } else if (!m_inRun) {
        m_marks.push_back({x, y, m_line});
    }
    m_inRun = true;
}

std::vector<SpikeMark> SpikeFinder::marks(double minGapX, std::size_t maxMarks) const
{
    std::vector<SpikeMark> sorted = m_marks;
    std::sort(sorted.begin(), sorted.end(), [](const SpikeMark &a, const SpikeMark &b) { return a.x < b.x; });
    std::vector<SpikeMark> merged;
    for (const SpikeMark &mark : sorted) {
        if (!merged.empty() && mark.x - merged.back().x < minGapX) {
            if (mark.value > merged.back().value)
                merged.back() = mark; // the cluster is marked at its highest point
            continue;
        }
        merged.push_back(mark);
    }
    if (merged.size() > maxMarks) {
        std::nth_element(merged.begin(), merged.begin() + std::ptrdiff_t(maxMarks), merged.end(),
                         [](const SpikeMark &a, const SpikeMark &b) { return a.value > b.value; });
        merged.resize(maxMarks);
        std::sort(merged.begin(), merged.end(),
                  [](const SpikeMark &a, const SpikeMark &b) { return a.x < b.x; });
    }
    return merged;
}

namespace {
QString threeDigits(double value)
{
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
    QString text = QString::number(value, 'f', decimals);
    if (text.contains(u'.')) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    return text;
}

QString withUnit(double value, const QString &unit)
{
    if (unit.isEmpty())
        return threeDigits(value);
    if (unit.startsWith(u'%') || unit.startsWith(u'/'))
        return threeDigits(value) + unit;
    return threeDigits(value) + QLatin1Char(' ') + unit;
}
} // namespace

QString spikeLabel(double value, const QString &unit)
{
    return QChar(0x2191) + QLatin1Char(' ') + withUnit(value, unit);
}

QString spikeTooltip(const SpikeMark &mark, const QString &unit)
{
    return QStringLiteral("%1 %2 at %3 s (above the axis)")
        .arg(mark.line, withUnit(mark.value, unit), threeDigits(mark.x));
}

std::vector<ChartPoint> downsampleMinMax(const std::vector<ChartPoint> &points, std::size_t maxPoints)
{
    if (points.size() <= maxPoints || maxPoints < 2)
        return points;
    const std::size_t buckets = maxPoints / 2;
    const double x0 = points.front().x;
    const double width = std::max(points.back().x - x0, 1e-12);
    std::vector<ChartPoint> result;
    result.reserve(maxPoints);

    std::size_t i = 0;
    for (std::size_t bucket = 0; bucket < buckets && i < points.size(); ++bucket) {
        const double bucketEnd = x0 + width * double(bucket + 1) / double(buckets);
        const ChartPoint *low = nullptr;
        const ChartPoint *high = nullptr;
        bool sawGap = false;
        for (; i < points.size() && (points[i].x <= bucketEnd || bucket + 1 == buckets); ++i) {
            const ChartPoint &p = points[i];
            if (std::isnan(p.y)) {
                sawGap = true;
                continue;
            }
            if (!low || p.y < low->y)
                low = &p;
            if (!high || p.y > high->y)
                high = &p;
        }
        if (!low) {
            if (sawGap)
                result.push_back({x0 + width * (double(bucket) + 0.5) / double(buckets), std::nan("")});
            continue;
        }
        if (low == high) {
            result.push_back(*low);
        } else if (low->x <= high->x) {
            result.push_back(*low);
            result.push_back(*high);
        } else {
            result.push_back(*high);
            result.push_back(*low);
        }
    }
    return result;
}

} // namespace perflab::report
