// The window's lab run as a cluster: with two instances, the lab in the window is instance 1
// and a `perflab serve` process instance 2, on a PostgreSQL and a Redis the window starts, with
// nginx in front. A setting changed in the panel reaches instance 2; a run goes through nginx,
// its report breaks each phase down per instance, and the live charts and the Server page show
// each instance's share; restarting alone stops the other processes and gives the lab its own
// database back.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/cluster/LocalCluster.h"
#include "engine/lab/LabServer.h"
#include "engine/scenario/Scenario.h"
#include "engine/settings/LabSettings.h"
#include "ui/panels/InstancesControl.h"
#include "ui/panels/LiveChartsPanel.h"
#include "ui/panels/SettingsPanel.h"
#include "ui/run/RunController.h"
#include "ui/window/MainWindow.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <memory>
#include <variant>

using namespace perflab;
using perflab::test::RawHttpClient;
using perflab::test::RawResponse;
using perflab::test::simpleGet;

namespace {

RawResponse get(const QString &baseUrl, const QByteArray &path)
{
    RawHttpClient client(quint16(QUrl(baseUrl).port()));
    if (!client.isConnected())
        return {};
    client.send(simpleGet(path));
    return client.readResponse(5000).value_or(RawResponse{});
}

QByteArray scenarioJson()
{
    return R"({
  "name": "window cluster",
  "description": "reads through nginx, cache on",
  "settings": {"cache": {"enabled": true, "ttl_s": 60}},
  "load": {"model": "closed", "connections": 4},
  "requests": [{"method": "GET", "path": "/users/{uniform:1..2000}"}],
  "phases": [{"name": "reads", "duration_s": 3}]
})";
}

} // namespace

class TestWindowCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void labRunsAsTwoInstancesBehindNginx();
    void settingChangedInThePanelReachesTheOtherInstance();
    void runGoesThroughNginxAndIsBrokenDownPerInstance();
    void restartingAloneStopsTheOtherInstances();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestWindowCluster::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString settingsPath = m_dir.filePath(QStringLiteral("small.json"));
    QFile settings(settingsPath);
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write(QByteArray(R"({"database":)") + test::smallDatasetJson() + "}");
    settings.close();
    qputenv("PERFLAB_UI_SETTINGS", settingsPath.toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toLocal8Bit());
    qputenv("PERFLAB_UI_DATA_DIR", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
    qputenv("PERFLAB_UI_INSTANCES", "2");
    m_window = std::make_unique<ui::MainWindow>();
    m_window->setServeProgram(QStringLiteral(PERFLAB_BINARY));
    m_window->show();
    // initdb and the dataset in PostgreSQL take seconds the first time.
    QVERIFY(QTest::qWaitFor([&] { return m_window->isLabRunning() || !m_window->startError().isEmpty(); },
                            180000));
    QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
}

void TestWindowCluster::cleanupTestCase()
{
    m_window.reset(); // stops nginx, instance 2, Redis and PostgreSQL
}

void TestWindowCluster::labRunsAsTwoInstancesBehindNginx()
{
    cluster::LocalCluster *cluster = m_window->cluster();
    QVERIFY(cluster);
    QCOMPARE(m_window->instances(), 2);
    const QStringList members = cluster->instanceUrls();
    QCOMPARE(members.size(), 2);
    QCOMPARE(members.first(), m_window->lab()->url()); // the window's lab is instance 1
    QVERIFY(m_window->lab()->settings().current()->database.url.startsWith(QStringLiteral("postgresql://")));
    QVERIFY(m_window->instancesControl());
    QCOMPARE(m_window->instancesControl()->spinBox()->value(), 2);

    // nginx sends requests to both: each labels its metrics with its name.
    QSet<QString> seen;
    for (int i = 0; i < 6; ++i) {
        const RawResponse metrics = get(cluster->url(), "/metrics");
        QCOMPARE(metrics.status, 200);
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("http_requests_in_flight\\{instance=\"(\\d)\"\\}"))
                .match(QString::fromUtf8(metrics.body));
        QVERIFY(match.hasMatch());
        seen.insert(match.captured(1));
    }
    QCOMPARE(seen, (QSet<QString>{QStringLiteral("1"), QStringLiteral("2")}));
    QCOMPARE(get(cluster->url(), "/users/7").status, 200); // the shared PostgreSQL answers
}

