// SlowQueryModel: see the header.
#include "ui/tables/SlowQueryModel.h"

#include "engine/report/ReportFormat.h"
#include "ui/tables/TableRoles.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

using namespace Qt::StringLiterals;

namespace perflab::ui {

namespace {

bool sameFigures(const db::SlowQueryEntry &a, const db::SlowQueryEntry &b)
{
    return a.count == b.count && a.totalMs == b.totalMs && a.maxMs == b.maxMs && a.lastAtMs == b.lastAtMs &&
           a.failed == b.failed && a.example == b.example;
}

// The example on one line: a multi-line statement would make its row as tall as it is.
QString oneLine(const QString &sql)
{
    return sql.simplified();
}

} // namespace

SlowQueryModel::SlowQueryModel(QObject *parent) : QAbstractTableModel(parent) {}

void SlowQueryModel::removeRowsMissingFrom(const std::vector<db::SlowQueryEntry> &entries)
{
    QSet<QString> listed;
    listed.reserve(qsizetype(entries.size()));
    for (const db::SlowQueryEntry &entry : entries)
        listed.insert(entry.fingerprint);
    // From the bottom, one contiguous run at a time, so earlier rows keep their numbers.
    int row = rowCount() - 1;
    while (row >= 0) {
        if (listed.contains(m_entries[std::size_t(row)].fingerprint)) {
            --row;
            continue;
        }
        const int last = row;
        while (row > 0 && !listed.contains(m_entries[std::size_t(row - 1)].fingerprint))
            --row;
        beginRemoveRows({}, row, last);
        m_entries.erase(m_entries.begin() + row, m_entries.begin() + last + 1);
        endRemoveRows();
        --row;
    }
}

void SlowQueryModel::setEntries(const std::vector<db::SlowQueryEntry> &entries)
{
    removeRowsMissingFrom(entries);

    QHash<QString, int> rowOf;
    for (int row = 0; row < rowCount(); ++row)
        rowOf.insert(m_entries[std::size_t(row)].fingerprint, row);

    std::vector<db::SlowQueryEntry> added;
    int firstChanged = rowCount();
    int lastChanged = -1;
    for (const db::SlowQueryEntry &entry : entries) {
        const auto found = rowOf.constFind(entry.fingerprint);
        if (found == rowOf.cend()) {
            rowOf.insert(entry.fingerprint, -1); // a repeated fingerprint is added once
            added.push_back(entry);
            continue;
        }
        if (*found < 0)
            continue;
        db::SlowQueryEntry &current = m_entries[std::size_t(*found)];
        if (sameFigures(current, entry))
            continue;
        current = entry;
        firstChanged = std::min(firstChanged, *found);
        lastChanged = std::max(lastChanged, *found);
    }
    if (lastChanged >= 0) {
        Q_EMIT dataChanged(index(firstChanged, Count), index(lastChanged, ColumnCount - 1),
                           {Qt::DisplayRole, kSortRole, Qt::ToolTipRole});
    }
    if (!added.empty()) {
        beginInsertRows({}, rowCount(), rowCount() + int(added.size()) - 1);
        m_entries.insert(m_entries.end(), added.begin(), added.end());
        endInsertRows();
    }
}

void SlowQueryModel::clear()
{
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int SlowQueryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int SlowQueryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlowQueryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const db::SlowQueryEntry &entry = m_entries[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Fingerprint:
            return entry.fingerprint;
        case Count:
            return QString::number(entry.count);
        case TotalMs:
            return report::formatMs(entry.totalMs);
        case MaxMs:
            return report::formatMs(entry.maxMs);
        case MeanMs:
            return report::formatMs(entry.meanMs());
        case LastAt:
            return entry.lastAtMs > 0 ? QDateTime::fromMSecsSinceEpoch(entry.lastAtMs).toString(u"hh:mm:ss"_s)
                                      : QString();
        case Failed:
            return QString::number(entry.failed);
        case Example:
            return oneLine(entry.example);
        default:
            return {};
        }
    case kSortRole:
        switch (column) {
        case Fingerprint:
            return entry.fingerprint;
        case Count:
            return qulonglong(entry.count);
        case TotalMs:
            return entry.totalMs;
        case MaxMs:
            return entry.maxMs;
        case MeanMs:
            return entry.meanMs();
        case LastAt:
            return qlonglong(entry.lastAtMs);
        case Failed:
            return qulonglong(entry.failed);
        case Example:
            return entry.example;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return entry.example.isEmpty() ? QVariant() : QVariant(entry.example);
    case Qt::TextAlignmentRole:
        return column == Fingerprint || column == Example ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                                          : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant SlowQueryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    struct Header
    {
        const char *title;
        const char *toolTip;
    };
    static constexpr Header headers[ColumnCount] = {
        {"fingerprint", "The statement with its literals and bound values replaced by ?"},
        {"count", "Slow statements with this fingerprint"},
        {"total ms", "Their time added up: what the fingerprint cost"},
        {"max ms", "The slowest one"},
        {"mean ms", "Total / count"},
        {"last at", "When the latest one finished (local time)"},
        {"failed", "How many of them failed"},
        {"example", "The slowest one with its values inlined"},
    };
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromLatin1(headers[section].title);
    case Qt::ToolTipRole:
        return QString::fromLatin1(headers[section].toolTip);
    default:
        return QAbstractTableModel::headerData(section, orientation, role);
    }
}

} // namespace perflab::ui
