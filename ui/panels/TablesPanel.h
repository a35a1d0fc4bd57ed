// TablesPanel: the desktop lab's tables as tabs: "Routes" (live per-route statistics),
// "Slow queries", "Events", "Phases" (phase comparison) and "Claims" (the scenario's claims,
// verified or not). Each tab is a QTableView over a
// QSortFilterProxyModel that sorts by kSortRole (raw numbers, TableRoles.h), so clicking a
// header sorts 10 after 9. The panel owns the models; the window feeds them:
//
//     panel->routeModel()->setSnapshot(snapshot, elapsedS);   // 5-10 times a second
//     panel->slowQueryModel()->setEntries(slowLog->worstFirst());
//     panel->eventLogModel()->addEvent(event);
//     panel->phaseModel()->setReport(report);                 // when a run ends
//     panel->claimsModel()->setReport(report);                // when a run ends
//
// Initial order: routes in mix order (clicking a sorted header a third time returns to it),
// slow queries worst total first, events oldest first, phases and claims in run order.
#pragma once

#include <QTabWidget>

class QAbstractItemModel;
class QSortFilterProxyModel;
class QTableView;

namespace perflab::ui {

class ClaimsModel;
class EventLogModel;
class PhaseComparisonModel;
class RouteStatsModel;
class SlowQueryModel;

class TablesPanel final : public QTabWidget
{
    Q_OBJECT

public:
    enum Tab { RoutesTab, SlowQueriesTab, EventsTab, PhasesTab, ClaimsTab };

    explicit TablesPanel(QWidget *parent = nullptr);
    ~TablesPanel() override;

    RouteStatsModel *routeModel() const { return m_routeModel; }
    SlowQueryModel *slowQueryModel() const { return m_slowQueryModel; }
    EventLogModel *eventLogModel() const { return m_eventLogModel; }
    PhaseComparisonModel *phaseModel() const { return m_phaseModel; }
    ClaimsModel *claimsModel() const { return m_claimsModel; }

    QTableView *routesView() const { return m_routesView; }
    QTableView *slowQueriesView() const { return m_slowQueriesView; }
    QTableView *eventsView() const { return m_eventsView; }
    QTableView *phasesView() const { return m_phasesView; }
    QTableView *claimsView() const { return m_claimsView; }

    // The proxy between a tab's model and its view (sorting; a filter could go here).
    QSortFilterProxyModel *proxyOf(QTableView *view) const;

    // Forget everything (a new session): every model cleared.
    void clearAll();

private:
    QTableView *addTable(QAbstractItemModel *model, const QString &title, const QString &objectName);

    RouteStatsModel *m_routeModel;
    SlowQueryModel *m_slowQueryModel;
    EventLogModel *m_eventLogModel;
    PhaseComparisonModel *m_phaseModel;
    ClaimsModel *m_claimsModel;
    QTableView *m_routesView = nullptr;
    QTableView *m_slowQueriesView = nullptr;
    QTableView *m_eventsView = nullptr;
    QTableView *m_phasesView = nullptr;
    QTableView *m_claimsView = nullptr;
};

} // namespace perflab::ui
