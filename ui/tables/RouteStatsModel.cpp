// RouteStatsModel: see the header.
#include "ui/tables/RouteStatsModel.h"

#include "engine/report/ReportFormat.h"
#include "ui/tables/TableRoles.h"

#include <QFont>
#include <QLocale>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace perflab::ui {

namespace {

const QString kNoData = u"–"_s;

bool isLatencyColumn(int column)
{
    return column >= RouteStatsModel::P50Ms && column <= RouteStatsModel::UncorrectedP99Ms;
}

template <typename Map> QString countsText(const Map &counts)
{
    QStringList lines;
    for (const auto &[key, count] : counts)
        lines.append(QStringLiteral("%1: %2").arg(key).arg(count));
    return lines.join(u'\n');
}

} // namespace

RouteStatsModel::RouteStatsModel(QObject *parent) : QAbstractTableModel(parent) {}

RouteStatsModel::Row RouteStatsModel::makeRow(const load::RouteStats &stats, double elapsedS, bool isTotal)
{
    Row row;
    row.route = stats.route;
    row.isTotal = isTotal;
    row.requests = report::requestCount(stats);
    row.requestsPerS = elapsedS > 0 ? double(row.requests) / elapsedS : 0;
    row.errors = stats.errorCount();
    row.errorPercent = report::errorRate(stats) * 100;
    row.corrected = report::summarizeLatency(stats.corrected);
    row.uncorrected = report::summarizeLatency(stats.uncorrected);
    row.lateSends = stats.lateSends;
    row.bytesReceived = stats.bytesReceived;
    row.statusCounts = stats.statusCounts;
    row.errorKinds = stats.errors;
    return row;
}

void RouteStatsModel::setSnapshot(const load::LoadSnapshot &snapshot, double elapsedS)
{
    std::vector<Row> rows;
    rows.reserve(snapshot.routes.size() + 1);
    for (const load::RouteStats &route : snapshot.routes)
        rows.push_back(makeRow(route, elapsedS, false));
    if (snapshot.routes.size() > 1)
        rows.push_back(makeRow(snapshot.total(), elapsedS, true));

    const bool sameRoutes = std::equal(rows.begin(), rows.end(), m_rows.begin(), m_rows.end(),
                                       [](const Row &a, const Row &b) { return a.route == b.route; });
    if (!sameRoutes) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty()) {
        // The route column keeps its text; everything after it may have moved.
        Q_EMIT dataChanged(index(0, Requests), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::DisplayRole, kSortRole, Qt::ToolTipRole});
    }
}

void RouteStatsModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString RouteStatsModel::routeAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)].route : QString();
}

int RouteStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RouteStatsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteStatsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case kSortRole:
        return sortValue(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::TextAlignmentRole:
        return index.column() == Route ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                       : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::FontRole:
        if (row.isTotal) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    default:
        return {};
    }
}

QVariant RouteStatsModel::displayText(const Row &row, int column) const
{
    if (isLatencyColumn(column)) {
        const report::LatencySummaryMs &summary =
            column == UncorrectedP99Ms ? row.uncorrected : row.corrected;
        if (summary.count == 0)
            return kNoData;
    }
    switch (column) {
    case Route:
        return row.route;
    case Requests:
        return QString::number(row.requests);
    case RequestsPerS:
        return report::formatNumber(row.requestsPerS, 1);
    case Errors:
        return QString::number(row.errors);
    case ErrorPercent:
        return QString(report::formatNumber(row.errorPercent, 2) + u"%"_s);
    case P50Ms:
        return report::formatMs(row.corrected.p50);
    case P90Ms:
        return report::formatMs(row.corrected.p90);
    case P99Ms:
        return report::formatMs(row.corrected.p99);
    case MaxMs:
        return report::formatMs(row.corrected.max);
    case UncorrectedP99Ms:
        return report::formatMs(row.uncorrected.p99);
    case LateSends:
        return QString::number(row.lateSends);
    case BytesReceived:
        return QLocale().formattedDataSize(qint64(row.bytesReceived));
    default:
        return {};
    }
}

QVariant RouteStatsModel::sortValue(const Row &row, int column) const
{
    if (isLatencyColumn(column)) {
        const report::LatencySummaryMs &summary =
            column == UncorrectedP99Ms ? row.uncorrected : row.corrected;
        if (summary.count == 0)
            return {};
    }
    switch (column) {
    case Route:
        return row.route;
    case Requests:
        return qulonglong(row.requests);
    case RequestsPerS:
        return row.requestsPerS;
    case Errors:
        return qulonglong(row.errors);
    case ErrorPercent:
        return row.errorPercent;
    case P50Ms:
        return row.corrected.p50;
    case P90Ms:
        return row.corrected.p90;
    case P99Ms:
        return row.corrected.p99;
    case MaxMs:
        return row.corrected.max;
    case UncorrectedP99Ms:
        return row.uncorrected.p99;
    case LateSends:
        return qulonglong(row.lateSends);
    case BytesReceived:
        return qulonglong(row.bytesReceived);
    default:
        return {};
    }
}

QVariant RouteStatsModel::toolTip(const Row &row, int column) const
{
    switch (column) {
    case Route:
        return row.isTotal ? u"All routes merged"_s : row.route;
    case Requests:
        return row.statusCounts.empty()
                   ? QVariant()
                   : QVariant(u"Responses by status:\n"_s + countsText(row.statusCounts));
    case Errors:
    case ErrorPercent:
        return row.errorKinds.empty() ? QVariant()
                                      : QVariant(u"Errors by kind:\n"_s + countsText(row.errorKinds));
    case UncorrectedP99Ms:
        if (row.uncorrected.count == 0)
            return {};
        return QStringLiteral("From the actual send: p50 %1 ms, p90 %2 ms, p99 %3 ms, max %4 ms")
            .arg(report::formatMs(row.uncorrected.p50), report::formatMs(row.uncorrected.p90),
                 report::formatMs(row.uncorrected.p99), report::formatMs(row.uncorrected.max));
    case BytesReceived:
        return QStringLiteral("%1 bytes").arg(row.bytesReceived);
    default:
        return {};
    }
}

QVariant RouteStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    struct Header
    {
        const char *title;
        const char *toolTip;
    };
    static constexpr Header headers[ColumnCount] = {
        {"route", "The request mix entry"},
        {"requests", "Responses plus requests that ended in a transport error"},
        {"req/s", "Requests per second since the run started"},
        {"errors", "Transport errors (connect, timeout, reset, protocol) and 4xx/5xx responses"},
        {"error %", "Errors per request"},
        {"p50 ms", "Median latency, from the intended send time (corrected for coordinated omission)"},
        {"p90 ms", "90th percentile latency, corrected"},
        {"p99 ms", "99th percentile latency, corrected"},
        {"max ms", "Highest latency, corrected"},
        {"p99 uncorr. ms", "99th percentile from the actual send: what a closed-loop tool would report"},
        {"late sends", "Open loop: requests sent more than 1 ms after their intended time"},
        {"bytes", "Response bytes received, head and body"},
    };
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromLatin1(headers[section].title);
    case Qt::ToolTipRole:
        return QString::fromLatin1(headers[section].toolTip);
    case Qt::TextAlignmentRole:
        return section == Route ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return QAbstractTableModel::headerData(section, orientation, role);
    }
}

} // namespace perflab::ui
