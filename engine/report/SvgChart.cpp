// SvgChart: the SVG text of one chart. Layout, top to bottom: title, the phase names over
// their bands, the plot (grid, bands, lines, event markers), x ticks and label, legend.
// Text widths are estimated (no font metrics without QtGui): 6.2 px per character at 11 px
// sans-serif is a safe upper bound for Latin text, used to truncate phase names to their
// band and to space the legend.
#include "engine/report/SvgChart.h"

#include "engine/report/ReportFormat.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace perflab::report {

namespace {

constexpr double kCharWidth = 6.2;
constexpr double kLeft = 64, kRight = 20, kTop = 46, kBottom = 74;

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}
QString num(double value)
{
    return formatNumber(value, 1);
}

struct Frame
{
    double left, top, width, height;
    double xMin, xMax, yMin, yMax;
    bool log = false;
    double px(double x) const { return left + (x - xMin) / (xMax - xMin) * width; }
    double py(double y) const
    {
        if (log) // a value under the axis (0 µs) sits on its floor
            return top + height - std::log10(std::max(y, yMin) / yMin) / std::log10(yMax / yMin) * height;
        return top + height - (y - yMin) / (yMax - yMin) * height;
    }
    double bottom() const { return top + height; }
    double right() const { return left + width; }
};

QString truncated(const QString &text, double widthPx)
{
    const auto fits = static_cast<qsizetype>(std::floor(widthPx / kCharWidth));
    if (text.size() <= fits)
        return text;
    if (fits < 2)
        return {};
    return text.left(fits - 1) + QChar(0x2026); // …
}

void dataRange(const ChartSpec &spec, double &xMin, double &xMax, double &yMin, double &yMax)
{
    xMin = std::numeric_limits<double>::infinity();
    xMax = -xMin;
    yMin = 0;
    for (const ChartLine &line : spec.lines) {
        for (const ChartPoint &p : line.points) {
            xMin = std::min(xMin, p.x);
            xMax = std::max(xMax, p.x);
            if (std::isfinite(p.y))
                yMin = std::min(yMin, p.y);
        }
    }
    for (const ChartPhase &phase : spec.phases) {
        xMin = std::min(xMin, phase.startS);
        xMax = std::max(xMax, phase.endS);
    }
    if (spec.xMax > spec.xMin) {
        xMin = spec.xMin;
        xMax = spec.xMax;
    }
    if (!std::isfinite(xMin) || !std::isfinite(xMax) || xMax <= xMin) {
        xMin = 0;
        xMax = std::isfinite(xMax) && xMax > 0 ? xMax : 1;
    }
    yMax = chartDataTop(spec);
}

void writePhases(QString &svg, const ChartSpec &spec, const Frame &f)
{
    for (std::size_t i = 0; i < spec.phases.size(); ++i) {
        const ChartPhase &phase = spec.phases[i];
        const double x0 = f.px(std::clamp(phase.startS, f.xMin, f.xMax));
        const double x1 = f.px(std::clamp(phase.endS, f.xMin, f.xMax));
        if (x1 <= x0)
            continue;
        svg += QStringLiteral("<g class=\"phase\"><title>%1</title>").arg(esc(phase.name));
        if (i % 2 == 1) // every other band shaded: neighbours stay apart without a legend
            svg +=
                QStringLiteral(
                    "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#000\" fill-opacity=\"0.045\"/>")
                    .arg(num(x0), num(f.top), num(x1 - x0), num(f.height));
        if (x0 > f.left + 0.5)
            svg +=
                QStringLiteral(
                    "<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#666\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>")
                    .arg(num(x0), num(f.top - 14), num(f.bottom()));
        const QString label = truncated(phase.name, x1 - x0 - 8);
        if (!label.isEmpty())
            svg += QStringLiteral("<text x=\"%1\" y=\"%2\" fill=\"#333\" font-size=\"11\">%3</text>")
                       .arg(num(x0 + 4), num(f.top - 5), esc(label));
        svg += QStringLiteral("</g>\n");
    }
}

