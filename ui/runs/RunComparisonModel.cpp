// RunComparisonModel: see RunComparisonModel.h.
#include "runs/RunComparisonModel.h"

#include "tables/PhaseComparisonModel.h"
#include "tables/TableRoles.h"

#include <QLocale>

namespace perflab::ui {

namespace {

using compare::RouteFigures;

double figure(const RouteFigures &f, int column)
{
    switch (column) {
    case RunComparisonModel::RequestsPerS: return f.requestsPerS;
    case RunComparisonModel::P50Ms: return f.p50Ms;
    case RunComparisonModel::P90Ms: return f.p90Ms;
    case RunComparisonModel::P99Ms: return f.p99Ms;
    case RunComparisonModel::P999Ms: return f.p999Ms;
    case RunComparisonModel::MaxMs: return f.maxMs;
    case RunComparisonModel::ErrorRate: return 100.0 * f.errorRate;
    default: return 0;
    }
}

QString text(double value, int column)
{
    const QLocale locale;
    if (column == RunComparisonModel::RequestsPerS)
        return locale.toString(value, 'f', 1);
    if (column == RunComparisonModel::ErrorRate)
        return locale.toString(value, 'f', 2) + QStringLiteral(" %");
    return locale.toString(value, 'f', value < 10 ? 3 : 1);
}

} // namespace

RunComparisonModel::RunComparisonModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunComparisonModel::setRows(std::vector<compare::ComparisonRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RunComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

report::ChangeVerdict RunComparisonModel::verdict(int rowIndex, int column) const
{
    const compare::ComparisonRow &r = m_rows.at(std::size_t(rowIndex));
    if (column < RequestsPerS || !r.a || !r.b)
        return report::ChangeVerdict::Same;
    const double a = figure(*r.a, column);
    const double b = figure(*r.b, column);
    const report::Better better = column == RequestsPerS ? report::Better::Higher : report::Better::Lower;
    if (column == ErrorRate) // percentage points: a rate of 0 has no ratio
        return b > a ? report::ChangeVerdict::Worse : b < a ? report::ChangeVerdict::Better : report::ChangeVerdict::Same;
    const std::optional<double> change = compare::changePercent(a, b);
    return change ? report::judgeChange(*change, better, kSameBelowPercent) : report::ChangeVerdict::Same;
}

QVariant RunComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const compare::ComparisonRow &r = m_rows[std::size_t(index.row())];
    const int column = index.column();
    if (column == Phase)
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(r.phase) : QVariant();
    if (column == Route)
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(r.route) : QVariant();
    if (!r.a || !r.b) {
        if (role == Qt::DisplayRole)
            return column == RequestsPerS ? QVariant(r.a ? QStringLiteral("only in A") : QStringLiteral("only in B")) : QVariant();
        return {};
    }
    const double a = figure(*r.a, column);
    const double b = figure(*r.b, column);
    const report::ChangeVerdict judged = verdict(index.row(), column);
    switch (role) {
    case Qt::DisplayRole: {
        QString change;
        if (column == ErrorRate) {
            change = QStringLiteral("%1%2 pp").arg(b >= a ? QStringLiteral("+") : QString()).arg(b - a, 0, 'f', 2);
        } else if (const std::optional<double> percent = compare::changePercent(a, b)) {
            change = QStringLiteral("%1%2 %").arg(*percent >= 0 ? QStringLiteral("+") : QString()).arg(*percent, 0, 'f', 1);
        } else {
            change = QStringLiteral("n/a");
        }
        return QStringLiteral("%1 → %2 (%3)").arg(text(a, column), text(b, column), change);
    }
    case kSortRole: {
        const std::optional<double> percent = compare::changePercent(a, b);
        return column == ErrorRate ? QVariant(b - a) : percent ? QVariant(*percent) : QVariant();
    }
    case Qt::ForegroundRole:
        return judged == report::ChangeVerdict::Better ? QVariant(PhaseComparisonModel::kBetterText)
               : judged == report::ChangeVerdict::Worse ? QVariant(PhaseComparisonModel::kWorseText)
                                                        : QVariant();
    case Qt::BackgroundRole:
        return judged == report::ChangeVerdict::Better ? QVariant(PhaseComparisonModel::kBetterBackground)
               : judged == report::ChangeVerdict::Worse ? QVariant(PhaseComparisonModel::kWorseBackground)
                                                        : QVariant();
    case kVerdictRole:
        return int(judged);
    case Qt::ToolTipRole:
        return QStringLiteral("A %1, B %2").arg(text(a, column), text(b, column));
    default:
        return {};
    }
}

QVariant RunComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = {"phase", "route", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "error rate"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace perflab::ui
