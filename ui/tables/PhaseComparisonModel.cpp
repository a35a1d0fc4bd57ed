// PhaseComparisonModel: see the header.
#include "ui/tables/PhaseComparisonModel.h"

#include "engine/report/ReportFormat.h"
#include "ui/tables/TableRoles.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace perflab::ui {

namespace {

const QString kNoData = u"–"_s;

// In figure order: how each one improves.
constexpr std::array<report::Better, 5> kBetter = {report::Better::Lower, report::Better::Lower,
                                                   report::Better::Higher, report::Better::Lower,
                                                   report::Better::Higher};

// From 0 there is no ratio, but the direction is still news (errors appearing): an
// infinite change, judged by its sign.
double changeFromZero(double current)
{
    return current == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), current);
}

} // namespace

// The colours of report.pdf (ReportPdfWriter) for the text, pale tints of them behind it.
const QColor PhaseComparisonModel::kBetterText(0x00, 0x7a, 0x4d);
const QColor PhaseComparisonModel::kBetterBackground(0xdc, 0xf2, 0xe6);
const QColor PhaseComparisonModel::kWorseText(0xb0, 0x30, 0x00);
const QColor PhaseComparisonModel::kWorseBackground(0xfb, 0xe2, 0xd8);

PhaseComparisonModel::PhaseComparisonModel(QObject *parent) : QAbstractTableModel(parent) {}

std::vector<PhaseComparisonModel::Row> PhaseComparisonModel::makeRows(const report::RunReport &report)
{
    std::vector<Row> rows;
    for (const report::PhaseReport &phase : report.phases) {
        const report::PhaseSummary s = report::summarizePhase(report, phase);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const bool latency = s.corrected.count > 0;
        Row row;
        row.phase = phase.name;
        row.figures[0].value = latency ? s.corrected.p50 : nan;
        row.figures[1].value = latency ? s.corrected.p99 : nan;
        row.figures[2].value = s.requestsPerS;
        row.figures[3].value = s.errorRatePercent;
        row.figures[4].value = s.cacheHitRatePercent.value_or(nan);
        row.figures[0].text = latency ? report::formatMs(s.corrected.p50) : kNoData;
        row.figures[1].text = latency ? report::formatMs(s.corrected.p99) : kNoData;
        row.figures[2].text = report::formatNumber(s.requestsPerS, 1);
        row.figures[3].text = report::formatNumber(s.errorRatePercent, 2) + u"%"_s;
        row.figures[4].text =
            s.cacheHitRatePercent ? report::formatNumber(*s.cacheHitRatePercent, 1) + u"%"_s : kNoData;
        if (!rows.empty()) {
            for (std::size_t i = 0; i < kFigureCount; ++i) {
                Figure &figure = row.figures[i];
                const double before = rows.back().figures[i].value;
                if (!std::isfinite(before) || !std::isfinite(figure.value))
                    continue;
                figure.previous = before;
                figure.change = report::changePercent(before, figure.value);
                figure.verdict = report::judgeChange(figure.change.value_or(changeFromZero(figure.value)),
                                                     kBetter[i], kSameBelowPercent);
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void PhaseComparisonModel::setReport(const report::RunReport &report)
{
    std::vector<Row> rows = makeRows(report);
    const bool samePhases = std::equal(rows.begin(), rows.end(), m_rows.begin(), m_rows.end(),
                                       [](const Row &a, const Row &b) { return a.phase == b.phase; });
    if (!samePhases) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty()) {
        Q_EMIT dataChanged(index(0, P50Ms), index(rowCount() - 1, ColumnCount - 1));
    }
}

void PhaseComparisonModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int PhaseComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PhaseComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PhaseComparisonModel::changeData(const Figure &figure, int role) const
{
    const bool better = figure.verdict == report::ChangeVerdict::Better;
    const bool worse = figure.verdict == report::ChangeVerdict::Worse;
    switch (role) {
    case Qt::DisplayRole:
        if (!figure.previous)
            return QString();
        return figure.change ? report::formatChange(*figure.change) : u"n/a"_s;
    case kSortRole:
        return figure.change ? QVariant(*figure.change) : QVariant();
    case kVerdictRole:
        return int(figure.verdict);
    case Qt::ForegroundRole:
        return better ? QVariant(kBetterText) : worse ? QVariant(kWorseText) : QVariant();
    case Qt::BackgroundRole:
        return better ? QVariant(kBetterBackground) : worse ? QVariant(kWorseBackground) : QVariant();
    case Qt::ToolTipRole:
        if (!figure.previous)
            return {};
        return QStringLiteral("previous phase: %1, this phase: %2")
            .arg(report::formatNumber(*figure.previous), report::formatNumber(figure.value));
    default:
        return {};
    }
}

QVariant PhaseComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const int column = index.column();
    if (role == Qt::TextAlignmentRole) {
        return column == Phase ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                               : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    }
    if (column == Phase)
        return role == Qt::DisplayRole || role == kSortRole || role == Qt::ToolTipRole ? QVariant(row.phase)
                                                                                       : QVariant();
    const Figure &figure = row.figures[figureOf(column)];
    if (isChangeColumn(column))
        return changeData(figure, role);
    switch (role) {
    case Qt::DisplayRole:
        return figure.text;
    case kSortRole:
        return std::isfinite(figure.value) ? QVariant(figure.value) : QVariant();
    default:
        return {};
    }
}

QVariant PhaseComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QString titles[ColumnCount] = {
        u"phase"_s, u"p50 ms"_s,  u"Δ"_s, u"p99 ms"_s,   u"Δ"_s, u"req/s"_s,
        u"Δ"_s,     u"error %"_s, u"Δ"_s, u"hit rate"_s, u"Δ"_s,
    };
    switch (role) {
    case Qt::DisplayRole:
        return titles[section];
    case Qt::ToolTipRole:
        if (isChangeColumn(section))
            return QStringLiteral("Change of %1 against the previous phase").arg(titles[section - 1]);
        if (section == HitRatePercent)
            return u"Server cache hits per lookup (embedded lab only)"_s;
        if (section == P50Ms || section == P99Ms)
            return u"Latency from the intended send time (corrected), all routes"_s;
        return {};
    case Qt::TextAlignmentRole:
        return section == Phase ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return QAbstractTableModel::headerData(section, orientation, role);
    }
}

} // namespace perflab::ui
