// RouteStatsModel: the live per-route statistics of a load run as a table, one row per route
// (request mix entry) in mix order, then an "all" row merging them when there are two routes
// or more (one route is its own total).
//
// setSnapshot() is called 5-10 times a second with the cumulative LoadSnapshot. With the same
// routes as before it only emits dataChanged, so a view's selection, scroll position and sort
// survive the refresh; a different mix resets the model. The model keeps the figures of each
// row, not the snapshot (a snapshot holds two histograms per route).
//
// Roles: DisplayRole formatted text ("–" where there is no sample yet), kSortRole the raw
// number (TableRoles.h), TextAlignmentRole right for numbers, ToolTipRole the status counts
// (requests column), the error kinds (errors columns) and the uncorrected summary.
#pragma once

#include "engine/report/ReportStats.h"

#include <QAbstractTableModel>

#include <map>
#include <vector>

namespace perflab::ui {

class RouteStatsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Route,
        Requests,
        RequestsPerS,
        Errors,
        ErrorPercent,
        P50Ms,
        P90Ms,
        P99Ms,
        MaxMs, // corrected
        UncorrectedP99Ms,
        LateSends,
        BytesReceived,
        ColumnCount
    };

    explicit RouteStatsModel(QObject *parent = nullptr);

    // `elapsedS`: the seconds the snapshot's counts span (for req/s); <= 0 shows no rate.
    void setSnapshot(const load::LoadSnapshot &snapshot, double elapsedS);
    void clear();

    // The route name of a row ("all" for the total row).
    QString routeAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString route;
        bool isTotal = false;
        std::uint64_t requests = 0;
        double requestsPerS = 0;
        std::uint64_t errors = 0;
        double errorPercent = 0;
        report::LatencySummaryMs corrected;
        report::LatencySummaryMs uncorrected;
        std::uint64_t lateSends = 0;
        std::uint64_t bytesReceived = 0;
        std::map<int, std::uint64_t> statusCounts;
        std::map<QString, std::uint64_t> errorKinds;
    };
    static Row makeRow(const load::RouteStats &stats, double elapsedS, bool isTotal);
    QVariant displayText(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;

    std::vector<Row> m_rows;
};

} // namespace perflab::ui
