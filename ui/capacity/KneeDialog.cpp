// See KneeDialog.h.
#include "ui/capacity/KneeDialog.h"

#include "engine/knee/KneeCharts.h"
#include "engine/knee/KneeFinder.h"
#include "engine/knee/KneeText.h"
#include "engine/load/PathTemplate.h"
#include "ui/charts/ReportChartView.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace perflab::ui {

namespace {
QDoubleSpinBox *spin(double min, double max, double value, const QString &suffix, int decimals = 0)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}
} // namespace

KneeDialog::KneeDialog(QString labUrl, QWidget *parent) : QDialog(parent), m_labUrl(std::move(labUrl))
{
    setWindowTitle(QStringLiteral("Find capacity"));
    // Wide enough for both charts' titles and band names side by side.
    resize(1280, 860);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(QStringLiteral(
        "Open-loop steps of rising rate against the lab until latency knees: a step fails when its p99 passes the "
        "bound, when the achieved rate falls below 95 % of the offered one, or on more than 1 % errors. The capacity "
        "is the highest offered rate that passed. Try /limited with Concurrency limits at 10 in flight and 10 ms of "
        "work: theory says 1000 req/s."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_path = new QLineEdit(QStringLiteral("/limited"));
    form->addRow(QStringLiteral("Route (GET):"), m_path);
    m_startRate = spin(1, 1'000'000, 100, QStringLiteral(" req/s"));
    form->addRow(QStringLiteral("Start at:"), m_startRate);
    m_maxRate = spin(1, 1'000'000, 5000, QStringLiteral(" req/s"));
    form->addRow(QStringLiteral("At most:"), m_maxRate);
    m_p99 = spin(0.1, 60'000, 100, QStringLiteral(" ms"), 1);
    form->addRow(QStringLiteral("p99 bound:"), m_p99);
    m_stepS = spin(1, 600, 3, QStringLiteral(" s"), 1);
    form->addRow(QStringLiteral("Each step (1 s warm-up):"), m_stepS);
    m_connections = new QSpinBox;
    m_connections->setRange(1, 10'000);
    m_connections->setValue(64);
    form->addRow(QStringLiteral("Connections:"), m_connections);
    layout->addLayout(form);
    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(QStringLiteral("Start search"));
    m_stop = new QPushButton(QStringLiteral("Stop"));
    m_stop->setEnabled(false);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    layout->addLayout(buttons);
    auto *charts = new QHBoxLayout;
    m_rateChart = new ReportChartView;
    m_latencyChart = new ReportChartView;
    m_rateChart->setMinimumSize(420, 300);
    m_latencyChart->setMinimumSize(420, 300);
    charts->addWidget(m_rateChart);
    charts->addWidget(m_latencyChart);
    layout->addLayout(charts, 1);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    m_log->setFont(QFont(QStringLiteral("monospace")));
    m_log->setMinimumHeight(120);
    layout->addWidget(m_log);
    connect(m_start, &QPushButton::clicked, this, &KneeDialog::startSearch);
    connect(m_stop, &QPushButton::clicked, this, &KneeDialog::stopSearch);
}

KneeDialog::~KneeDialog()
{
    if (m_finder)
        disconnect(m_finder.get(), nullptr, this, nullptr);
}

QString KneeDialog::log() const
{
    return m_log->toPlainText();
}

void KneeDialog::startSearch()
{
    if (m_finder)
        return;
    load::RequestSpec request;
    request.path = m_path->text().trimmed();
    if (auto error = load::PathTemplate::parse(request.path); std::holds_alternative<QString>(error)) {
        QMessageBox::warning(this, windowTitle(), QStringLiteral("Route: %1").arg(std::get<QString>(error)));
        return;
    }
    if (m_maxRate->value() < m_startRate->value()) {
        QMessageBox::warning(this, windowTitle(),
                             QStringLiteral("\"At most\" must be at least the start rate."));
        return;
    }
    knee::KneeOptions options;
    options.target.url = m_labUrl;
    options.requests = {request};
    options.search.plan.startRps = m_startRate->value();
    options.search.plan.maxRps = m_maxRate->value();
    options.search.bounds.p99Ms = m_p99->value();
    options.search.stepS = m_stepS->value();
    options.search.warmupS = std::min(1.0, m_stepS->value() / 2);
    options.search.connections = m_connections->value();
    options.progress = [this](const QString &line) { m_log->appendPlainText(line); };
    m_log->clear();
    m_log->appendPlainText(knee::stepTableHeader());
    m_finder = std::make_unique<knee::KneeFinder>(std::move(options));
    connect(m_finder.get(), &knee::KneeFinder::stepFinished, this, [this](int index) {
        const knee::KneeStep &step = m_finder->result().steps[std::size_t(index)];
        m_log->appendPlainText(knee::stepTableRow(index + 1, step, m_finder->result().search.bounds));
        showSteps();
    });
    connect(m_finder.get(), &knee::KneeFinder::finished, this, [this] {
        showSteps();
        m_log->appendPlainText(knee::capacityLine(m_finder->result()));
        const bool found = m_finder->result().foundCapacity();
        endSearch();
        Q_EMIT searchEnded(found);
    });
    connect(m_finder.get(), &knee::KneeFinder::failed, this, [this](const QString &message) {
        m_log->appendPlainText(QStringLiteral("the search could not go on: %1").arg(message));
        endSearch();
        Q_EMIT searchEnded(false);
    });
    m_start->setEnabled(false);
    m_stop->setEnabled(true);
    m_finder->start();
}

void KneeDialog::stopSearch()
{
    if (m_finder)
        m_finder->cancel();
}

void KneeDialog::showSteps()
{
    const std::vector<report::NamedChart> charts = knee::kneeCharts(m_finder->result());
    for (const report::NamedChart &chart : charts) {
        if (chart.fileName.startsWith(QLatin1String("knee-rate")))
            m_rateChart->setSpec(chart.spec);
        else if (chart.fileName.startsWith(QLatin1String("knee-latency")))
            m_latencyChart->setSpec(chart.spec);
    }
}

void KneeDialog::endSearch()
{
    m_start->setEnabled(true);
    m_stop->setEnabled(false);
    // The finder emitted from inside its own coroutine: it goes once that has returned.
    disconnect(m_finder.get(), nullptr, this, nullptr);
    m_finder.release()->deleteLater();
}

} // namespace perflab::ui
