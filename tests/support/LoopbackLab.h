// The loopback fixture of the route suites: a lab in its smallest form (live settings, a metrics
// registry, and a router the suite fills with the routes under test) served by a real HttpServer
// on 127.0.0.1, with the raw requests the suites send it and the metric values they read back
// (what /metrics would show, not a component's own view).
#pragma once

#include "RawHttpClient.h"

#include "engine/http/HttpServer.h"
#include "engine/http/Router.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>

namespace perflab::test {

// Any free loopback port, `threads` workers, and a drain short enough that a test that leaves a
// request hanging still ends soon.
http::ServerConfig loopbackConfig(int threads = 2, quint16 port = 0);

// "METHOD target HTTP/1.1" with Host: test; a non-null `body` goes with its Content-Type and
// Content-Length.
QByteArray httpRequest(const QByteArray &method, const QByteArray &target,
                       const QByteArray &body = QByteArray(),
                       const QByteArray &contentType = "application/json");
// One request on a fresh connection: its response, or an empty one (status 0) when none came.
RawResponse exchange(quint16 port, const QByteArray &request, int timeoutMs = 10000);

// A counter series' value, 0 when the family or the series does not exist (yet).
std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                           const QStringList &labelValues = {});
// A gauge series' value, nullopt when the family or the series does not exist.
std::optional<std::int64_t> gaugeValue(const metrics::Registry &registry, const QString &name,
                                       const QStringList &labelValues = {});

class LoopbackLab
{
public:
    explicit LoopbackLab(const settings::LabSettings &initial = {});
    ~LoopbackLab(); // stop()
    LoopbackLab(const LoopbackLab &) = delete;
    LoopbackLab &operator=(const LoopbackLab &) = delete;

    // Serves `router`; nullopt, or why the server did not start.
    std::optional<QString> start(const http::ServerConfig &config = loopbackConfig());
    // Stops the server and joins its workers: the handlers use the settings, the registry and
    // whatever a suite added, so a suite that owns more calls this before that goes.
    void stop();
    bool isRunning() const { return m_server && m_server->isRunning(); }
    quint16 port() const { return m_server ? m_server->port() : 0; }

    // A settings patch, through SettingsStore::patch as the admin route applies it; false when
    // it is refused.
    bool patch(const QJsonObject &patch);
    // The same, for patches a suite knows to be valid: a refused one stops the suite.
    void patchOrDie(const QJsonObject &patch);

    RawResponse call(const QByteArray &method, const QByteArray &target,
                     const QByteArray &body = QByteArray(), int timeoutMs = 10000) const
    {
        return exchange(port(), httpRequest(method, target, body), timeoutMs);
    }

    settings::SettingsStore settings;
    metrics::Registry registry;
    std::shared_ptr<http::Router> router = std::make_shared<http::Router>();

private:
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace perflab::test
