// The desktop window end to end: MainWindow starts a real lab (small dataset, temporary data
// folder), every settings control changed the way a user would reaches the SettingsStore and
// GET /admin/settings, a rejected value is shown and changes nothing, and the live chart
// plots the lab's requests.
#include "RawHttpClient.h"
#include "RedisProcess.h"
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/settings/LabSettings.h"
#include "ui/live/LiveChartWidget.h"
#include "ui/panels/LiveChartsPanel.h"
#include "ui/panels/SettingsPanel.h"
#include "ui/panels/TechniquePanel.h"
#include "ui/window/MainWindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace perflab;

namespace {

bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return qFuzzyCompare(1.0 + a.toDouble(), 1.0 + b.toDouble());
    return a == b;
}

QJsonValue storeValue(lab::LabServer &lab, const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    return lab.settings().current()->toJson().value(parts.at(0)).toObject().value(parts.at(1));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyControlReachesTheLab_data();
    void everyControlReachesTheLab();
    void rejectedValueIsShownAndChangesNothing();
    void liveChartPlotsRequests();
    void redisAwayIsAMarkerAndALineInWords();
    void unreadableSettingsFileIsShownNotACrash();
    void unreachableDatabaseIsShownInPlainWords();

private:
    QJsonValue httpValue(const QString &path);

    QTemporaryDir m_dir;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString settingsPath = m_dir.filePath(QStringLiteral("small.json"));
    QFile file(settingsPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(R"({"database":)") + test::smallDatasetJson() + "}");
    file.close();
    qputenv("PERFLAB_UI_SETTINGS", settingsPath.toLocal8Bit());
    qputenv("PERFLAB_UI_DATA_DIR", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
    // The window's saved state (QSettings) goes here, not into the user's config folder.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toLocal8Bit());

    m_window = std::make_unique<ui::MainWindow>();
    m_window->show();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isLabRunning() || !m_window->startError().isEmpty(), 15000);
    QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
    QVERIFY(m_window->settingsPanel());
    QVERIFY(m_window->liveCharts());
    QCOMPARE(m_window->lab()->settings().current()->database.datasetUsers, test::kSmallDatasetUsers);
}

void TestMainWindow::cleanupTestCase()
{
    m_window.reset();
    qunsetenv("PERFLAB_UI_SETTINGS");
    qunsetenv("PERFLAB_UI_DATA_DIR");
}

QJsonValue TestMainWindow::httpValue(const QString &path)
{
    test::RawHttpClient client(m_window->lab()->port());
    if (!client.isConnected())
        return QJsonValue::Undefined;
    client.send(test::simpleGet("/admin/settings"));
    const auto response = client.readResponse();
    if (!response || response->status != 200)
        return QJsonValue::Undefined;
    const QStringList parts = path.split(QLatin1Char('.'));
    return QJsonDocument::fromJson(response->body).object().value(parts.at(0)).toObject().value(parts.at(1));
}

void TestMainWindow::everyControlReachesTheLab_data()
{
    QTest::addColumn<QString>("path");
    // Every field of the settings document, so a field without a control fails here.
    const QJsonObject all = settings::LabSettings().toJson();
    for (auto section = all.begin(); section != all.end(); ++section) {
        const QJsonObject fields = section.value().toObject();
        for (auto field = fields.begin(); field != fields.end(); ++field) {
            const QString path = section.key() + QLatin1Char('.') + field.key();
            QTest::newRow(qPrintable(path)) << path;
        }
    }
}

