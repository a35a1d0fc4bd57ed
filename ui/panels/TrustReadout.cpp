// TrustReadout: see TrustReadout.h.
#include "ui/panels/TrustReadout.h"

#include "engine/load/GeneratorTrust.h"
#include "engine/report/HtmlTrust.h"
#include "ui/run/RunController.h"

#include <QFormLayout>
#include <QLabel>

namespace perflab::ui {

namespace {
QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}
} // namespace

TrustReadout::TrustReadout(RunController &runs, QWidget *parent)
    : QGroupBox(QStringLiteral("Load generator"), parent)
{
    setObjectName(QStringLiteral("trustReadout"));
    setToolTip(QStringLiteral(
        "Whether the load generator keeps its own schedule in this phase. When it does not, the "
        "figures are the generator's, not the server's."));
    auto *form = new QFormLayout(this);
    auto label = [this](const char *name) {
        auto *l = new QLabel(QStringLiteral("—"), this);
        l->setObjectName(QLatin1String(name));
        l->setWordWrap(true);
        return l;
    };
    m_asked = label("trustAsked");
    m_sendLag = label("trustSendLag");
    m_cpu = label("trustCpu");
    m_verdict = label("trustVerdict");
    form->addRow(QStringLiteral("Asked / sent"), m_asked);
    form->addRow(QStringLiteral("Send lag p99"), m_sendLag);
    form->addRow(QStringLiteral("Generator CPU"), m_cpu);
    form->addRow(QStringLiteral("Verdict"), m_verdict);
    m_verdict->setText(QStringLiteral("No run yet."));

    connect(&runs, &RunController::started, this, [this] { onRunStarted(); });
    connect(&runs, &RunController::phaseStarted, this, [this] { onPhaseStarted(); });
    // A live load change starts a segment with its own asked rate: judged from there on.
    connect(&runs, &RunController::loadChanged, this, [this] { onPhaseStarted(); });
    connect(
        &runs, &RunController::snapshotAvailable, this,
        [this](const std::shared_ptr<const load::LoadSnapshot> &snapshot, double) { onSnapshot(snapshot); });
    connect(&runs, &RunController::finished, this,
            [this](const std::shared_ptr<const report::RunReport> &report, const QString &, bool) {
                onFinished(report);
            });
    connect(&runs, &RunController::failed, this,
            [this] { setVerdict(QStringLiteral("The run failed."), false); });
}

QString TrustReadout::askedText() const
{
    return m_asked->text();
}
QString TrustReadout::sendLagText() const
{
    return m_sendLag->text();
}
QString TrustReadout::cpuText() const
{
    return m_cpu->text();
}
QString TrustReadout::verdictText() const
{
    return m_verdict->text();
}

void TrustReadout::onRunStarted()
{
    m_phaseStart.reset();
    for (QLabel *figure : {m_asked, m_sendLag, m_cpu})
        figure->setText(QStringLiteral("—"));
    setVerdict(QStringLiteral("Waiting for the first phase."), false);
}

void TrustReadout::onPhaseStarted()
{
    m_phaseStart.reset();
}

void TrustReadout::onSnapshot(const std::shared_ptr<const load::LoadSnapshot> &snapshot)
{
    if (!m_phaseStart) {
        m_phaseStart = snapshot;
        setVerdict(QStringLiteral("Measuring…"), false);
        return;
    }
    const load::GeneratorTrust trust =
        load::assessGenerator(load::LoadSnapshot::between(*snapshot, *m_phaseStart).generator);
    if (trust.openLoop)
        m_asked->setText(QStringLiteral("%1 / %2 req/s (%3 %)")
                             .arg(number(trust.askedPerS, 0), number(trust.achievedPerS, 0),
                                  number(100.0 * trust.achievedShare, 1)));
    else
        m_asked->setText(
            QStringLiteral("closed loop (nothing asked) / %1 req/s").arg(number(trust.achievedPerS, 0)));
    m_sendLag->setText(trust.openLoop
                           ? QStringLiteral("%1 ms (bound %2 ms)")
                                 .arg(number(trust.sendLagP99Ms, 2), number(trust.sendLagBoundMs, 0))
                           : QStringLiteral("none in a closed loop"));
    const int busiest = trust.busiestThread();
    if (busiest < 0) {
        m_cpu->setText(QStringLiteral("not measured"));
    } else {
        const load::ClientThreadShare &thread = trust.threads[std::size_t(busiest)];
        QString cpu = QStringLiteral("%1 % of a core").arg(number(100.0 * thread.cpu, 1));
        if (trust.runWaitKnown)
            cpu += QStringLiteral(", %1 % waiting for one").arg(number(100.0 * thread.runWait, 1));
        m_cpu->setText(cpu);
    }
    setVerdict(trust.generatorLimited
                   ? QStringLiteral("The generator is the limit, so these figures are not the server's: %1.")
                         .arg(trust.reasons.join(QStringLiteral("; ")))
               : trust.notes.isEmpty()
                   ? QStringLiteral("Keeping up: these figures are the server's.")
                   : QStringLiteral("Keeping up, but %1.").arg(trust.notes.join(QStringLiteral("; "))),
               trust.generatorLimited);
}

void TrustReadout::onFinished(const std::shared_ptr<const report::RunReport> &report)
{
    setVerdict(QStringLiteral("The run's load generator %1.").arg(report::trustSummaryText(*report)),
               report->generatorLimited());
}

void TrustReadout::setVerdict(const QString &text, bool limited)
{
    m_verdict->setText(text);
    // Okabe-Ito vermillion, as the report marks what is worse.
    m_verdict->setStyleSheet(limited ? QStringLiteral("color: #D55E00; font-weight: 600;") : QString());
}

} // namespace perflab::ui
