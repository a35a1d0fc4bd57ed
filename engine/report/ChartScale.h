// ChartScale: axis ranges and tick positions on "nice" numbers (1, 2, 2.5, 5 × 10^n, as
// Heckbert's Graphics Gems labelling and most charting libraries do), and the min/max
// preserving downsampling that keeps long runs' charts light.
#pragma once

#include <QString>

#include <vector>

namespace perflab::report {

struct AxisTicks
{
    double min = 0;
    double max = 1;
    double step = 1;
    std::vector<double> values; // min, min + step, ... max
    int decimals = 0;           // enough to tell adjacent ticks apart

    QString label(double value) const;
};

// Ticks covering [dataMin, dataMax] with about `targetTicks` intervals. An empty or flat
// range becomes [dataMin, dataMin + 1] (or [0, 1]); the range is widened to whole steps.
AxisTicks niceTicks(double dataMin, double dataMax, int targetTicks = 5);
// The nice number near `value`: round to the nearest of 1, 2, 2.5, 5, 10 (× 10^n) when
// `round`, else the smallest of them >= value.
double niceNumber(double value, bool round);

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
