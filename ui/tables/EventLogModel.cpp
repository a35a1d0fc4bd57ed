// EventLogModel: see the header.
#include "ui/tables/EventLogModel.h"

#include "ui/tables/TableRoles.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace perflab::ui {

namespace {

QString jsonValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default:
        // A one-element array prints a scalar exactly as JSON does ("x", 0.5, true, null).
        const QString array =
            QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
        return array.mid(1, array.size() - 2);
    }
}

void flatten(const QJsonObject &object, const QString &prefix, QStringList &parts)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + u'.' + it.key();
        if (it.value().isObject() && !it.value().toObject().isEmpty())
            flatten(it.value().toObject(), key, parts);
        else
            parts.append(key + u" = "_s + jsonValueText(it.value()));
    }
}

} // namespace

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
}

QString EventLogModel::detailText(const QJsonObject &detail)
{
    QStringList parts;
    flatten(detail, QString(), parts);
    return parts.join(u", "_s);
}

EventLogModel::Row EventLogModel::makeRow(const metrics::TimeSeriesEvent &event)
{
    // A multi-line string value (an SQL example) would make the row tall: one line it is.
    return Row{event, detailText(event.detail).simplified()};
}

void EventLogModel::addEvent(const metrics::TimeSeriesEvent &event)
{
    if (rowCount() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_rows.pop_front();
        endRemoveRows();
    }
    beginInsertRows({}, rowCount(), rowCount());
    m_rows.push_back(makeRow(event));
    endInsertRows();
}

void EventLogModel::setEvents(const std::vector<metrics::TimeSeriesEvent> &events)
{
    beginResetModel();
    m_rows.clear();
    const std::size_t keep = std::min(events.size(), std::size_t(m_capacity));
    for (auto it = events.end() - std::ptrdiff_t(keep); it != events.end(); ++it)
        m_rows.push_back(makeRow(*it));
    endResetModel();
}

void EventLogModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const metrics::TimeSeriesEvent &event = row.event;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(event.timestampMs).toString(u"hh:mm:ss.zzz"_s);
        case Kind:
            return event.kind;
        case Detail:
            return row.detail;
        default:
            return {};
        }
    case kSortRole:
        switch (index.column()) {
        case Time:
            return qlonglong(event.timestampMs);
        case Kind:
            return event.kind;
        case Detail:
            return row.detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QDateTime::fromMSecsSinceEpoch(event.timestampMs).toString(u"yyyy-MM-dd hh:mm:ss.zzz"_s);
        return event.detail.isEmpty()
                   ? QVariant()
                   : QVariant(QString::fromUtf8(QJsonDocument(event.detail).toJson(QJsonDocument::Indented))
                                  .trimmed());
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QString titles[ColumnCount] = {u"time"_s, u"kind"_s, u"detail"_s};
    return titles[section];
}

} // namespace perflab::ui
