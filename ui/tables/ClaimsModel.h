// ClaimsModel: a finished run's claims (the scenario's `expect`), one row each: whether it
// was verified, the sentence, the figures as `perflab run` prints them (report::ClaimText),
// the ratio (or the figure, for an absolute claim) and the bound.
//
// Roles: DisplayRole text, kSortRole the raw number (the compared figure; the status as
// 0 verified, 1 not verified, 2 not evaluated), ForegroundRole on the result (green
// verified, red not verified, grey not evaluated), ToolTipRole the whole line.
#pragma once

#include "engine/report/RunReport.h"

#include <QAbstractTableModel>

#include <vector>

namespace perflab::ui {

class ClaimsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Result, Claim, Figures, Compared, Bound, ColumnCount };

    explicit ClaimsModel(QObject *parent = nullptr);

    void setReport(const report::RunReport &report);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<report::ClaimResult> m_claims;
};

} // namespace perflab::ui
