// LiveTablesFeed: keeps the window's TablesPanel current from the running lab and the run
// under way, on one 250 ms timer (the tables update 4 times a second, whatever the load):
//   Routes        the run's cumulative LoadSnapshot, as the RunController hands it out
//                 (setSnapshot, 4 times a second); kept after the run;
//   Slow queries  the lab's slow-query log, worst total first (100 entries);
//   Events        the lab's events (setting changes, slow-query markers) as they arrive,
//                 plus each phase start of a run;
//   Phases        the finished run's phase comparison (setReport);
//   Claims        the finished run's claims, verified or not (setReport).
#pragma once

#include "engine/load/LoadSnapshot.h"
#include "engine/report/RunReport.h"

#include <QObject>
#include <QTimer>

#include <cstdint>
#include <memory>

namespace perflab::lab {
class LabServer;
}

namespace perflab::ui {

class TablesPanel;

class LiveTablesFeed final : public QObject
{
    Q_OBJECT
public:
    LiveTablesFeed(TablesPanel &panel, lab::LabServer &lab, QObject *parent = nullptr);

    void setSnapshot(const std::shared_ptr<const load::LoadSnapshot> &snapshot, double elapsedS);
    void addPhaseStart(const QString &name);
    // A live load change: the event as the report has it ("load_changed").
    void addLoadChange(qint64 timestampMs, const QString &segment, const QString &label);
    void setReport(const report::RunReport &report);
    // Reads everything now (the timer calls this).
    void refresh();

private:
    void refreshEvents();

    TablesPanel &m_panel;
    lab::LabServer &m_lab;
    std::uint64_t m_eventsSeen = 0; // the lab's events already in the log (TimeSeriesStore::eventsAfter)
    QTimer m_timer;
};

} // namespace perflab::ui
