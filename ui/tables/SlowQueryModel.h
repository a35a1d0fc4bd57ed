// SlowQueryModel: the lab's slow-query log (db::SlowQueryLog::worstFirst()) as a table, one
// row per statement fingerprint.
//
// setEntries() is called with each fresh worstFirst() list. Rows are kept by fingerprint:
// a fingerprint still listed updates its row in place (dataChanged), one no longer listed
// (evicted, or the log cleared) is removed, a new one is appended. So a selected row stays
// selected while its figures grow, and the order is first-seen; views sort through a proxy
// (TablesPanel sorts by total time, worst first).
//
// Roles: DisplayRole text, kSortRole the raw number (last at: ms since the epoch),
// TextAlignmentRole right for numbers, ToolTipRole the example statement on every cell of
// the row (it is long; the Example column shows it on one line).
#pragma once

#include "engine/db/SlowQueryLog.h"

#include <QAbstractTableModel>

#include <vector>

namespace perflab::ui {

class SlowQueryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Fingerprint, Count, TotalMs, MaxMs, MeanMs, LastAt, Failed, Example, ColumnCount };

    explicit SlowQueryModel(QObject *parent = nullptr);

    void setEntries(const std::vector<db::SlowQueryEntry> &entries);
    void clear();

    const db::SlowQueryEntry &entryAt(int row) const { return m_entries[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void removeRowsMissingFrom(const std::vector<db::SlowQueryEntry> &entries);

    std::vector<db::SlowQueryEntry> m_entries;
};

} // namespace perflab::ui