void TestMainWindow::everyControlReachesTheLab()
{
    QFETCH(QString, path);
    lab::LabServer &lab = *m_window->lab();
    QWidget *control = m_window->settingsPanel()->control(path);
    QVERIFY2(control, "no control for this setting");
    const QJsonValue before = storeValue(lab, path);

    if (path.endsWith(QLatin1String("backend")) && lab.settings().current()->redis.url.isEmpty()) {
        // The "redis" choice of a backend is refused while no Redis is named: name one first
        // (another address than the redis.url row sets, so that its change is a change).
        lab.settings().patch(
            {{QStringLiteral("redis"),
              QJsonObject{{QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:6391/0")}}}});
    }
    QJsonValue wanted;
    if (auto *box = qobject_cast<QComboBox *>(control); box && box->count() == 1) {
        // One choice (the only one the engine acts on): shown, not changeable.
        QVERIFY(!box->isEnabled());
        QCOMPARE(QJsonValue(box->currentText()), before);
        return;
    }
    // A backend on Redis needs a Redis named first (the settings refuse it otherwise); put back
    // afterwards, so that the rest of the suite runs on the in-process backends.
    const bool redisBackend =
        path == QLatin1String("cache.backend") || path == QLatin1String("background.queue_backend");
    const QJsonObject redisBefore = lab.settings().current()->toJson();
    const auto restoreRedis = qScopeGuard([&] {
        if (redisBackend)
            lab.settings().patch(settings::changedFields(lab.settings().current()->toJson(), redisBefore));
    });
    if (redisBackend) {
        const QJsonObject url{
            {QStringLiteral("redis"),
             QJsonObject{{QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:6390/0")}}}};
        QVERIFY(
            std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(lab.settings().patch(url)));
    }
    if (auto *box = qobject_cast<QComboBox *>(control)) {
        const QString other = box->itemText((box->currentIndex() + 1) % box->count());
        if (other == QLatin1String("redis") && lab.settings().current()->redis.url.isEmpty()) {
            // A backend on Redis needs a Redis named (one that does not answer is accepted);
            // not the URL the redis.url row sets later, so that its row still changes something.
            QVERIFY(std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(
                lab.settings().patch(QJsonObject{
                    {QStringLiteral("redis"),
                     QJsonObject{{QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:6391/0")}}}})));
        }
        box->setCurrentText(other);
        wanted = other;
    } else if (auto *check = qobject_cast<QCheckBox *>(control)) {
        check->setChecked(!check->isChecked());
        wanted = check->isChecked();
    } else if (auto *spin = qobject_cast<QSpinBox *>(control)) {
        spin->setValue(spin->value() + 1);
        wanted = spin->value();
    } else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(control)) {
        dspin->setValue(dspin->value() + 0.25);
        wanted = dspin->value();
    } else if (auto *edit = qobject_cast<QLineEdit *>(control)) {
        const QString text = path == QLatin1String("database.url")
                                 ? QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("other.db"))
                                 : QStringLiteral("redis://127.0.0.1:6390/0");
        edit->setText(text);
        Q_EMIT edit->editingFinished();
        wanted = text;
    } else {
        QFAIL("unexpected control type");
    }
    QVERIFY2(!sameValue(before, wanted), "the test did not pick a different value");
    QVERIFY2(m_window->settingsPanel()->errorText().isEmpty(),
             qPrintable(m_window->settingsPanel()->errorText()));
    const auto shown = [](const QJsonValue &value) {
        return QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("value"), value}}).toJson(QJsonDocument::Compact));
    };
    QVERIFY2(sameValue(storeValue(lab, path), wanted),
             qPrintable(QStringLiteral("store: ") + shown(storeValue(lab, path))));
    QVERIFY2(sameValue(httpValue(path), wanted),
             qPrintable(QStringLiteral("GET /admin/settings: ") + shown(httpValue(path))));
}

void TestMainWindow::rejectedValueIsShownAndChangesNothing()
{
    lab::LabServer &lab = *m_window->lab();
    auto *level =
        qobject_cast<QSpinBox *>(m_window->settingsPanel()->control(QStringLiteral("compression.level")));
    QVERIFY(level);
    const int before = lab.settings().current()->compression.level;
    const quint64 version = lab.settings().version();
    // The spin box keeps to the field's range (a value outside it is never sent), so a
    // rejection is provoked past it, the way a value from elsewhere would arrive.
    Q_EMIT m_window->settingsPanel()
        ->technique(QStringLiteral("compression"))
        ->edited(QStringLiteral("compression"), QStringLiteral("level"), 99);
    QVERIFY2(m_window->settingsPanel()->errorText().contains(QLatin1String("compression.level")),
             qPrintable(m_window->settingsPanel()->errorText()));
    QCOMPARE(lab.settings().current()->compression.level, before);
    QCOMPARE(lab.settings().version(), version);
    QCOMPARE(level->value(), before); // the control shows the value in force again
    QCOMPARE(httpValue(QStringLiteral("compression.level")).toInt(), before);

    // The next accepted change clears the message.
    level->setValue(before == 9 ? 8 : before + 1);
    QVERIFY(m_window->settingsPanel()->errorText().isEmpty());
}

void TestMainWindow::liveChartPlotsRequests()
{
    ui::LiveChartsPanel *charts = m_window->liveCharts();
    // The setting changes above are markers on the charts (queued from the store).
    QTRY_VERIFY(charts->markerCount() > 0);
    for (int i = 0; i < 5; ++i) {
        test::RawHttpClient client(m_window->lab()->port());
        client.send(test::simpleGet("/hello"));
        const auto response = client.readResponse();
        QVERIFY(response);
    }
    using Kind = ui::LiveChartsPanel::ChartKind;
    const auto plotted = [charts](Kind kind, const QString &line) {
        QLineSeries *series = charts->series(kind, line);
        if (!series)
            return false;
        const QList<QPointF> points = series->points();
        return std::any_of(points.begin(), points.end(), [](const QPointF &p) { return p.y() > 0; });
    };
    // The server's side without a load run: its requests and its latency.
    QTRY_VERIFY_WITH_TIMEOUT(plotted(Kind::Throughput, QStringLiteral("requests/s")), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(plotted(Kind::Latency, QStringLiteral("p50")), 5000);
    QVERIFY(!charts->clientAttached());
}

// The cache moved to a Redis that is not there: the chart marker of the turn, and the Redis
// page's line saying why, both from the lab's Redis client as the window wires them.
void TestMainWindow::redisAwayIsAMarkerAndALineInWords()
{
    lab::LabServer &lab = *m_window->lab();
    const quint16 port = test::RedisProcess::freePort();
    const QString url = QStringLiteral("redis://127.0.0.1:%1/0").arg(port);
    QVERIFY(
        std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(lab.settings().patch(QJsonObject{
            {QStringLiteral("cache"), QJsonObject{{QStringLiteral("backend"), QStringLiteral("redis")},
                                                  {QStringLiteral("redis_url"), url}}}})));
    const QString reason = QStringLiteral("Redis unreachable: connection refused at 127.0.0.1:%1").arg(port);
    QLabel *status = m_window->settingsPanel()->technique(QStringLiteral("redis"))->statusLabel();
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(reason), 5000);
    ui::LiveChartWidget *chart = m_window->liveCharts()->chart(ui::LiveChartsPanel::ChartKind::Latency);
    const auto marked = [chart, &reason] {
        const auto &markers = chart->markers();
        return std::any_of(markers.begin(), markers.end(),
                           [&](const auto &marker) { return marker.label == reason; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(marked(), 5000);
}

void TestMainWindow::unreadableSettingsFileIsShownNotACrash()
{
    qputenv("PERFLAB_UI_SETTINGS", m_dir.filePath(QStringLiteral("missing.json")).toLocal8Bit());
    ui::MainWindow window;
    window.show();
    QTRY_VERIFY(!window.startError().isEmpty());
    QVERIFY(!window.isLabRunning());
    QVERIFY(window.lab() == nullptr);
    QVERIFY2(window.startError().contains(QLatin1String("missing.json")), qPrintable(window.startError()));
}

void TestMainWindow::unreachableDatabaseIsShownInPlainWords()
{
    const QString settingsPath = m_dir.filePath(QStringLiteral("unreachable.json"));
    QFile file(settingsPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Port 1 on loopback: nothing listens there.
    file.write(R"({"database": {"url": "postgresql://lab:secret@127.0.0.1:1/perflab"}})");
    file.close();
    qputenv("PERFLAB_UI_SETTINGS", settingsPath.toLocal8Bit());
    qputenv("PERFLAB_UI_DATA_DIR", m_dir.filePath(QStringLiteral("unreachable-data")).toLocal8Bit());
    ui::MainWindow window;
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(!window.startError().isEmpty(), 30000);
    QVERIFY(!window.isLabRunning());
    const QString message = window.startError();
    QVERIFY2(message.contains(QLatin1String("could not start")) &&
                 message.contains(QLatin1String("127.0.0.1:1")),
             qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("secret")), qPrintable(message)); // the password is masked
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
