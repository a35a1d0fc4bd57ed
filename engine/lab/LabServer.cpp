// See LabServer.h.
#include "lab/LabServer.h"

#include "lab/BaselineRoutes.h"

namespace perflab::lab {

LabServer::LabServer(LabServerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_router(std::make_shared<http::Router>())
{
    addBaselineRoutes(*m_router);
    m_server = std::make_unique<http::HttpServer>(m_router, m_config.server);
    connect(m_server.get(), &http::HttpServer::drained, this, &LabServer::drained);
}

LabServer::~LabServer() = default;

std::optional<http::StartError> LabServer::start()
{
    return m_server->start();
}

} // namespace perflab::lab
