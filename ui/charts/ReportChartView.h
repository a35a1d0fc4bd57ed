// ReportChartView: a widget showing one report chart (a QChartView over ChartBuilder's QChart)
// with the one export every chart widget has: saveAs() writes SVG through
// QSvgGenerator or PNG, by the path's suffix. The export is drawn at ChartRender's fixed
// 1200x500 rather than grabbed at the widget's current size, so a file saved from a small
// window matches the one `perflab run` writes.
#pragma once

#include "engine/report/ReportCharts.h"
#include "engine/report/SvgChart.h"

#include <QString>
#include <QWidget>

#include <optional>

class QChartView;

namespace perflab::ui {

class ReportChartView : public QWidget
{
    Q_OBJECT

public:
    explicit ReportChartView(QWidget *parent = nullptr);
    explicit ReportChartView(report::ChartSpec spec, QWidget *parent = nullptr);

    // The chart named like ReportCharts' files ("latency", "throughput", "cache-hit-rate",
    // "slow-queries", with or without ".svg"), nullopt when the run has no such chart.
    static std::optional<report::ChartSpec> reportChart(const report::RunReport &report, const QString &name);

    void setSpec(report::ChartSpec spec); // rebuilds the chart (live data: call again)
    const report::ChartSpec &spec() const { return m_spec; }
    QChartView *chartView() const { return m_view; }

    // PNG or SVG by suffix; false with *error (when given) naming the path on failure.
    bool saveAs(const QString &path, QString *error = nullptr) const;

private:
    report::ChartSpec m_spec;
    QChartView *m_view = nullptr;
};

} // namespace perflab::ui
