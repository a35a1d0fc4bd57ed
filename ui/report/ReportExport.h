// ReportExport: writing one run's report folder (docs/reference/report-folder.md) from the
// desktop window as one job object the window connects to (progress, cancel, result): run.json,
// timeseries.csv, latency-*.hgrm, report.html and charts/*.svg (report::writeReportFolder) on a
// worker thread, then charts/*.png and report.pdf (writeRenderedCharts, QtGui: the GUI thread) —
// the same files `perflab run` writes. progress() tells the step; cancel() stops before the next
// step (a step under way finishes, so no file is left half written: each goes through QSaveFile);
// cancelled() then says so and what was written stays.
#pragma once

#include "engine/report/RunReport.h"

#include <QObject>
#include <QString>

#include <atomic>

class QThread;

namespace perflab::ui {

class ReportExport final : public QObject
{
    Q_OBJECT
public:
    ReportExport(report::RunReport report, QString dir, QObject *parent = nullptr);
    ~ReportExport() override; // waits for a step on the worker thread

    QString dir() const { return m_dir; }

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void progress(int percent, const QString &step);
    void finished(const QString &dir);
    void failed(const QString &message);
    void cancelled();

private:
    void renderCharts();

    report::RunReport m_report;
    QString m_dir;
    std::atomic<bool> m_cancel{false};
    QThread *m_worker = nullptr; // writes the engine's files; joined by the destructor
};

} // namespace perflab::ui
