// TablesPanel: see the header.
#include "ui/panels/TablesPanel.h"

#include "ui/tables/ClaimsModel.h"
#include "ui/tables/EventLogModel.h"
#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/RouteStatsModel.h"
#include "ui/tables/SlowQueryModel.h"
#include "ui/tables/TableRoles.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <memory>

using namespace Qt::StringLiterals;

namespace perflab::ui {

namespace {

// Widths from the font, for text as wide as `sample`: ResizeToContents would measure every
// row on each of the 5-10 updates a second.
void setColumnWidth(QTableView *view, int column, const QString &sample)
{
    view->setColumnWidth(column, view->fontMetrics().horizontalAdvance(sample) + 16);
}

void setNumberColumnWidths(QTableView *view, int from, int to, const QString &sample)
{
    for (int column = from; column <= to; ++column) {
        const QString header = view->model()->headerData(column, Qt::Horizontal).toString();
        setColumnWidth(view, column, header.size() > sample.size() ? header : sample);
    }
}

} // namespace

TablesPanel::TablesPanel(QWidget *parent)
    : QTabWidget(parent), m_routeModel(new RouteStatsModel(this)), m_slowQueryModel(new SlowQueryModel(this)),
      m_eventLogModel(new EventLogModel(this)), m_phaseModel(new PhaseComparisonModel(this)),
      m_claimsModel(new ClaimsModel(this))
{
    setObjectName(u"tablesPanel"_s);

    m_routesView = addTable(m_routeModel, tr("Routes"), u"routesTable"_s);
    setColumnWidth(m_routesView, RouteStatsModel::Route, u"GET /users/{zipf:1..10000}"_s);
    setNumberColumnWidths(m_routesView, RouteStatsModel::Requests, RouteStatsModel::BytesReceived,
                          u"0000000.0"_s);
    // Mix order until a header is clicked; a third click returns to it.
    m_routesView->horizontalHeader()->setSortIndicatorClearable(true);
    m_routesView->sortByColumn(-1, Qt::AscendingOrder);

    m_slowQueriesView = addTable(m_slowQueryModel, tr("Slow queries"), u"slowQueriesTable"_s);
    setColumnWidth(m_slowQueriesView, SlowQueryModel::Fingerprint, u"SELECT * FROM users WHERE id = ?"_s);
    setNumberColumnWidths(m_slowQueriesView, SlowQueryModel::Count, SlowQueryModel::Failed, u"0000000.0"_s);
    m_slowQueriesView->horizontalHeader()->setStretchLastSection(true); // the example
    m_slowQueriesView->sortByColumn(SlowQueryModel::TotalMs, Qt::DescendingOrder);

    m_eventsView = addTable(m_eventLogModel, tr("Events"), u"eventsTable"_s);
    setColumnWidth(m_eventsView, EventLogModel::Time, u"00:00:00.000"_s);
    setColumnWidth(m_eventsView, EventLogModel::Kind, u"slow_query"_s);
    m_eventsView->horizontalHeader()->setStretchLastSection(true); // the detail
    m_eventsView->sortByColumn(EventLogModel::Time, Qt::AscendingOrder);
    // A log follows its newest line while the user is at the bottom; scrolled up to read, it
    // stays where it is.
    QScrollBar *eventsScroll = m_eventsView->verticalScrollBar();
    auto followNewest = std::make_shared<bool>(true);
    connect(m_eventLogModel, &QAbstractItemModel::rowsAboutToBeInserted, this, [eventsScroll, followNewest] {
        *followNewest = eventsScroll->value() >= eventsScroll->maximum();
    });
    connect(m_eventLogModel, &QAbstractItemModel::rowsInserted, this, [view = m_eventsView, followNewest] {
        if (*followNewest)
            QMetaObject::invokeMethod(view, &QAbstractItemView::scrollToBottom, Qt::QueuedConnection);
    });

    m_phasesView = addTable(m_phaseModel, tr("Phases"), u"phasesTable"_s);
    setColumnWidth(m_phasesView, PhaseComparisonModel::Phase, u"warm cache, pool 32"_s);
    setNumberColumnWidths(m_phasesView, PhaseComparisonModel::P50Ms, PhaseComparisonModel::HitRateChange,
                          u"+1000.0%"_s);
    m_phasesView->sortByColumn(-1, Qt::AscendingOrder);
    m_phasesView->horizontalHeader()->setSortIndicatorClearable(true);

    m_claimsView = addTable(m_claimsModel, tr("Claims"), u"claimsTable"_s);
    setColumnWidth(m_claimsView, ClaimsModel::Result, u"not evaluated"_s);
    setColumnWidth(m_claimsView, ClaimsModel::Claim, u"A cache hit is far cheaper than a database read"_s);
    setColumnWidth(
        m_claimsView, ClaimsModel::Figures,
        u"p50_ms GET /users/{zipf:1..10000}: cache on 0.152 ms / cache off 0.311 ms = 0.49 ≤ 0.5"_s);
    setNumberColumnWidths(m_claimsView, ClaimsModel::Compared, ClaimsModel::Bound, u"0000.000"_s);
    m_claimsView->sortByColumn(-1, Qt::AscendingOrder);
    m_claimsView->horizontalHeader()->setSortIndicatorClearable(true);
}

TablesPanel::~TablesPanel() = default;

QTableView *TablesPanel::addTable(QAbstractItemModel *model, const QString &title, const QString &objectName)
{
    auto *view = new QTableView(this);
    view->setObjectName(objectName);
    auto *proxy = new QSortFilterProxyModel(view);
    proxy->setObjectName(objectName + u"Proxy"_s);
    proxy->setSortRole(kSortRole);
    proxy->setSourceModel(model);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    addTab(view, title);
    return view;
}

QSortFilterProxyModel *TablesPanel::proxyOf(QTableView *view) const
{
    return view ? qobject_cast<QSortFilterProxyModel *>(view->model()) : nullptr;
}

void TablesPanel::clearAll()
{
    m_routeModel->clear();
    m_slowQueryModel->clear();
    m_eventLogModel->clear();
    m_phaseModel->clear();
    m_claimsModel->clear();
}

} // namespace perflab::ui
