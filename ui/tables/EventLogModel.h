// EventLogModel: the lab's event log as a table: setting changes, slow queries, phase starts
// (metrics::TimeSeriesEvent) with their time, kind and detail, in arrival order.
//
// Append-only and bounded: a long session announces events for hours, so beyond `capacity`
// rows the oldest is removed (beginRemoveRows) before the new one is appended; views keep
// their selection and sort meanwhile. setEvents() replaces everything (a reset).
//
// Detail: the event's JSON flattened to one readable line, nested keys joined with dots
// and values as JSON: {"cache": {"enabled": false}} -> `cache.enabled = false`
// (detailText()); the tooltip holds the indented JSON.
// Roles: DisplayRole text (time as local hh:mm:ss.zzz), kSortRole the timestamp in ms for
// the time column and the text otherwise, ToolTipRole the JSON and the full date.
#pragma once

#include "engine/metrics/Sample.h"

#include <QAbstractTableModel>

#include <deque>
#include <vector>

namespace perflab::ui {

class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Kind, Detail, ColumnCount };
    static constexpr int kDefaultCapacity = 10'000;

    explicit EventLogModel(QObject *parent = nullptr) : EventLogModel(kDefaultCapacity, parent) {}
    EventLogModel(int capacity, QObject *parent);

    void addEvent(const metrics::TimeSeriesEvent &event);
    // The newest `capacity` of `events` (oldest first).
    void setEvents(const std::vector<metrics::TimeSeriesEvent> &events);
    void clear();

    int capacity() const { return m_capacity; }
    const metrics::TimeSeriesEvent &eventAt(int row) const { return m_rows[std::size_t(row)].event; }

    static QString detailText(const QJsonObject &detail);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        metrics::TimeSeriesEvent event;
        QString detail; // detailText(event.detail), made once: views ask for it on every paint
    };
    static Row makeRow(const metrics::TimeSeriesEvent &event);

    const int m_capacity;
    std::deque<Row> m_rows;
};

} // namespace perflab::ui
