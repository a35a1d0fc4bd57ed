// RunComparisonModel: two saved runs side by side (compare::compareRuns), a row per phase and
// route: each figure's cell reads "A → B (change)" and is coloured like the Phases tab — green
// when B is better, red when worse, by compare::deltaVerdict (ComparisonFigures.h, the rule
// comparison.html and comparison.pdf colour by too). Rows only one run has say so.
#pragma once

#include "engine/compare/ComparisonFigures.h"
#include "engine/compare/RunComparison.h"
#include "engine/report/ReportStats.h"

#include <QAbstractTableModel>

#include <vector>

namespace perflab::ui {

class RunComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Phase, Route, RequestsPerS, P50Ms, P90Ms, P99Ms, P999Ms, MaxMs, ErrorRate, ColumnCount };
    static constexpr int kVerdictRole = Qt::UserRole + 1;
    static constexpr double kSameBelowPercent = compare::kSameBelowPercent;

    explicit RunComparisonModel(QObject *parent = nullptr);

    void setRows(std::vector<compare::ComparisonRow> rows);
    const compare::ComparisonRow &row(int index) const { return m_rows.at(std::size_t(index)); }
    // The verdict of one cell (Same for rows only one run has and for the text columns).
    report::ChangeVerdict verdict(int row, int column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<compare::ComparisonRow> m_rows;
};

} // namespace perflab::ui