void TestWindowCluster::settingChangedInThePanelReachesTheOtherInstance()
{
    auto *ttl =
        qobject_cast<QDoubleSpinBox *>(m_window->settingsPanel()->control(QStringLiteral("cache.ttl_s")));
    QVERIFY(ttl);
    const int wanted = ttl->value() == 77 ? 78 : 77;
    ttl->setValue(wanted);
    QCOMPARE(m_window->lab()->settings().current()->cache.ttlS, double(wanted));
    const QString second = m_window->cluster()->instanceUrls().at(1);
    QTRY_VERIFY_WITH_TIMEOUT(QJsonDocument::fromJson(get(second, "/admin/settings").body)
                                     .object()
                                     .value(QStringLiteral("cache"))
                                     .toObject()
                                     .value(QStringLiteral("ttl_s"))
                                     .toDouble() == wanted,
                             5000);
}

void TestWindowCluster::runGoesThroughNginxAndIsBrokenDownPerInstance()
{
    auto parsed = scenario::parseScenario(QJsonDocument::fromJson(scenarioJson()).object(),
                                          QStringLiteral("window-cluster.json"));
    auto *error = std::get_if<scenario::ScenarioError>(&parsed);
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    ui::RunController *runs = m_window->runController();
    QSignalSpy finished(runs, &ui::RunController::finished);
    QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
    QSignalSpy failed(runs, &ui::RunController::failed);
    QVERIFY(
        runs->start(std::get<scenario::Scenario>(std::move(parsed)), 1.0, QStringLiteral("window-cluster")));
    QVERIFY(QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, 60000));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const auto report = finished.first().first().value<std::shared_ptr<const report::RunReport>>();
    QVERIFY2(report->target.startsWith(
                 QStringLiteral("cluster of 2 instances behind nginx (%1)").arg(m_window->cluster()->url())),
             qPrintable(report->target));
    QCOMPARE(report->phases.size(), std::size_t(1));
    const auto &members = report->phases.front().members;
    QCOMPARE(members.size(), std::size_t(2));
    double sum = 0;
    for (const auto &member : members) {
        QVERIFY(member.answered);
        QVERIFY2(
            member.requests > 50,
            qPrintable(QStringLiteral("instance %1: %2 requests").arg(member.instance).arg(member.requests)));
        sum += member.requests;
    }
    // Both members served the run's requests between them: the members' counters are read just
    // before and after the generator's, a few milliseconds of load apart.
    const double sent = double(report->phases.front().stats.total().responses);
    QVERIFY2(std::abs(sum - sent) <= 0.02 * sent,
             qPrintable(QStringLiteral("members %1, client %2").arg(sum).arg(sent)));

    // The live breakdown: each instance's line on the throughput chart, a line per member on
    // the Server page.
    ui::LiveChartsPanel *charts = m_window->liveCharts();
    charts->redrawNow();
    for (const char *line : {"instance 1", "instance 2", "all instances"}) {
        const QList<QPointF> points =
            charts->chart(ui::LiveChartsPanel::ChartKind::Throughput)->linePoints(QString::fromLatin1(line));
        const bool moved =
            std::any_of(points.cbegin(), points.cend(), [](const QPointF &p) { return p.y() > 10; });
        QVERIFY2(moved, line);
    }
    const QString text = m_window->instancesControl()->membersText();
    QCOMPARE(text.count(QStringLiteral("req/s")), 2);
    QVERIFY2(text.contains(QStringLiteral("1 (this window)")), qPrintable(text));
    QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty(),
                             60000); // the report folder is written before the lab may restart
}

void TestWindowCluster::restartingAloneStopsTheOtherInstances()
{
    const QStringList members = m_window->cluster()->instanceUrls();
    const QString balancer = m_window->cluster()->url();
    QSignalSpy started(m_window.get(), &ui::MainWindow::labStarted);
    QVERIFY(m_window->restartLab(1));
    QVERIFY(started.wait(60000));
    QVERIFY(m_window->isLabRunning());
    QVERIFY(!m_window->cluster());
    QCOMPARE(m_window->instances(), 1);
    QVERIFY2(m_window->lab()->settings().current()->database.url.startsWith(QStringLiteral("sqlite")),
             qPrintable(m_window->lab()->settings().current()->database.url));
    QCOMPARE(get(m_window->lab()->url(), "/users/7").status, 200);
    QCOMPARE(get(members.at(1), "/hello").status, 0); // instance 2 is gone
    QCOMPARE(get(balancer, "/hello").status, 0);      // and nginx
    QCOMPARE(m_window->instancesControl()->spinBox()->value(), 1);
    QVERIFY(m_window->instancesControl()->membersText().isEmpty());
}

QTEST_MAIN(TestWindowCluster)
#include "test_window_cluster.moc"
