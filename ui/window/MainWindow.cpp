// MainWindow: see MainWindow.h.
#include "window/MainWindow.h"

#include "lab/LabServer.h"
#include "metrics/Sample.h"
#include "panels/SettingsPanel.h"
#include "window/LiveChart.h"

#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

#include <variant>

namespace perflab::ui {

namespace {

// The settings document of PERFLAB_UI_SETTINGS over the defaults, or a message saying why not.
std::variant<settings::LabSettings, QString> startSettings()
{
    const QString path = qEnvironmentVariable("PERFLAB_UI_SETTINGS");
    if (path.isEmpty())
        return settings::LabSettings();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the settings file %1: %2").arg(path, file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("The settings file %1 is not a JSON object of setting sections.").arg(path);
    auto result = settings::applyPatch(settings::LabSettings(), doc.object());
    if (auto *error = std::get_if<settings::SettingsError>(&result))
        return QStringLiteral("The settings file %1 has a bad value: %2").arg(path, error->message());
    return std::get<settings::LabSettings>(result);
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Perflab"));
    resize(1280, 800);
    buildMenus();

    m_centralMessage = new QLabel(QStringLiteral("Starting the lab server…"), this);
    m_centralMessage->setAlignment(Qt::AlignCenter);
    m_centralMessage->setWordWrap(true);
    setCentralWidget(m_centralMessage);

    m_settingsDock = new QDockWidget(QStringLiteral("Settings"), this);
    m_settingsDock->setObjectName(QStringLiteral("settingsDock"));
    m_settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_settingsDock->setMinimumWidth(300); // room for the longest field names and their spin boxes
    addDockWidget(Qt::LeftDockWidgetArea, m_settingsDock);

    m_addressLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_addressLabel);
    statusBar()->showMessage(QStringLiteral("starting the lab server…"));
}

MainWindow::~MainWindow()
{
    // The panel and the chart hold references into the lab: they go first, the lab after.
    delete m_settingsPanel;
    delete m_chart;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *quit = file->addAction(QStringLiteral("&Quit"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    connect(help->addAction(QStringLiteral("&About Perflab")), &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // The start blocks while the dataset is made: let the window paint first.
    if (!m_startScheduled) {
        m_startScheduled = true;
        QTimer::singleShot(0, this, &MainWindow::startLab);
    }
}

void MainWindow::startLab()
{
    auto loaded = startSettings();
    if (auto *message = std::get_if<QString>(&loaded)) {
        failStart(*message);
        return;
    }
    lab::LabServerConfig config;
    config.server.host = QStringLiteral("127.0.0.1");
    config.server.port = 0;
    config.dataDir = qEnvironmentVariable("PERFLAB_UI_DATA_DIR");
    config.settings = std::get<settings::LabSettings>(loaded);
    // The start runs on this thread, but the database start waits in a nested event loop
    // (QCoro::waitFor) that may be inside a paint: QStatusBar::showMessage() repaints at once
    // (a recursive repaint, seen crashing), so the step is posted and shown from the event loop.
    // A progress dialog is later work.
    config.progress = [this](const QString &line) {
        QMetaObject::invokeMethod(this, [this, line] { showProgress(line); }, Qt::QueuedConnection);
    };
    m_lab = std::make_unique<lab::LabServer>(config);
    if (auto error = m_lab->start()) {
        m_lab.reset();
        failStart(QStringLiteral("The lab server could not start: %1").arg(error->message));
        return;
    }
    m_running = true;

    const metrics::SampleSchema &schema = m_lab->sampler().schema();
    m_requestsColumn = schema.indexOf(QStringLiteral("requests"));
    m_errorsColumn = schema.indexOf(QStringLiteral("errors"));

    m_chart = new LiveChart(schema, this);
    setCentralWidget(m_chart); // deletes the start-up message
    m_centralMessage = nullptr;
    m_settingsPanel = new SettingsPanel(m_lab->settings(), m_settingsDock);
    m_settingsDock->setWidget(m_settingsPanel);

    // The sampler lives on this thread; settings change on whichever thread patched (HTTP
    // workers for PATCH /admin/settings), so that one is queued explicitly.
    connect(&m_lab->sampler(), &metrics::Sampler::sampled, this, &MainWindow::onSample);
    connect(&m_lab->sampler(), &metrics::Sampler::sampled, m_chart, &LiveChart::addSample);
    connect(&m_lab->settings(), &settings::SettingsStore::changed, m_chart,
            [chart = m_chart](const QJsonObject &patch, const QJsonObject &) { chart->addMarker(QDateTime::currentMSecsSinceEpoch(), patch); },
            Qt::QueuedConnection);

    m_addressLabel->setText(m_lab->url());
    statusBar()->showMessage(QStringLiteral("lab running at %1").arg(m_lab->url()));
    Q_EMIT labStarted(m_lab->url());
}

void MainWindow::showProgress(const QString &line)
{
    if (m_running || !m_startError.isEmpty())
        return;
    statusBar()->showMessage(line);
    if (m_centralMessage)
        m_centralMessage->setText(QStringLiteral("Starting the lab server…\n%1").arg(line));
}

void MainWindow::failStart(const QString &message)
{
    m_startError = message;
    statusBar()->showMessage(QStringLiteral("the lab server is not running"));
    if (m_centralMessage) {
        m_centralMessage->setText(message);
        m_centralMessage->setStyleSheet(QStringLiteral("color: #b00020;"));
    }
    Q_EMIT labFailed(message);
}

void MainWindow::onSample(const metrics::Sample &sample)
{
    m_rateLabel->setText(QStringLiteral("%1 req/s   %2 errors/s")
                             .arg(sample.perSecond(m_requestsColumn), 0, 'f', 1)
                             .arg(sample.perSecond(m_errorsColumn), 0, 'f', 1));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, QStringLiteral("About Perflab"),
                       QStringLiteral("Perflab %1\nQt %2\n\nA lab for web performance: change a setting, watch the "
                                      "latency and throughput respond.")
                           .arg(QStringLiteral(PERFLAB_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace perflab::ui
