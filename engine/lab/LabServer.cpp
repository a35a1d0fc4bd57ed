// See LabServer.h.
#include "lab/LabServer.h"

#include "lab/BaselineRoutes.h"
#include "lab/HttpMetrics.h"
#include "lab/MetricsRoutes.h"

#include <QDir>
#include <QJsonObject>
#include <QStandardPaths>

namespace perflab::lab {

LabServer::LabServer(LabServerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_settings(m_config.settings),
      m_router(std::make_shared<http::Router>())
{
    addBaselineRoutes(*m_router);
    addMetricsRoutes(*m_router, m_registry, [this] {
        return QJsonObject{
            {QStringLiteral("url"), m_url},
            {QStringLiteral("threads"), m_threads},
            {QStringLiteral("uptime_s"), double(m_uptime.elapsed()) / 1000.0},
            {QStringLiteral("open_connections"), m_server->openConnections()},
            {QStringLiteral("version"), QStringLiteral(PERFLAB_VERSION)},
        };
    });
    // Routes are complete: the metrics can size their per-route tables.
    m_httpMetrics = std::make_shared<HttpMetrics>(m_registry, *m_router);
    m_server = std::make_unique<http::HttpServer>(m_router, m_config.server, m_httpMetrics);
    m_sampler = std::make_unique<metrics::Sampler>(m_registry, HttpMetrics::sampleSpecs());
    connect(m_server.get(), &http::HttpServer::drained, this, [this] {
        m_sampler->stop();
        Q_EMIT drained();
    });
}

LabServer::~LabServer()
{
    m_server->stop(); // the workers use the router, metrics and registry: join them first
}

std::optional<http::StartError> LabServer::start()
{
    m_uptime.start();
    if (auto error = m_server->start())
        return error;
    m_url = m_server->url();
    m_threads = m_server->threadCount();
    m_sampler->start();
    return std::nullopt;
}

QString LabServer::dataDir() const
{
    const QString dir = m_config.dataDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        : m_config.dataDir;
    QDir().mkpath(dir);
    return dir;
}

void LabServer::drain()
{
    m_server->drain();
}

} // namespace perflab::lab
