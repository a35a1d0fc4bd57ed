// A response as a handler returns it: status, content type, extra headers, and either a body
// or a stream of chunks. The connection serializes it (ResponseWriter) straight into its
// output buffer; nothing here allocates for the common JSON case (literal bodies are static).
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

#include <QCoro/QCoroTask>

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <utility>
#include <vector>

namespace perflab::http {

// A streamed body: the connection pulls chunks one at a time and writes each as it comes
// (chunked encoding for HTTP/1.1). `stop` is requested when the client goes away, so the
// producer can end early; returning std::nullopt ends the body.
class ResponseStream
{
public:
    virtual ~ResponseStream() = default;
    virtual QCoro::Task<std::optional<QByteArray>> next(std::stop_token stop) = 0;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    std::vector<std::pair<QByteArray, QByteArray>> headers; // extra fields, in order
    std::shared_ptr<ResponseStream> stream;                 // set: body is streamed
    bool closeConnection = false;                           // send "Connection: close" and close
    // Parts of the handler's time it measured itself ("db", "pool", ...), in ms: the
    // Server-Timing step lists them after "handler", of which they are a part.
    std::vector<std::pair<QByteArray, double>> timings;
    // FastAPI's BackgroundTasks: started, in order, once the response has been handed to the
    // kernel (or the client is gone). Each is detached; it must own what it uses.
    std::vector<std::function<QCoro::Task<>()>> backgroundTasks;

    static HttpResponse json(int status, QByteArray body);
    static HttpResponse json(int status, const QJsonDocument &doc);
    // {"detail": "..."} as FastAPI's HTTPException renders it.
    static HttpResponse error(int status, const QString &detail);
    static HttpResponse text(int status, QByteArray body,
                             QByteArray contentType = "text/plain; charset=utf-8");

    HttpResponse &addTiming(QByteArray name, double ms)
    {
        timings.emplace_back(std::move(name), ms);
        return *this;
    }

    HttpResponse &addHeader(QByteArray name, QByteArray value)
    {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// "OK", "Not Found", ... for the status line.
QByteArrayView reasonPhrase(int status);

} // namespace perflab::http
