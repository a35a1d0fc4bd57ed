// RunsModel: the runs kept in the reports folder (compare::listSavedRuns), a row each, newest
// first: when, scenario, verdict, phases, duration, rate, p99 — what tells two runs apart when
// picking them to compare. A folder that could not be read shows its reason in the scenario
// column and cannot be compared.
#pragma once

#include "engine/compare/SavedRunList.h"

#include <QAbstractTableModel>

#include <vector>

namespace perflab::ui {

class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Started, Scenario, Verdict, Phases, DurationS, RequestsPerS, P99Ms, Folder, ColumnCount };

    explicit RunsModel(QObject *parent = nullptr);

    void setEntries(std::vector<compare::SavedRunEntry> entries);
    const compare::SavedRunEntry &entry(int row) const { return m_entries.at(std::size_t(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<compare::SavedRunEntry> m_entries;
};

} // namespace perflab::ui
