// ChartScale: axis ranges and tick positions on "nice" numbers (1, 2, 2.5, 5 × 10^n, as
// Heckbert's Graphics Gems labelling and most charting libraries do), the y-scale rule every
// chart shares (live, SVG and QtCharts), and the min/max preserving downsampling that keeps
// long runs' charts light.
//
// The y-scale rule: a rare spike must not flatten the steady level. The axis reaches the
// largest value unless that is more than kSpikeFactor times the kBulkQuantile quantile of the
// non-zero values (zeros are left out: a level of 0 reads at any scale, and a mostly idle
// series' bursts are its signal, not noise); then it reaches kSpikeFactor times that
// quantile. So at most 5 % of the points can ever be cut off, the steady level fills at least
// a third of the plot, and a chart without spikes is scaled as before. Points above the
// axis are drawn clipped at the top edge and marked with their true value (SpikeFinder).
#pragma once

#include <QString>

#include <limits>
#include <vector>

namespace perflab::report {

struct AxisTicks
{
    double min = 0;
    double max = 1;
    double step = 1;
    std::vector<double> values; // min, min + step, ... max (log: 1, 2, 5 × 10^n)
    int decimals = 0;           // enough to tell adjacent ticks apart
    bool log = false;           // a logarithmic axis (labels drop trailing zeros)

    QString label(double value) const;
};

// Ticks covering [dataMin, dataMax] with about `targetTicks` intervals. An empty or flat
// range becomes [dataMin, dataMin + 1] (or [0, 1]); the range is widened to whole steps.
AxisTicks niceTicks(double dataMin, double dataMax, int targetTicks = 5);
// A log axis over [dataMin, dataMax] (both > 0): from the power of ten at or below dataMin to
// the nice number at or above dataMax, ticks at 1, 2 and 5 × 10^n.
AxisTicks logTicks(double dataMin, double dataMax);
// The nice number near `value`: round to the nearest of 1, 2, 2.5, 5, 10 (× 10^n) when
// `round`, else the smallest of them >= value. 1 for a value that is not positive and finite.
double niceNumber(double value, bool round);

inline constexpr double kBulkQuantile = 0.95;
inline constexpr double kSpikeFactor = 3.0;
// Fewer non-zero values than this have no "bulk" to speak of: the axis reaches the largest.
inline constexpr std::size_t kMinBulkValues = 20;

// The values one y axis shows (NaN and infinities ignored), and the top the rule gives them.
class YScaleRule
{
public:
    void clear();
    void add(double y)
    {
        if (!(y > 0) || y == std::numeric_limits<double>::infinity())
            return; // NaN, zero, negative: no part of the bulk (the axis starts at 0 anyway)
        m_values.push_back(y);
        if (y > m_max)
            m_max = y;
    }
    double largest() const { return m_max; }
    double smallest() const; // of the positive values; 0 without values
    // The data top the axis must reach (before rounding to nice ticks); 0 without values.
    // Reorders the values it holds.
    double top();

private:
    std::vector<double> m_values;
    double m_max = 0;
};

// A run of points above the axis top, marked at its highest point.
struct SpikeMark
{
    double x = 0;
    double value = 0;
    QString line; // the line it belongs to

    bool operator==(const SpikeMark &) const = default;
};

// Finds the clipped runs of the lines of one chart: feed each line's points in x order.
class SpikeFinder
{
public:
    explicit SpikeFinder(double axisTop) : m_top(axisTop) {}
    void beginLine(const QString &line);
    void add(double x, double y);
    // One mark per run above the top (NaN ends a run); marks closer than minGapX merged into
    // the highest; at most maxMarks (the highest ones), in x order.
    std::vector<SpikeMark> marks(double minGapX, std::size_t maxMarks = 8) const;

private:
    double m_top;
    QString m_line;
    bool m_inRun = false;
    std::vector<SpikeMark> m_marks;
};

// "↑ 182 ms": a mark's text, three significant digits.
QString spikeLabel(double value, const QString &unit);
// "max 182 ms at 3.2 s": a mark's tooltip.
QString spikeTooltip(const SpikeMark &mark, const QString &unit);

struct ChartPoint
{
    double x = 0;
    double y = 0; // NaN: a gap (no data in that interval)
};

// At most `maxPoints` points: the x range is cut into maxPoints / 2 equal buckets and each
// keeps its lowest and highest point in x order, so spikes survive (a p99 spike that plain
// averaging would hide still shows). Gaps (NaN) are kept as one NaN point per bucket that
// holds only gaps. Input in x order; returned unchanged when already small enough.
std::vector<ChartPoint> downsampleMinMax(const std::vector<ChartPoint> &points, std::size_t maxPoints);

} // namespace perflab::report
