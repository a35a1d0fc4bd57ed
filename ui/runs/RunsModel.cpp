// RunsModel: see RunsModel.h.
#include "ui/runs/RunsModel.h"

#include "ui/tables/TableRoles.h"

#include <QColor>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace perflab::ui {

RunsModel::RunsModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunsModel::setEntries(std::vector<compare::SavedRunEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_entries.size()))
        return {};
    const compare::SavedRunEntry &e = m_entries[std::size_t(index.row())];
    const bool readable = e.error.isEmpty();
    const QLocale locale;
    if (role == Qt::ToolTipRole)
        return readable ? QDir::toNativeSeparators(e.folder) : e.error;
    if (role == Qt::ForegroundRole && index.column() == Verdict && readable)
        return e.passed ? QColor(0x00, 0x7a, 0x4d) : QColor(0xb0, 0x30, 0x00);
    if (role != Qt::DisplayRole && role != kSortRole)
        return {};
    const bool sort = role == kSortRole;
    switch (Column(index.column())) {
    case Started: {
        const QDateTime when = QDateTime::fromString(e.started, Qt::ISODateWithMs).toLocalTime();
        if (sort)
            return e.started;
        return when.isValid() ? when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("–");
    }
    case Scenario:
        return readable ? e.scenarioName : QStringLiteral("unreadable: %1").arg(e.error);
    case Verdict:
        return !readable ? QString() : e.passed ? QStringLiteral("passed") : QStringLiteral("failed");
    case Phases:
        return readable ? QVariant(e.phaseCount) : QVariant();
    case DurationS:
        return !readable ? QVariant()
               : sort    ? QVariant(e.durationS)
                         : QVariant(locale.toString(e.durationS, 'f', 1));
    case RequestsPerS:
        return !readable ? QVariant()
               : sort    ? QVariant(e.requestsPerS)
                         : QVariant(locale.toString(e.requestsPerS, 'f', 1));
    case P99Ms:
        return !readable ? QVariant() : sort ? QVariant(e.p99Ms) : QVariant(locale.toString(e.p99Ms, 'f', 3));
    case Folder:
        return QFileInfo(e.folder).fileName();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = {"started",    "scenario", "verdict", "phases",
                                        "duration s", "req/s",    "p99 ms",  "folder"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace perflab::ui
