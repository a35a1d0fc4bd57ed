// CompareRunsDialog: see CompareRunsDialog.h.
#include "ui/runs/CompareRunsDialog.h"

#include "engine/compare/ComparisonFolder.h"
#include "engine/compare/RunComparison.h"
#include "ui/report/ComparisonExport.h"
#include "ui/runs/PercentileSpectrumView.h"
#include "ui/runs/RunComparisonModel.h"

#include <QApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace perflab::ui {

namespace {

QString describe(const QString &letter, const compare::SavedRun &run)
{
    return QStringLiteral("<b>%1</b>: %2, started %3 — %4")
        .arg(letter, run.scenarioName.toHtmlEscaped(), run.started,
             QDir::toNativeSeparators(run.folder).toHtmlEscaped());
}

} // namespace

CompareRunsDialog::CompareRunsDialog(compare::SavedRun a, compare::SavedRun b, QWidget *parent)
    : QDialog(parent), m_a(std::move(a)), m_b(std::move(b))
{
    setWindowTitle(QStringLiteral("Compare runs"));
    setObjectName(QStringLiteral("compareRunsDialog"));
    resize(1200, 800);
    auto *layout = new QVBoxLayout(this);
    auto *header = new QLabel(describe(QStringLiteral("A"), m_a) + QStringLiteral("<br>") +
                                  describe(QStringLiteral("B"), m_b),
                              this);
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
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(QStringLiteral("Export…"), QDialogButtonBox::ActionRole);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setToolTip(
        QStringLiteral("Write comparison.html, comparison.json, comparison.pdf and the charts "
                       "(SVG and PNG) into a folder"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        // Beside the runs by default: the reports folder the window keeps them in.
        const QString suggested =
            QDir(QFileInfo(m_b.folder).absolutePath())
                .filePath(QStringLiteral("comparison-%1")
                              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
        const QString dir = QFileDialog::getSaveFileName(
            this, QStringLiteral("Export the comparison to a new folder"), suggested);
        if (!dir.isEmpty())
            exportTo(dir);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRow(current.row()); });
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
}

std::optional<QString> CompareRunsDialog::exportTo(const QString &dir)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const std::optional<QString> error =
        exportComparison(compare::makeComparison(m_a, m_b, std::nullopt), dir);
    QApplication::restoreOverrideCursor();
    m_status->setText(error ? QStringLiteral("<span style=\"color:#b03000\">Export failed: %1</span>")
                                  .arg(error->toHtmlEscaped())
                            : QStringLiteral("Comparison written to %1")
                                  .arg(QDir::toNativeSeparators(QDir(dir).absolutePath()).toHtmlEscaped()));
    m_status->show();
    return error;
}

void CompareRunsDialog::showRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const compare::ComparisonRow &r = m_model->row(row);
    const metrics::LatencyHistogram empty;
    m_spectra->setHistograms(
        r.a ? r.a->corrected : empty, QStringLiteral("A"), r.b ? r.b->corrected : empty, QStringLiteral("B"),
        QStringLiteral("Latency by percentile: phase '%1', %2 (corrected)").arg(r.phase, r.route));
}

} // namespace perflab::ui
