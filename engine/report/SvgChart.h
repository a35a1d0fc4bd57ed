// SvgChart: one line chart as SVG text, written by hand so the engine needs no QtGui/QtSvg:
// title, y axis with nice ticks and a unit label, x axis in seconds since the run started,
// the phases as alternately shaded bands with dashed boundaries and their names on top,
// event markers (setting changes) with a <title> tooltip, lines (optionally dashed) that
// break at gaps, spikes above the axis (ChartScale's rule) clipped at the top edge and marked
// with a triangle and their true value, and a legend under the plot. Static, no script: it reads the same in
// a browser, an image viewer or inlined in report.html.
#pragma once

#include "engine/report/ChartScale.h"

#include <QString>

#include <optional>
#include <vector>

namespace perflab::report {

// Colour-blind-safe palette (Okabe & Ito, "Color Universal Design", also the default of
// several plotting libraries' accessible themes), in the order lines take them.
namespace Palette {
inline constexpr char Blue[] = "#0072B2";
inline constexpr char Orange[] = "#E69F00";
inline constexpr char Green[] = "#009E73";
inline constexpr char Vermillion[] = "#D55E00";
inline constexpr char Purple[] = "#CC79A7";
inline constexpr char SkyBlue[] = "#56B4E9";
} // namespace Palette

struct ChartLine
{
    QString label;
    QString colour;
    bool dashed = false;
    std::vector<ChartPoint> points; // x in seconds since the run start, in x order
};

struct ChartPhase
{
    QString name;
    double startS = 0;
    double endS = 0;
};

struct ChartMarker
{
    double x = 0;
    QString label;   // shown in the tooltip's first line
    QString tooltip; // e.g. the settings patch as JSON
};

// An x tick placed and labelled by the chart's maker rather than on nice numbers.
struct ChartTick
{
    double x = 0;
    QString label;
};

struct ChartSpec
{
    QString id; // used for element ids; [a-z0-9-]
    QString title;
    QString yLabel; // with its unit: "latency (ms)"
    QString yUnit;  // "ms", "/s", "%": the text of a clipped spike's mark ("↑ 182 ms")
    QString xLabel = QStringLiteral("time since start (s)");
    std::vector<ChartLine> lines;
    std::vector<ChartPhase> phases;
    std::vector<ChartMarker> markers;
    std::optional<double> yMax; // fixed top (e.g. 100 for %), else YScaleRule over the data
    // A log y axis: percentiles that differ by 10x (p50 0.3 ms, max 20 ms) all stay readable,
    // and halving any of them is the same step at any height.
    bool logY = false;
    double xMin = 0;
    double xMax = 0; // <= xMin: from the data
    // Fixed x ticks (a percentile spectrum's 90 %, 99 %, 99.9 % on its 1/(1 − p) axis); empty:
    // ticks on nice numbers of x.
    std::vector<ChartTick> xTicks;
    int width = 960;
    int height = 340;
    std::size_t maxPointsPerLine = 1500;
};

// The <svg> element (with xmlns, so the same text is a standalone file and inline HTML).
QString renderSvgChart(const ChartSpec &spec);
// The file form: an XML declaration, then renderSvgChart().
QString svgDocument(const ChartSpec &spec);

// The y top of a chart by the spec's fixed yMax or YScaleRule (before nice ticks), and the
// marks of the points above `axisTop`: the one computation behind the SVG and the QtCharts
// charts, so both clip and mark the same points. minGapX: marks closer merge into one.
double chartDataTop(const ChartSpec &spec);
// The y axis of a chart: niceTicks from 0, or logTicks from the lowest positive value.
AxisTicks chartYTicks(const ChartSpec &spec, double yMin, double dataTop, int targetTicks);
std::vector<SpikeMark> chartSpikes(const ChartSpec &spec, double axisTop, double minGapX);

} // namespace perflab::report
