// ReportChartView: see the header.
#include "ui/charts/ReportChartView.h"

#include "ui/charts/ChartBuilder.h"
#include "ui/charts/ChartRender.h"

#include <QChartView>
#include <QVBoxLayout>

namespace perflab::ui {

ReportChartView::ReportChartView(QWidget *parent) : QWidget(parent), m_view(new QChartView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_view->setRenderHint(QPainter::Antialiasing);
    setMinimumSize(480, 240);
}

ReportChartView::ReportChartView(report::ChartSpec spec, QWidget *parent) : ReportChartView(parent)
{
    setSpec(std::move(spec));
}

std::optional<report::ChartSpec> ReportChartView::reportChart(const report::RunReport &report,
                                                              const QString &name)
{
    QString fileName = name;
    if (!fileName.endsWith(QLatin1String(".svg")))
        fileName += QLatin1String(".svg");
    for (report::NamedChart &chart : report::reportCharts(report)) {
        if (chart.fileName == fileName)
            return std::move(chart.spec);
    }
    return std::nullopt;
}

void ReportChartView::setSpec(report::ChartSpec spec)
{
    m_spec = std::move(spec);
    QChart *previous = m_view->chart();
    // setChart() hands the chart to the view's scene; the view does not delete the one it
    // replaces, so that is done here.
    m_view->setChart(buildChart(m_spec).release());
    delete previous;
}

bool ReportChartView::saveAs(const QString &path, QString *error) const
{
    const std::optional<QString> failure = saveChart(m_spec, path);
    if (failure && error)
        *error = *failure;
    return !failure;
}

} // namespace perflab::ui
