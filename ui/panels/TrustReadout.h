// TrustReadout: beside the load controls, whether the load generator keeps up with the run —
// asked against achieved, send lag p99, the busiest client thread's CPU, and the verdict in
// words — for the current phase so far, judged by load::assessGenerator as `perflab run` and
// the report judge each phase. Fed by the RunController's snapshots (4 Hz): the first one of
// a phase is its baseline, and every later one is compared with it. When the run ends it
// says what the report says for the whole run.
#pragma once

#include "engine/load/LoadSnapshot.h"
#include "engine/report/RunReport.h"

#include <QGroupBox>

#include <memory>

class QLabel;

namespace perflab::ui {

class RunController;

class TrustReadout final : public QGroupBox
{
    Q_OBJECT
public:
    explicit TrustReadout(RunController &runs, QWidget *parent = nullptr);

    QString askedText() const;
    QString sendLagText() const;
    QString cpuText() const;
    QString verdictText() const;

private:
    void onRunStarted();
    void onPhaseStarted();
    void onSnapshot(const std::shared_ptr<const load::LoadSnapshot> &snapshot);
    void onFinished(const std::shared_ptr<const report::RunReport> &report);
    void setVerdict(const QString &text, bool limited);

    std::shared_ptr<const load::LoadSnapshot> m_phaseStart; // null: the next snapshot is
    QLabel *m_asked = nullptr;
    QLabel *m_sendLag = nullptr;
    QLabel *m_cpu = nullptr;
    QLabel *m_verdict = nullptr;
};

} // namespace perflab::ui