void writeAxes(QString &svg, const ChartSpec &spec, const Frame &f, const AxisTicks &yTicks,
               const std::vector<ChartTick> &xTicks)
{
    svg += QStringLiteral("<g class=\"y-axis\" font-size=\"11\" fill=\"#333\" text-anchor=\"end\">\n");
    for (double value : yTicks.values) {
        const double y = f.py(value);
        svg +=
            QStringLiteral(
                "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\" stroke-width=\"1\"/>"
                "<text x=\"%4\" y=\"%5\">%6</text>\n")
                .arg(num(f.left), num(y), num(f.right()), num(f.left - 6), num(y + 4), yTicks.label(value));
    }
    svg += QStringLiteral(
               "<text transform=\"translate(14 %1) rotate(-90)\" text-anchor=\"middle\">%2</text>\n</g>\n")
               .arg(num(f.top + f.height / 2), esc(spec.yLabel));

    svg += QStringLiteral("<g class=\"x-axis\" font-size=\"11\" fill=\"#333\" text-anchor=\"middle\">\n");
    svg +=
        QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#333\" stroke-width=\"1\"/>\n")
            .arg(num(f.left), num(f.bottom()), num(f.right()));
    for (const ChartTick &tick : xTicks) {
        if (tick.x < f.xMin - 1e-9 || tick.x > f.xMax + 1e-9)
            continue;
        const double x = f.px(tick.x);
        svg += QStringLiteral(
                   "<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#333\" stroke-width=\"1\"/>"
                   "<text x=\"%1\" y=\"%4\">%5</text>\n")
                   .arg(num(x), num(f.bottom()), num(f.bottom() + 4), num(f.bottom() + 16), esc(tick.label));
    }
    svg += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text>\n</g>\n")
               .arg(num(f.left + f.width / 2), num(f.bottom() + 33), esc(spec.xLabel));
}

QString pathData(const std::vector<ChartPoint> &points, const Frame &f)
{
    QString d;
    bool penDown = false;
    for (const ChartPoint &p : points) {
        if (!std::isfinite(p.y)) {
            penDown = false;
            continue;
        }
        d += QChar(penDown ? u'L' : u'M');
        d += num(f.px(p.x));
        d += QLatin1Char(',');
        d += num(f.py(p.y));
        penDown = true;
    }
    return d;
}

void writeLines(QString &svg, const ChartSpec &spec, const Frame &f)
{
    svg += QStringLiteral("<g class=\"lines\" clip-path=\"url(#%1-clip)\" fill=\"none\" stroke-width=\"1.6\" "
                          "stroke-linejoin=\"round\">\n")
               .arg(spec.id);
    for (const ChartLine &line : spec.lines) {
        const QString d = pathData(downsampleMinMax(line.points, spec.maxPointsPerLine), f);
        if (d.isEmpty())
            continue;
        svg += QStringLiteral("<path stroke=\"%1\"%2 d=\"%3\"><title>%4</title></path>\n")
                   .arg(line.colour, line.dashed ? QStringLiteral(" stroke-dasharray=\"6 4\"") : QString(), d,
                        esc(line.label));
    }
    svg += QStringLiteral("</g>\n");
}

void writeMarkers(QString &svg, const ChartSpec &spec, const Frame &f)
{
    for (const ChartMarker &marker : spec.markers) {
        if (marker.x < f.xMin || marker.x > f.xMax)
            continue;
        const double x = f.px(marker.x);
        const double y = f.bottom();
        svg += QStringLiteral(
                   "<g class=\"event\"><title>%1</title>"
                   "<line x1=\"%2\" y1=\"%3\" x2=\"%2\" y2=\"%4\" stroke=\"#555\" stroke-opacity=\"0.5\" "
                   "stroke-dasharray=\"1 2\"/>"
                   "<path d=\"M%2,%4l-4.5,7h9z\" fill=\"#555\"/></g>\n")
                   .arg(esc(marker.tooltip.isEmpty()
                                ? marker.label
                                : QString(marker.label + QLatin1Char('\n') + marker.tooltip)),
                        num(x), num(f.top), num(y - 7));
    }
}

// A triangle on the top edge over each clipped spike, its true value beside it (inside the
// plot, on a white halo so a line under it does not garble it), the detail as a tooltip.
void writeSpikes(QString &svg, const ChartSpec &spec, const Frame &f)
{
    const std::vector<SpikeMark> spikes = chartSpikes(spec, f.yMax, (f.xMax - f.xMin) * 90.0 / f.width);
    if (spikes.empty())
        return;
    svg += QStringLiteral("<g class=\"spikes\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\">\n");
    for (const SpikeMark &spike : spikes) {
        const double x = f.px(spike.x);
        const QString label = spikeLabel(spike.value, spec.yUnit);
        const bool leftOfMark = x + 8 + double(label.size()) * kCharWidth > f.right();
        svg += QStringLiteral("<g class=\"spike\"><title>%1</title><path d=\"M%2,%3l-5,8h10z\"/>"
                              "<text x=\"%4\" y=\"%5\" text-anchor=\"%6\" stroke=\"#fff\" stroke-width=\"3\" "
                              "paint-order=\"stroke\">%7</text></g>\n")
                   .arg(esc(spikeTooltip(spike, spec.yUnit)), num(x), num(f.top + 1),
                        num(leftOfMark ? x - 8 : x + 8), num(f.top + 10),
                        leftOfMark ? QStringLiteral("end") : QStringLiteral("start"), esc(label));
    }
    svg += QStringLiteral("</g>\n");
}

