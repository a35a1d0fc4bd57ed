// RunsPanel: see RunsPanel.h.
#include "ui/panels/RunsPanel.h"

#include "engine/compare/SavedRun.h"
#include "ui/runs/CompareRunsDialog.h"
#include "ui/runs/RunsModel.h"
#include "ui/tables/TableRoles.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace perflab::ui {

RunsPanel::RunsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_model = new RunsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kSortRole);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("runsTable"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // newest first, as listed
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_view, 1);
    auto *buttons = new QHBoxLayout;
    m_compare = new QPushButton(QStringLiteral("Compare the two selected"), this);
    m_compare->setObjectName(QStringLiteral("compareRuns"));
    m_openFolder = new QPushButton(QStringLiteral("Open folder"), this);
    auto *refreshButton = new QPushButton(QStringLiteral("Refresh"), this);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_openFolder);
    buttons->addStretch(1);
    buttons->addWidget(refreshButton);
    layout->addLayout(buttons);
    connect(m_compare, &QPushButton::clicked, this, [this] {
        if (CompareRunsDialog *dialog = compareSelected())
            dialog->show();
    });
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (rows.size() == 1)
            QDesktopServices::openUrl(QUrl::fromLocalFile(m_model->entry(rows.first()).folder));
    });
    connect(refreshButton, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const compare::SavedRunEntry &entry = m_model->entry(m_proxy->mapToSource(index).row());
        if (entry.error.isEmpty())
            Q_EMIT openRequested(entry.folder);
        else
            Q_EMIT problem(QStringLiteral("The run could not be read: %1").arg(entry.error));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPanel::updateButtons);
    updateButtons();
}

void RunsPanel::setReportsDir(const QString &dir)
{
    m_dir = dir;
    refresh();
}

void RunsPanel::refresh()
{
    m_model->setEntries(m_dir.isEmpty() ? std::vector<compare::SavedRunEntry>{}
                                        : compare::listSavedRuns(m_dir));
    updateButtons();
}

void RunsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh(); // a run saved from another window or by `perflab run --out` into the folder
}

QList<int> RunsPanel::selectedRows() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index).row());
    return rows;
}

void RunsPanel::updateButtons()
{
    const QList<int> rows = selectedRows();
    const bool readable = std::all_of(rows.cbegin(), rows.cend(),
                                      [this](int row) { return m_model->entry(row).error.isEmpty(); });
    m_compare->setEnabled(rows.size() == 2 && readable);
    m_openFolder->setEnabled(rows.size() == 1);
}

CompareRunsDialog *RunsPanel::compareSelected()
{
    QList<int> rows = selectedRows();
    if (rows.size() != 2) {
        Q_EMIT problem(QStringLiteral("Select two runs to compare (Ctrl+click the second)."));
        return nullptr;
    }
    // The older run is A: a change reads as "since last time".
    std::sort(rows.begin(), rows.end(),
              [this](int x, int y) { return m_model->entry(x).started < m_model->entry(y).started; });
    std::vector<compare::SavedRun> runs;
    for (int row : rows) {
        auto loaded = compare::loadSavedRun(m_model->entry(row).folder);
        if (auto *error = std::get_if<QString>(&loaded)) {
            Q_EMIT problem(QStringLiteral("The run could not be read: %1").arg(*error));
            return nullptr;
        }
        runs.push_back(std::move(std::get<compare::SavedRun>(loaded)));
    }
    auto *dialog = new CompareRunsDialog(std::move(runs[0]), std::move(runs[1]), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

} // namespace perflab::ui
