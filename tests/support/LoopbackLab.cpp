// See LoopbackLab.h.
#include "LoopbackLab.h"

#include <QJsonDocument>

namespace perflab::test {

http::ServerConfig loopbackConfig(int threads, quint16 port)
{
    http::ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = port;
    config.threads = threads;
    config.drainTimeout = std::chrono::milliseconds(2000);
    return config;
}

QByteArray httpRequest(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                       const QByteArray &contentType)
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: test\r\n";
    if (!body.isNull())
        request += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) +
                   "\r\n";
    return request + "\r\n" + body;
}

RawResponse exchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    RawHttpClient client(port);
    client.send(request);
    return client.readResponse(timeoutMs).value_or(RawResponse{});
}

std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                           const QStringList &labelValues)
{
    const auto *family = dynamic_cast<const metrics::CounterFamily *>(registry.find(name));
    if (!family)
        return 0;
    for (const auto &entry : family->seriesList()) {
        if (entry.labelValues == labelValues)
            return entry.series->value();
    }
    return 0;
}

std::optional<std::int64_t> gaugeValue(const metrics::Registry &registry, const QString &name,
                                       const QStringList &labelValues)
{
    const auto *family = dynamic_cast<const metrics::GaugeFamily *>(registry.find(name));
    if (!family)
        return std::nullopt;
    for (const auto &entry : family->seriesList()) {
        if (entry.labelValues == labelValues)
            return entry.series->value();
    }
    return std::nullopt;
}

LoopbackLab::LoopbackLab(const settings::LabSettings &initial) : settings(initial) {}

LoopbackLab::~LoopbackLab()
{
    stop();
}

std::optional<QString> LoopbackLab::start(const http::ServerConfig &config)
{
    m_server = std::make_unique<http::HttpServer>(router, config);
    if (auto error = m_server->start()) {
        m_server.reset();
        return error->message;
    }
    return std::nullopt;
}

void LoopbackLab::stop()
{
    if (m_server) {
        m_server->stop();
        m_server.reset();
    }
}

bool LoopbackLab::patch(const QJsonObject &patch)
{
    return std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(settings.patch(patch));
}

void LoopbackLab::patchOrDie(const QJsonObject &patch)
{
    const auto result = settings.patch(patch);
    if (const auto *error = std::get_if<settings::SettingsError>(&result))
        qFatal("settings patch %s refused: %s",
               QJsonDocument(patch).toJson(QJsonDocument::Compact).constData(), qPrintable(error->message()));
}

} // namespace perflab::test
