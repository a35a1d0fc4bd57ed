// The desktop lab's tables (ui/tables): every model under QAbstractItemModelTester (Fatal on
// the model, QtTest mode on it and on its sort proxy) through empty -> filled -> live update
// (dataChanged only, a view's selection kept) -> different shape (reset) -> cleared; the
// figures against values worked out by hand (a p99 of a filled histogram, error %, the hit
// rate and the changes of tests/report's synthetic run); sorting through the proxy by the
// raw number (10 after 9); the colours of a better and a worse change; the event log bound;
// the panel's tabs, proxies and object names.
#include "SyntheticRun.h"

#include "ui/panels/TablesPanel.h"
#include "ui/tables/ClaimsModel.h"
#include "ui/tables/EventLogModel.h"
#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/RouteStatsModel.h"
#include "ui/tables/SlowQueryModel.h"
#include "ui/tables/TableRoles.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include <cmath>
#include <memory>

using namespace perflab;
using namespace Qt::StringLiterals;

namespace {

// A model under test: the testers stay connected for the whole test, so every later change
// of the model (and of the proxy that follows it) is checked as it happens.
class CheckedModel
{
public:
    explicit CheckedModel(QAbstractItemModel *model)
        : m_fatal(model, QAbstractItemModelTester::FailureReportingMode::Fatal),
          m_qtTest(model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
        m_proxy.setSortRole(ui::kSortRole);
        m_proxy.setSourceModel(model);
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            &m_proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    QSortFilterProxyModel &proxy() { return m_proxy; }

private:
    QAbstractItemModelTester m_fatal;
    QAbstractItemModelTester m_qtTest;
    QSortFilterProxyModel m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

QString text(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

double number(const QAbstractItemModel &model, int row, int column)
{
    return model.data(model.index(row, column), ui::kSortRole).toDouble();
}

// `responses` responses of 1, 2, ... `responses` ms (corrected; uncorrected half of it), plus
// `timeouts` requests without a response and `status5xx` of the responses answered 500.
load::RouteStats makeRoute(const QString &name, int responses, int timeouts = 0, int status5xx = 0)
{
    load::RouteStats route;
    route.route = name;
    route.responses = std::uint64_t(responses);
    for (int i = 1; i <= responses; ++i) {
        route.corrected.record(i * 1000);
        route.uncorrected.record(i * 500);
    }
    route.statusCounts[200] = std::uint64_t(responses - status5xx);
    if (status5xx) {
        route.statusCounts[500] = std::uint64_t(status5xx);
        route.errors[QString::fromLatin1(load::ErrorKind::Status5xx)] = std::uint64_t(status5xx);
    }
    if (timeouts)
        route.errors[QString::fromLatin1(load::ErrorKind::Timeout)] = std::uint64_t(timeouts);
    route.bytesReceived = std::uint64_t(responses) * 100;
    route.lateSends = std::uint64_t(timeouts);
    return route;
}

load::LoadSnapshot snapshotOf(std::vector<load::RouteStats> routes)
{
    load::LoadSnapshot snapshot;
    snapshot.routes = std::move(routes);
    return snapshot;
}

db::SlowQueryEntry slowEntry(const QString &fingerprint, quint64 count, double totalMs, double maxMs)
{
    db::SlowQueryEntry entry;
    entry.fingerprint = fingerprint;
    entry.count = count;
    entry.totalMs = totalMs;
    entry.maxMs = maxMs;
    entry.lastAtMs = test::kStartMs + qint64(count) * 1000;
    entry.example = fingerprint + u" -- example"_s;
    return entry;
}

metrics::TimeSeriesEvent timeSeriesEvent(qint64 atMs, const QString &kind, const QJsonObject &detail)
{
    return metrics::TimeSeriesEvent{atMs, kind, detail};
}

QStringList columnOf(const QAbstractItemModel &model, int column)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(text(model, row, column));
    return values;
}

} // namespace

class TestUiTables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routeStatsLifecycle();
    void routeStatsSortNumerically();
    void slowQueriesUpdateByFingerprint();
    void eventLogTextAndBound();
    void phaseComparisonFiguresAndColours();
    void phaseComparisonLifecycle();
    void claimsFiguresAndLifecycle();
    void panelWiring();
};

void TestUiTables::routeStatsLifecycle()
{
    ui::RouteStatsModel model;
    CheckedModel checked(&model);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ui::RouteStatsModel::ColumnCount));

    // Filled: two routes and their total.
    model.setSnapshot(snapshotOf({makeRoute(u"GET /a"_s, 100, 2, 3), makeRoute(u"GET /b"_s, 50)}), 10.0);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(text(model, 2, ui::RouteStatsModel::Route), u"all"_s);
    // 100 responses + 2 timeouts = 102 requests; 5 errors of them; 10.2 req/s.
    QCOMPARE(text(model, 0, ui::RouteStatsModel::Requests), u"102"_s);
    QCOMPARE(number(model, 0, ui::RouteStatsModel::RequestsPerS), 10.2);
    QCOMPARE(text(model, 0, ui::RouteStatsModel::Errors), u"5"_s);
    QCOMPARE(number(model, 0, ui::RouteStatsModel::ErrorPercent), 100.0 * 5 / 102);
    QCOMPARE(text(model, 0, ui::RouteStatsModel::ErrorPercent), u"4.9%"_s);
    // 1..100 ms once each: p99 is the 99th value, 99 ms, within the histogram's 0.1 %.
    QVERIFY(std::abs(number(model, 0, ui::RouteStatsModel::P99Ms) - 99.0) <= 0.1);
    QVERIFY(std::abs(number(model, 0, ui::RouteStatsModel::P50Ms) - 50.0) <= 0.05);
    QCOMPARE(number(model, 0, ui::RouteStatsModel::MaxMs), 100.0);
    QVERIFY(std::abs(number(model, 0, ui::RouteStatsModel::UncorrectedP99Ms) - 49.5) <= 0.05);
    QCOMPARE(number(model, 2, ui::RouteStatsModel::Requests), 152.0);
    QCOMPARE(number(model, 0, ui::RouteStatsModel::LateSends), 2.0);
    QCOMPARE(number(model, 1, ui::RouteStatsModel::BytesReceived), 5000.0);
    QVERIFY(text(model, 0, ui::RouteStatsModel::Requests, Qt::ToolTipRole).contains(u"500: 3"_s));
    QVERIFY(text(model, 0, ui::RouteStatsModel::Errors, Qt::ToolTipRole).contains(u"timeout: 2"_s));
    QCOMPARE(model.data(model.index(0, ui::RouteStatsModel::P99Ms), Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));

    // A view sorted by requests, with "GET /b" selected.
    QTableView view;
    view.setModel(&checked.proxy());
    view.setSortingEnabled(true);
    view.sortByColumn(ui::RouteStatsModel::Requests, Qt::AscendingOrder);
    QCOMPARE(text(checked.proxy(), 0, ui::RouteStatsModel::Route), u"GET /b"_s);
    view.selectionModel()->select(checked.proxy().index(0, 0),
                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    // Live update, same routes: dataChanged, no reset; "GET /b" now has the most requests,
    // moves to the bottom and stays selected.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setSnapshot(snapshotOf({makeRoute(u"GET /a"_s, 100, 2, 3), makeRoute(u"GET /b"_s, 400)}), 20.0);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(text(model, 1, ui::RouteStatsModel::Requests), u"400"_s);
    QCOMPARE(number(model, 1, ui::RouteStatsModel::RequestsPerS), 20.0);
    QCOMPARE(text(checked.proxy(), 1, ui::RouteStatsModel::Route), u"GET /b"_s); // below /a, above all
    const QModelIndexList selected = view.selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data().toString(), u"GET /b"_s);

    // Different routes: a reset; one route has no "all" row.
    model.setSnapshot(snapshotOf({makeRoute(u"POST /c"_s, 10)}), 1.0);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.routeAt(0), u"POST /c"_s);

    // A route without samples yet shows "–" and sorts apart.
    model.setSnapshot(snapshotOf({makeRoute(u"POST /c"_s, 0)}), 1.0);
    QCOMPARE(text(model, 0, ui::RouteStatsModel::P99Ms), u"–"_s);
    QVERIFY(!model.data(model.index(0, ui::RouteStatsModel::P99Ms), ui::kSortRole).isValid());

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(checked.proxy().rowCount(), 0);
}

