// LiveTablesFeed: keeps the window's TablesPanel current from the running lab and the run
// under way, on one 250 ms timer (the tables update 4 times a second, whatever the load):
//   Routes        the run's cumulative LoadSnapshot (the load engine's registry, read
//                 lock-free) with the seconds since the run started; kept after the run;
//   Slow queries  the lab's slow-query log, worst total first (100 entries);
//   Events        the lab's events (setting changes, slow-query markers) as they arrive,
//                 plus each phase start of a run;
//   Phases        the finished run's phase comparison (setReport);
//   Claims        the finished run's claims, verified or not (setReport).
// The runner is held by QPointer: the load panel deletes it after the run.
#pragma once

#include "report/RunReport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <cstdint>

namespace perflab::lab {
class LabServer;
}
namespace perflab::scenario {
class ScenarioRunner;
}

namespace perflab::ui {

class TablesPanel;

class LiveTablesFeed final : public QObject
{
    Q_OBJECT
public:
    LiveTablesFeed(TablesPanel &panel, lab::LabServer &lab, QObject *parent = nullptr);

    void setRunner(scenario::ScenarioRunner *runner);
    void addPhaseStart(const QString &name);
    void setReport(const report::RunReport &report);
    // Reads everything now (the timer calls this).
    void refresh();

private:
    void refreshEvents();

    TablesPanel &m_panel;
    lab::LabServer &m_lab;
    QPointer<scenario::ScenarioRunner> m_runner;
    QElapsedTimer m_runClock;
    std::uint64_t m_eventsSeen = 0; // the lab's events already in the log (TimeSeriesStore::eventsAfter)
    QTimer m_timer;
};

} // namespace perflab::ui
