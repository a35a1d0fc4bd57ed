// ClaimsModel: see the header.
#include "ui/tables/ClaimsModel.h"

#include "engine/report/ClaimText.h"
#include "engine/report/ReportFormat.h"
#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/TableRoles.h"

#include <QColor>

namespace perflab::ui {

ClaimsModel::ClaimsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ClaimsModel::setReport(const report::RunReport &report)
{
    beginResetModel();
    m_claims = report.claims;
    endResetModel();
}

void ClaimsModel::clear()
{
    if (m_claims.empty())
        return;
    beginResetModel();
    m_claims.clear();
    endResetModel();
}

int ClaimsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_claims.size());
}

int ClaimsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClaimsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const report::ClaimResult &claim = m_claims[std::size_t(index.row())];
    const std::optional<double> compared = claim.compared();
    if (role == Qt::ToolTipRole)
        return report::claimLine(claim);
    if (role == Qt::ForegroundRole && index.column() == Result) {
        switch (claim.status) {
        case report::ClaimStatus::Verified:
            return PhaseComparisonModel::kBetterText;
        case report::ClaimStatus::NotVerified:
            return PhaseComparisonModel::kWorseText;
        case report::ClaimStatus::NotEvaluated:
            return QColor(Qt::gray);
        }
    }
    if (role != Qt::DisplayRole && role != kSortRole)
        return {};
    const bool sort = role == kSortRole;
    switch (Column(index.column())) {
    case Result:
        return sort ? QVariant(int(claim.status)) : QVariant(report::claimStatusText(claim.status));
    case Claim:
        return claim.claim;
    case Figures:
        return report::claimFiguresText(claim);
    case Compared:
        if (!compared)
            return sort ? QVariant() : QVariant(QStringLiteral("–"));
        return sort ? QVariant(*compared)
                    : QVariant(claim.relative ? report::formatNumber(*compared, 3)
                                              : report::claimFigureText(claim.metric, *compared));
    case Bound:
        return sort ? QVariant(claim.limit) : QVariant(report::claimBoundText(claim));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ClaimsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Result:
        return tr("Result");
    case Claim:
        return tr("Claim");
    case Figures:
        return tr("Figures");
    case Compared:
        return tr("Ratio or figure");
    case Bound:
        return tr("Bound");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace perflab::ui
