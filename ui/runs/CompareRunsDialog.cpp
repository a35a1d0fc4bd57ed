// CompareRunsDialog: see CompareRunsDialog.h.
#include "runs/CompareRunsDialog.h"

#include "compare/RunComparison.h"
#include "runs/PercentileSpectrumView.h"
#include "runs/RunComparisonModel.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace perflab::ui {

namespace {

QString describe(const QString &letter, const compare::SavedRun &run)
{
    return QStringLiteral("<b>%1</b>: %2, started %3 — %4")
        .arg(letter, run.scenarioName.toHtmlEscaped(), run.started, QDir::toNativeSeparators(run.folder).toHtmlEscaped());
}

} // namespace

CompareRunsDialog::CompareRunsDialog(compare::SavedRun a, compare::SavedRun b, QWidget *parent)
    : QDialog(parent), m_a(std::move(a)), m_b(std::move(b))
{
    setWindowTitle(QStringLiteral("Compare runs"));
    setObjectName(QStringLiteral("compareRunsDialog"));
    resize(1200, 800);
    auto *layout = new QVBoxLayout(this);
    auto *header = new QLabel(describe(QStringLiteral("A"), m_a) + QStringLiteral("<br>") + describe(QStringLiteral("B"), m_b), this);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_model = new RunComparisonModel(this);
    m_model->setRows(compare::compareRuns(m_a, m_b));
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_spectra = new PercentileSpectrumView(splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_spectra);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRow(current.row()); });
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
}

void CompareRunsDialog::showRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const compare::ComparisonRow &r = m_model->row(row);
    const metrics::LatencyHistogram empty;
    m_spectra->setHistograms(r.a ? r.a->corrected : empty, QStringLiteral("A"), r.b ? r.b->corrected : empty,
                             QStringLiteral("B"),
                             QStringLiteral("Latency by percentile: phase '%1', %2 (corrected)").arg(r.phase, r.route));
}

} // namespace perflab::ui
