// ReportExport: see ReportExport.h.
#include "ui/report/ReportExport.h"

#include "engine/report/ReportWriter.h"
#include "ui/report/RenderedCharts.h"

#include <QThread>

#include <memory>
#include <optional>

namespace perflab::ui {

ReportExport::ReportExport(report::RunReport report, QString dir, QObject *parent)
    : QObject(parent), m_report(std::move(report)), m_dir(std::move(dir))
{
}

ReportExport::~ReportExport()
{
    if (m_worker) {
        m_worker->wait();
        delete m_worker;
    }
}

void ReportExport::cancel()
{
    m_cancel = true;
}

void ReportExport::start()
{
    Q_EMIT progress(5, QStringLiteral("writing run.json, timeseries.csv, report.html…"));
    // The engine's files need no GUI: they are written away from the window's thread.
    auto result = std::make_shared<std::optional<QString>>();
    m_worker = QThread::create([this, result] { *result = report::writeReportFolder(m_report, m_dir); });
    connect(m_worker, &QThread::finished, this, [this, result] {
        if (*result) {
            Q_EMIT failed(**result);
        } else if (m_cancel) {
            Q_EMIT cancelled();
        } else {
            Q_EMIT progress(50, QStringLiteral("drawing charts/*.png and report.pdf…"));
            // After the progress has been painted.
            QMetaObject::invokeMethod(this, &ReportExport::renderCharts, Qt::QueuedConnection);
        }
    });
    m_worker->start();
}

void ReportExport::renderCharts()
{
    if (m_cancel) {
        Q_EMIT cancelled();
        return;
    }
    if (auto error = writeRenderedCharts(m_report, m_dir)) {
        Q_EMIT failed(*error);
        return;
    }
    Q_EMIT progress(100, QStringLiteral("done"));
    Q_EMIT finished(m_dir);
}

} // namespace perflab::ui
