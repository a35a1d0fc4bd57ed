// LiveTablesFeed: see LiveTablesFeed.h.
#include "ui/window/LiveTablesFeed.h"

#include "engine/db/SlowQueryLog.h"
#include "engine/lab/LabServer.h"
#include "engine/report/ReportStats.h"
#include "ui/panels/TablesPanel.h"
#include "ui/tables/ClaimsModel.h"
#include "ui/tables/EventLogModel.h"
#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/RouteStatsModel.h"
#include "ui/tables/SlowQueryModel.h"

#include <QDateTime>

namespace perflab::ui {

LiveTablesFeed::LiveTablesFeed(TablesPanel &panel, lab::LabServer &lab, QObject *parent)
    : QObject(parent), m_panel(panel), m_lab(lab)
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &LiveTablesFeed::refresh);
    m_timer.start();
}

void LiveTablesFeed::setSnapshot(const std::shared_ptr<const load::LoadSnapshot> &snapshot, double elapsedS)
{
    m_panel.routeModel()->setSnapshot(*snapshot, elapsedS);
}

void LiveTablesFeed::addPhaseStart(const QString &name)
{
    m_panel.eventLogModel()->addEvent(metrics::TimeSeriesEvent{QDateTime::currentMSecsSinceEpoch(),
                                                               QStringLiteral("phase"),
                                                               QJsonObject{{QStringLiteral("name"), name}}});
}

void LiveTablesFeed::addLoadChange(qint64 timestampMs, const QString &segment, const QString &label)
{
    m_panel.eventLogModel()->addEvent(metrics::TimeSeriesEvent{
        timestampMs, QStringLiteral("load_changed"),
        QJsonObject{{QStringLiteral("segment"), segment}, {QStringLiteral("change"), label}}});
}

void LiveTablesFeed::setReport(const report::RunReport &report)
{
    m_panel.phaseModel()->setReport(report);
    m_panel.claimsModel()->setReport(report);
    // The routes as the run ended (the snapshot of the whole run, every phase merged).
    load::LoadSnapshot all;
    all.timestampMs = report.finishedMs;
    all.routes = report::routesAcrossPhases(report.phases);
    m_panel.routeModel()->setSnapshot(all, double(report.finishedMs - report.startedMs) / 1000.0);
}

void LiveTablesFeed::refresh()
{
    m_panel.slowQueryModel()->setEntries(m_lab.database().slowQueries().worstFirst(100));
    refreshEvents();
}

void LiveTablesFeed::refreshEvents()
{
    for (const metrics::TimeSeriesEvent &event :
         m_lab.sampler().store()->eventsAfter(m_eventsSeen, &m_eventsSeen))
        m_panel.eventLogModel()->addEvent(event);
}

} // namespace perflab::ui
