// The lab server as one object (STYLE §2: one QObject facade per long job): the routes of
// the lab, the HTTP engine, and the metrics it feeds. `perflab serve`, `perflab run` and the
// desktop app all start the lab through this class.
#pragma once

#include "http/HttpServer.h"

#include <QObject>

#include <memory>
#include <optional>

namespace perflab::lab {

struct LabServerConfig
{
    http::ServerConfig server;
};

class LabServer final : public QObject
{
    Q_OBJECT
public:
    explicit LabServer(LabServerConfig config, QObject *parent = nullptr);
    ~LabServer() override;

    std::optional<http::StartError> start();
    QString url() const { return m_server->url(); }
    quint16 port() const { return m_server->port(); }
    int threadCount() const { return m_server->threadCount(); }
    void drain() { m_server->drain(); }
    http::HttpServer &httpServer() { return *m_server; }

Q_SIGNALS:
    void drained();

private:
    LabServerConfig m_config;
    std::shared_ptr<http::Router> m_router;
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace perflab::lab
