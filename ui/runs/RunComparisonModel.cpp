// RunComparisonModel: see RunComparisonModel.h.
#include "ui/runs/RunComparisonModel.h"

#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/TableRoles.h"

#include <QLocale>

namespace perflab::ui {

namespace {

using compare::RouteFigures;

compare::DeltaFigure figureOf(int column)
{
    return compare::kDeltaFigures[std::size_t(column - RunComparisonModel::RequestsPerS)];
}

double figure(const RouteFigures &f, int column)
{
    return compare::deltaFigureValue(f, figureOf(column));
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
    if (column < RequestsPerS || column >= ColumnCount || !r.a || !r.b)
        return report::ChangeVerdict::Same;
    return compare::deltaVerdict(*r.a, *r.b, figureOf(column));
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
            return column == RequestsPerS
                       ? QVariant(r.a ? QStringLiteral("only in A") : QStringLiteral("only in B"))
                       : QVariant();
        return {};
    }
    const double a = figure(*r.a, column);
    const double b = figure(*r.b, column);
    const report::ChangeVerdict judged = verdict(index.row(), column);
    switch (role) {
    case Qt::DisplayRole: {
        return QStringLiteral("%1 → %2 (%3)")
            .arg(text(a, column), text(b, column), compare::deltaChangeText(*r.a, *r.b, figureOf(column)));
    }
    case kSortRole: {
        const std::optional<double> percent = compare::changePercent(a, b);
        return column == ErrorRate ? QVariant(b - a) : percent ? QVariant(*percent) : QVariant();
    }
    case Qt::ForegroundRole:
        return judged == report::ChangeVerdict::Better  ? QVariant(PhaseComparisonModel::kBetterText)
               : judged == report::ChangeVerdict::Worse ? QVariant(PhaseComparisonModel::kWorseText)
                                                        : QVariant();
    case Qt::BackgroundRole:
        return judged == report::ChangeVerdict::Better  ? QVariant(PhaseComparisonModel::kBetterBackground)
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
    static const char *const names[] = {"phase",  "route",    "req/s",  "p50 ms",    "p90 ms",
                                        "p99 ms", "p99.9 ms", "max ms", "error rate"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace perflab::ui
