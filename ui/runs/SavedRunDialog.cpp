// SavedRunDialog: see SavedRunDialog.h.
#include "ui/runs/SavedRunDialog.h"

#include "engine/report/ReportCharts.h"
#include "ui/charts/ReportChartView.h"
#include "ui/tables/ClaimsModel.h"
#include "ui/tables/PhaseComparisonModel.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace perflab::ui {

namespace {

QTableView *tableOf(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return view;
}

} // namespace

SavedRunDialog::SavedRunDialog(report::RunReport report, const QString &folder, QWidget *parent)
    : QDialog(parent), m_report(std::move(report))
{
    setObjectName(QStringLiteral("savedRunDialog"));
    setWindowTitle(QStringLiteral("Run: %1").arg(m_report.scenarioName));
    resize(1200, 850);
    auto *layout = new QVBoxLayout(this);
    auto *header =
        new QLabel(QStringLiteral("<b>%1</b> — started %2, %3 — %4<br>%5")
                       .arg(m_report.scenarioName.toHtmlEscaped(),
                            QDateTime::fromMSecsSinceEpoch(m_report.startedMs)
                                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                            m_report.outcomeText().toHtmlEscaped(), m_report.target.toHtmlEscaped(),
                            QDir::toNativeSeparators(folder).toHtmlEscaped()),
                   this);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_charts = new QTabWidget(splitter);
    for (const report::NamedChart &chart : report::reportCharts(m_report))
        m_charts->addTab(new ReportChartView(chart.spec, m_charts), chart.spec.title);
    auto *tables = new QTabWidget(splitter);
    m_phases = new PhaseComparisonModel(this);
    m_phases->setReport(m_report);
    m_claims = new ClaimsModel(this);
    m_claims->setReport(m_report);
    tables->addTab(tableOf(m_phases, tables), QStringLiteral("Phases"));
    tables->addTab(tableOf(m_claims, tables), QStringLiteral("Claims"));
    if (!m_report.claims.empty())
        tables->setCurrentIndex(1);
    splitter->addWidget(m_charts);
    splitter->addWidget(tables);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace perflab::ui