void writeLegend(QString &svg, const ChartSpec &spec, const Frame &f)
{
    double x = f.left;
    const double y = f.bottom() + 54;
    svg += QStringLiteral("<g class=\"legend\" font-size=\"11\" fill=\"#333\">\n");
    for (const ChartLine &line : spec.lines) {
        svg += QStringLiteral(
                   "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" stroke-width=\"2.5\"%5/>"
                   "<text x=\"%6\" y=\"%7\">%8</text>\n")
                   .arg(num(x), num(y), num(x + 22), line.colour,
                        line.dashed ? QStringLiteral(" stroke-dasharray=\"6 4\"") : QString(), num(x + 27),
                        num(y + 4), esc(line.label));
        x += 27 + double(line.label.size()) * kCharWidth + 18;
    }
    if (!spec.markers.empty()) {
        svg +=
            QStringLiteral(
                "<path d=\"M%1,%2l-4.5,7h9z\" fill=\"#555\"/><text x=\"%3\" y=\"%4\">setting change</text>\n")
                .arg(num(x + 6), num(y - 4), num(x + 16), num(y + 4));
    }
    svg += QStringLiteral("</g>\n");
}

bool hasData(const ChartSpec &spec)
{
    return std::any_of(spec.lines.begin(), spec.lines.end(), [](const ChartLine &line) {
        return std::any_of(line.points.begin(), line.points.end(),
                           [](const ChartPoint &p) { return std::isfinite(p.y); });
    });
}

} // namespace

QString renderSvgChart(const ChartSpec &spec)
{
    Frame f{kLeft, kTop, spec.width - kLeft - kRight, spec.height - kTop - kBottom, 0, 1, 0, 1};
    dataRange(spec, f.xMin, f.xMax, f.yMin, f.yMax);
    const AxisTicks yTicks = chartYTicks(spec, f.yMin, f.yMax, 5);
    f.yMin = yTicks.min;
    f.yMax = yTicks.max;
    f.log = yTicks.log;
    std::vector<ChartTick> xTicks = spec.xTicks;
    if (xTicks.empty()) {
        const int xTargetTicks = std::max(2, int(f.width / 90));
        const AxisTicks nice = niceTicks(f.xMin, f.xMax, xTargetTicks);
        for (double value : nice.values)
            xTicks.push_back({value, nice.label(value)});
    }

    QString svg;
    svg.reserve(64 * 1024);
    svg +=
        QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-%1\" width=\"%2\" height=\"%3\" "
                       "viewBox=\"0 0 %2 %3\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                       "role=\"img\" aria-label=\"%4\">\n")
            .arg(spec.id)
            .arg(spec.width)
            .arg(spec.height)
            .arg(esc(spec.title));
    svg += QStringLiteral("<title>%1</title>\n").arg(esc(spec.title));
    svg +=
        QStringLiteral("<defs><clipPath id=\"%1-clip\"><rect x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"/>"
                       "</clipPath></defs>\n")
            .arg(spec.id, num(f.left), num(f.top - 1), num(f.width), num(f.height + 2));
    svg += QStringLiteral("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    svg += QStringLiteral(
               "<text x=\"%1\" y=\"18\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">%2</text>\n")
               .arg(num(f.left), esc(spec.title));
    writePhases(svg, spec, f);
    writeAxes(svg, spec, f, yTicks, xTicks);
    if (hasData(spec)) {
        writeLines(svg, spec, f);
    } else {
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"13\" fill=\"#888\" text-anchor=\"middle\">"
                              "no data</text>\n")
                   .arg(num(f.left + f.width / 2), num(f.top + f.height / 2));
    }
    writeMarkers(svg, spec, f);
    writeSpikes(svg, spec, f);
    writeLegend(svg, spec, f);
    svg += QStringLiteral("</svg>\n");
    return svg;
}

double chartDataTop(const ChartSpec &spec)
{
    if (spec.yMax)
        return *spec.yMax;
    YScaleRule rule;
    for (const ChartLine &line : spec.lines) {
        for (const ChartPoint &p : line.points)
            rule.add(p.y);
    }
    return rule.top();
}

AxisTicks chartYTicks(const ChartSpec &spec, double yMin, double dataTop, int targetTicks)
{
    if (!spec.logY)
        return niceTicks(yMin, dataTop, targetTicks);
    double lowest = std::numeric_limits<double>::infinity();
    for (const ChartLine &line : spec.lines) {
        for (const ChartPoint &p : line.points) {
            if (p.y > 0 && p.y < lowest)
                lowest = p.y;
        }
    }
    return logTicks(std::isfinite(lowest) ? lowest : dataTop / 10, dataTop);
}

std::vector<SpikeMark> chartSpikes(const ChartSpec &spec, double axisTop, double minGapX)
{
    SpikeFinder finder(axisTop);
    for (const ChartLine &line : spec.lines) {
        finder.beginLine(line.label);
        for (const ChartPoint &p : line.points)
            finder.add(p.x, p.y);
    }
    return finder.marks(minGapX);
}

QString svgDocument(const ChartSpec &spec)
{
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") + renderSvgChart(spec);
}

} // namespace perflab::report
