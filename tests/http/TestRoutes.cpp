// See TestRoutes.h.
#include "TestRoutes.h"

#include <QCoroTimer>
#include <QJsonObject>

#include <stdexcept>

namespace perflab::test {

using namespace perflab::http;

namespace {
class CountingStream final : public ResponseStream
{
public:
    CountingStream(int lines, int delayMs) : m_lines(lines), m_delayMs(delayMs) {}
    QCoro::Task<std::optional<QByteArray>> next(std::stop_token stop) override
    {
        if (m_next >= m_lines || stop.stop_requested())
            co_return std::nullopt;
        if (m_delayMs > 0)
            co_await QCoro::sleepFor(std::chrono::milliseconds(m_delayMs));
        co_return QByteArray("line " + QByteArray::number(m_next++) + "\n");
    }

private:
    int m_lines;
    int m_delayMs;
    int m_next = 0;
};

int queryInt(const HttpRequest &request, QByteArrayView name, int fallback)
{
    auto value = request.queryParam(name);
    return value ? value->toInt() : fallback;
}
} // namespace

std::shared_ptr<Router> makeTestRouter()
{
    auto router = std::make_shared<Router>();
    router->addGet("/hello", [](const HttpRequest &) {
        return HttpResponse::json(200, QByteArrayLiteral("{\"message\":\"hello\"}"));
    });
    router->add(Method::Post, "/echo",
                {[](const HttpRequest &request) {
                     HttpResponse response =
                         HttpResponse::text(200, request.body, "application/octet-stream");
                     response.addHeader("X-Body-Length", QByteArray::number(request.body.size()));
                     return response;
                 },
                 {}});
    router->addGetAsync("/slow", [](const HttpRequest &request) -> QCoro::Task<HttpResponse> {
        const int ms = queryInt(request, "ms", 100);
        co_await QCoro::sleepFor(std::chrono::milliseconds(ms));
        co_return HttpResponse::json(200, "{\"slept\":" + QByteArray::number(ms) + "}");
    });
    router->addGet("/stream", [](const HttpRequest &request) {
        HttpResponse response = HttpResponse::text(200, {});
        response.stream =
            std::make_shared<CountingStream>(queryInt(request, "n", 5), queryInt(request, "ms", 0));
        return response;
    });
    router->addGet("/user/{user_id:int}", [](const HttpRequest &request) {
        return HttpResponse::json(
            200, "{\"user_id\":" + QByteArray::number(request.pathParam("user_id")->intValue) + "}");
    });
    router->add(Method::Post, "/user/{user_id:int}",
                {[](const HttpRequest &) { return HttpResponse::json(201, QByteArrayLiteral("{}")); }, {}});
    router->addGet("/boom", [](const HttpRequest &) -> HttpResponse { throw std::runtime_error("kaboom"); });
    router->addGetAsync("/async-boom", [](const HttpRequest &) -> QCoro::Task<HttpResponse> {
        co_await QCoro::sleepFor(std::chrono::milliseconds(10));
        throw std::runtime_error("async kaboom");
    });
    return router;
}

} // namespace perflab::test