void TestUiTables::routeStatsSortNumerically()
{
    ui::RouteStatsModel model;
    CheckedModel checked(&model);
    model.setSnapshot(
        snapshotOf({makeRoute(u"ten"_s, 10), makeRoute(u"nine"_s, 9), makeRoute(u"hundred"_s, 100)}), 1.0);
    checked.proxy().sort(ui::RouteStatsModel::Requests, Qt::AscendingOrder);
    // As text "10" < "100" < "119" < "9".
    QCOMPARE(columnOf(checked.proxy(), ui::RouteStatsModel::Requests),
             (QStringList{u"9"_s, u"10"_s, u"100"_s, u"119"_s}));
    checked.proxy().sort(ui::RouteStatsModel::P99Ms, Qt::DescendingOrder);
    QCOMPARE(columnOf(checked.proxy(), ui::RouteStatsModel::Route),
             (QStringList{u"hundred"_s, u"all"_s, u"ten"_s, u"nine"_s}));
}

void TestUiTables::slowQueriesUpdateByFingerprint()
{
    ui::SlowQueryModel model;
    CheckedModel checked(&model);
    QCOMPARE(model.rowCount(), 0);

    const QString a = u"SELECT * FROM users WHERE id = ?"_s;
    const QString b = u"UPDATE users SET name = ? WHERE id = ?"_s;
    const QString c = u"SELECT count(*) FROM orders"_s;
    model.setEntries({slowEntry(a, 9, 900, 150), slowEntry(b, 10, 600, 80)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(text(model, 0, ui::SlowQueryModel::Fingerprint), a);
    QCOMPARE(text(model, 0, ui::SlowQueryModel::MeanMs), u"100.0"_s);
    QCOMPARE(text(model, 0, ui::SlowQueryModel::LastAt),
             QDateTime::fromMSecsSinceEpoch(test::kStartMs + 9000).toString(u"hh:mm:ss"_s));
    QCOMPARE(text(model, 1, ui::SlowQueryModel::Fingerprint, Qt::ToolTipRole), b + u" -- example"_s);
    QCOMPARE(text(model, 1, ui::SlowQueryModel::Count, Qt::ToolTipRole), b + u" -- example"_s);

    // Sorted by count through the proxy: 9 before 10.
    checked.proxy().sort(ui::SlowQueryModel::Count, Qt::AscendingOrder);
    QCOMPARE(columnOf(checked.proxy(), ui::SlowQueryModel::Count), (QStringList{u"9"_s, u"10"_s}));

    // Live update: a grows, b is gone (evicted), c is new; no reset.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setEntries({slowEntry(a, 12, 1200, 170), slowEntry(c, 1, 510, 510)});
    QCOMPARE(resets.count(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(columnOf(model, ui::SlowQueryModel::Fingerprint), (QStringList{a, c}));
    QCOMPARE(text(model, 0, ui::SlowQueryModel::Count), u"12"_s);
    QCOMPARE(number(model, 0, ui::SlowQueryModel::TotalMs), 1200.0);

    // The same figures again: nothing to tell the views.
    model.setEntries({slowEntry(c, 1, 510, 510), slowEntry(a, 12, 1200, 170)});
    QCOMPARE(changes.count(), 1);
    QCOMPARE(model.rowCount(), 2);

    // Everything different (a cleared log refilled).
    model.setEntries({slowEntry(b, 1, 501, 501)});
    QCOMPARE(columnOf(model, ui::SlowQueryModel::Fingerprint), (QStringList{b}));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestUiTables::eventLogTextAndBound()
{
    QCOMPARE(ui::EventLogModel::detailText(QJsonObject{{u"cache"_s, QJsonObject{{u"enabled"_s, false}}}}),
             u"cache.enabled = false"_s);
    QCOMPARE(ui::EventLogModel::detailText(
                 QJsonObject{{u"name"_s, u"cache on"_s},
                             {u"settings"_s, QJsonObject{{u"pool"_s, QJsonObject{{u"size"_s, 8}}}}}}),
             u"name = \"cache on\", settings.pool.size = 8"_s);
    QCOMPARE(
        ui::EventLogModel::detailText(QJsonObject{{u"ids"_s, QJsonArray{1, 2}}, {u"empty"_s, QJsonObject{}}}),
        u"empty = {}, ids = [1,2]"_s);

    ui::EventLogModel model(5, nullptr);
    CheckedModel checked(&model);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.capacity(), 5);

    const QJsonObject patch{{u"cache"_s, QJsonObject{{u"enabled"_s, false}}}};
    model.addEvent(timeSeriesEvent(test::kStartMs, u"settings"_s, patch));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(text(model, 0, ui::EventLogModel::Kind), u"settings"_s);
    QCOMPARE(text(model, 0, ui::EventLogModel::Detail), u"cache.enabled = false"_s);
    QCOMPARE(text(model, 0, ui::EventLogModel::Time),
             QDateTime::fromMSecsSinceEpoch(test::kStartMs).toString(u"hh:mm:ss.zzz"_s));
    QVERIFY(text(model, 0, ui::EventLogModel::Detail, Qt::ToolTipRole).contains(u"\"enabled\": false"_s));

    // Beyond the capacity the oldest rows go, one removal per added event, no reset.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 1; i < 8; ++i)
        model.addEvent(timeSeriesEvent(test::kStartMs + i, u"phase"_s, QJsonObject{{u"index"_s, i}}));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(removed.count(), 3);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(text(model, 0, ui::EventLogModel::Detail), u"index = 3"_s);
    QCOMPARE(text(model, 4, ui::EventLogModel::Detail), u"index = 7"_s);

    // Sorted by time through the proxy: numerically, newest first.
    checked.proxy().sort(ui::EventLogModel::Time, Qt::DescendingOrder);
    QCOMPARE(text(checked.proxy(), 0, ui::EventLogModel::Detail), u"index = 7"_s);

    // setEvents keeps the newest `capacity`.
    std::vector<metrics::TimeSeriesEvent> events;
    for (int i = 0; i < 12; ++i)
        events.push_back(
            timeSeriesEvent(test::kStartMs + 100 * i, u"slow_query"_s, QJsonObject{{u"count"_s, i}}));
    model.setEvents(events);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.eventAt(0).timestampMs, test::kStartMs + 700);
    QCOMPARE(text(model, 4, ui::EventLogModel::Detail), u"count = 11"_s);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(ui::EventLogModel().capacity(), ui::EventLogModel::kDefaultCapacity);
}

void TestUiTables::phaseComparisonFiguresAndColours()
{
    using M = ui::PhaseComparisonModel;
    M model;
    CheckedModel checked(&model);
    model.setReport(test::syntheticRun());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(text(model, 1, M::Phase), u"cache on"_s);

    // Throughput 1000, 1500, 500 requests in 10, 10, 5 s.
    QCOMPARE(number(model, 0, M::Throughput), 100.0);
    QCOMPARE(text(model, 1, M::Throughput), u"150"_s);
    QCOMPARE(text(model, 1, M::ThroughputChange), u"+50.0%"_s);
    QCOMPARE(text(model, 2, M::ThroughputChange), u"-33.3%"_s);
    QCOMPARE(text(model, 0, M::ThroughputChange), QString()); // no previous phase
    // Error rate: 10 / 1000, 5 / 1500, 0 / 500.
    QCOMPARE(number(model, 0, M::ErrorPercent), 1.0);
    QCOMPARE(number(model, 1, M::ErrorPercent), 100.0 * 5 / 1500);
    QCOMPARE(text(model, 1, M::ErrorPercentChange), u"-66.7%"_s);
    QCOMPARE(text(model, 2, M::ErrorPercentChange), u"-100.0%"_s);
    // Hit rate from the server series: phase 1 misses only; phase 2 one interval of 10
    // misses then 99 of 13.5 hits / 1.5 misses; phase 3 one of those, then 49 of 9 / 1.
    QCOMPARE(number(model, 0, M::HitRatePercent), 0.0);
    QCOMPARE(number(model, 1, M::HitRatePercent), 100.0 * (99 * 13.5) / (99 * 13.5 + 10 + 99 * 1.5));
    QCOMPARE(number(model, 2, M::HitRatePercent), 100.0 * (13.5 + 49 * 9) / (15 + 49 * 10));
    QCOMPARE(text(model, 2, M::HitRatePercent), u"90%"_s);
    // Latency fell with the cache on.
    QVERIFY(number(model, 1, M::P99Ms) < number(model, 0, M::P99Ms));
    QVERIFY(number(model, 1, M::P99Change) < 0);

    const auto colour = [&](int row, int column, int role) {
        return model.data(model.index(row, column), role).value<QColor>();
    };
    const auto verdict = [&](int row, int column) {
        return report::ChangeVerdict(model.data(model.index(row, column), M::kVerdictRole).toInt());
    };
    // Better: throughput up, p99 and errors down, green.
    for (int column : {int(M::ThroughputChange), int(M::P99Change), int(M::ErrorPercentChange)}) {
        QCOMPARE(verdict(1, column), report::ChangeVerdict::Better);
        QCOMPARE(colour(1, column, Qt::ForegroundRole), M::kBetterText);
        QCOMPARE(colour(1, column, Qt::BackgroundRole), M::kBetterBackground);
    }
    // Worse: throughput down, red.
    QCOMPARE(verdict(2, M::ThroughputChange), report::ChangeVerdict::Worse);
    QCOMPARE(colour(2, M::ThroughputChange, Qt::ForegroundRole), M::kWorseText);
    QCOMPARE(colour(2, M::ThroughputChange, Qt::BackgroundRole), M::kWorseBackground);
    // From a 0 % hit rate there is no ratio, but up is better.
    QCOMPARE(text(model, 1, M::HitRateChange), u"n/a"_s);
    QCOMPARE(verdict(1, M::HitRateChange), report::ChangeVerdict::Better);
    // 89.4 % -> 90.0 % is +0.7 %: under 2 %, not coloured.
    QCOMPARE(text(model, 2, M::HitRateChange), u"+0.7%"_s);
    QCOMPARE(verdict(2, M::HitRateChange), report::ChangeVerdict::Same);
    QVERIFY(!model.data(model.index(2, M::HitRateChange), Qt::ForegroundRole).isValid());
    QVERIFY(!model.data(model.index(2, M::HitRateChange), Qt::BackgroundRole).isValid());
    // The values themselves are not coloured.
    QVERIFY(!model.data(model.index(1, M::Throughput), Qt::ForegroundRole).isValid());

    // Sorting the changes through the proxy: numerically, -33.3 before +50.
    checked.proxy().sort(M::ThroughputChange, Qt::AscendingOrder);
    QCOMPARE(text(checked.proxy(), 0, M::ThroughputChange), u"-33.3%"_s);
    QCOMPARE(text(checked.proxy(), 1, M::ThroughputChange), u"+50.0%"_s);
}

void TestUiTables::phaseComparisonLifecycle()
{
    ui::PhaseComparisonModel model;
    CheckedModel checked(&model);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ui::PhaseComparisonModel::ColumnCount));

    report::RunReport run = test::syntheticRun();
    model.setReport(run);
    QCOMPARE(model.rowCount(), 3);

    // Same phases, other figures (a run's phases refreshed): dataChanged only.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    run.phases[1].endMs = run.phases[1].startMs + 5000; // 1500 requests in 5 s
    model.setReport(run);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(number(model, 1, ui::PhaseComparisonModel::Throughput), 300.0);

    // Another run: a reset; one phase has no changes.
    model.setReport(test::smallRun());
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(text(model, 0, ui::PhaseComparisonModel::P99Change), QString());
    QCOMPARE(text(model, 0, ui::PhaseComparisonModel::HitRatePercent), u"–"_s); // no server series

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestUiTables::claimsFiguresAndLifecycle()
{
    using M = ui::ClaimsModel;
    M model;
    CheckedModel checked(&model);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(M::ColumnCount));
    QCOMPARE(model.headerData(M::Figures, Qt::Horizontal).toString(), u"Figures"_s);

    model.setReport(test::syntheticRun()); // verified, not verified, not evaluated
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(columnOf(model, M::Result), (QStringList{u"verified"_s, u"not verified"_s, u"not evaluated"_s}));
    QCOMPARE(text(model, 0, M::Claim), u"A cache hit is <far> cheaper"_s);
    QCOMPARE(text(model, 0, M::Figures),
             u"p50_ms GET /users/{zipf:1..100}: cache on 3 ms / cache off 12 ms = 0.25 ≤ 0.5"_s);
    QCOMPARE(text(model, 0, M::Compared), u"0.25"_s);
    QCOMPARE(number(model, 0, M::Compared), 0.25);
    QCOMPARE(text(model, 1, M::Compared), u"30.1 ms"_s); // an absolute claim: the figure itself
    QCOMPARE(text(model, 2, M::Compared), u"–"_s);
    QVERIFY(!model.data(model.index(2, M::Compared), ui::kSortRole).isValid());
    QCOMPARE(text(model, 1, M::Bound), u"≤ 1"_s);
    QCOMPARE(text(model, 2, M::Bound), u"≥ 0.9"_s);
    QCOMPARE(model.data(model.index(0, M::Result), Qt::ForegroundRole).value<QColor>(),
             ui::PhaseComparisonModel::kBetterText);
    QCOMPARE(model.data(model.index(1, M::Result), Qt::ForegroundRole).value<QColor>(),
             ui::PhaseComparisonModel::kWorseText);
    QVERIFY(
        text(model, 2, M::Claim, Qt::ToolTipRole).startsWith(u"claim not evaluated: Hits stay high — "_s));

    // Sorted by result: verified first, not evaluated last.
    checked.proxy().sort(M::Result, Qt::DescendingOrder);
    QCOMPARE(columnOf(checked.proxy(), M::Claim).first(), u"Hits stay high"_s);

    model.setReport(test::smallRun()); // no claims
    QCOMPARE(model.rowCount(), 0);
    model.setReport(test::syntheticRun());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestUiTables::panelWiring()
{
    ui::TablesPanel panel;
    QCOMPARE(panel.objectName(), u"tablesPanel"_s);
    QCOMPARE(panel.count(), 5);
    QCOMPARE(panel.tabText(ui::TablesPanel::RoutesTab), u"Routes"_s);
    QCOMPARE(panel.tabText(ui::TablesPanel::SlowQueriesTab), u"Slow queries"_s);
    QCOMPARE(panel.tabText(ui::TablesPanel::EventsTab), u"Events"_s);
    QCOMPARE(panel.tabText(ui::TablesPanel::PhasesTab), u"Phases"_s);
    QCOMPARE(panel.tabText(ui::TablesPanel::ClaimsTab), u"Claims"_s);

    const std::pair<QTableView *, QAbstractItemModel *> tables[] = {
        {panel.routesView(), panel.routeModel()},    {panel.slowQueriesView(), panel.slowQueryModel()},
        {panel.eventsView(), panel.eventLogModel()}, {panel.phasesView(), panel.phaseModel()},
        {panel.claimsView(), panel.claimsModel()},
    };
    const QStringList names = {u"routesTable"_s, u"slowQueriesTable"_s, u"eventsTable"_s, u"phasesTable"_s,
                               u"claimsTable"_s};
    for (std::size_t i = 0; i < std::size(tables); ++i) {
        QTableView *view = tables[i].first;
        QCOMPARE(view->objectName(), names[qsizetype(i)]);
        QCOMPARE(panel.widget(int(i)), view);
        QSortFilterProxyModel *proxy = panel.proxyOf(view);
        QVERIFY(proxy);
        QCOMPARE(proxy->sourceModel(), tables[i].second);
        QCOMPARE(proxy->sortRole(), ui::kSortRole);
        QVERIFY(view->isSortingEnabled());
        QVERIFY(view->alternatingRowColors());
    }
    QCOMPARE(panel.proxyOf(nullptr), nullptr);

    // Routes stay in mix order until sorted; slow queries start worst total first.
    CheckedModel routesChecked(panel.routeModel());
    panel.routeModel()->setSnapshot(snapshotOf({makeRoute(u"b"_s, 5), makeRoute(u"a"_s, 50)}), 1.0);
    QCOMPARE(columnOf(*panel.proxyOf(panel.routesView()), ui::RouteStatsModel::Route),
             (QStringList{u"b"_s, u"a"_s, u"all"_s}));
    panel.slowQueryModel()->setEntries({slowEntry(u"q1"_s, 1, 9, 9), slowEntry(u"q2"_s, 1, 10, 10)});
    QCOMPARE(columnOf(*panel.proxyOf(panel.slowQueriesView()), ui::SlowQueryModel::Fingerprint),
             (QStringList{u"q2"_s, u"q1"_s}));

    panel.resize(900, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.eventLogModel()->addEvent(timeSeriesEvent(test::kStartMs, u"settings"_s, QJsonObject{{u"a"_s, 1}}));
    panel.phaseModel()->setReport(test::syntheticRun());
    panel.setCurrentIndex(ui::TablesPanel::PhasesTab);
    QCOMPARE(panel.phasesView()->model()->rowCount(), 3);
    panel.claimsModel()->setReport(test::syntheticRun());
    QCOMPARE(panel.claimsView()->model()->rowCount(), 3);

    panel.clearAll();
    QCOMPARE(panel.routeModel()->rowCount(), 0);
    QCOMPARE(panel.slowQueryModel()->rowCount(), 0);
    QCOMPARE(panel.eventLogModel()->rowCount(), 0);
    QCOMPARE(panel.phaseModel()->rowCount(), 0);
    QCOMPARE(panel.claimsModel()->rowCount(), 0);
}

QTEST_MAIN(TestUiTables)
#include "test_ui_tables.moc"
