// libFuzzer target for the HTTP request parser and router: arbitrary bytes, fed in arbitrary
// slices (as a socket would deliver them), parsed as a pipeline of requests. Any crash,
// sanitizer report, or a parser that claims progress it did not make is a finding.
#include "engine/http/RequestParser.h"
#include "engine/http/Router.h"

#include <cstdint>
#include <cstdlib>

using namespace perflab::http;

namespace {
const Router &router()
{
    static const Router instance = [] {
        Router r;
        auto ok = [](const HttpRequest &) { return HttpResponse::json(200, "{}"); };
        r.addGet("/hello", ok);
        r.addGet("/user/{user_id:int}/serial", ok);
        r.add(Method::Put, "/users/{user_id:int}", {ok, {}});
        r.addGet("/files/{name}", ok);
        return r;
    }();
    return instance;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte chooses the slice size, so the fuzzer explores every split point.
    const qsizetype slice = 1 + data[0] % 64;
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const qsizetype total = qsizetype(size - 1);

    ParserLimits limits;
    limits.maxHeaderBytes = 2048; // small limits reach the limit paths with small inputs
    limits.maxRequestLineBytes = 512;
    limits.maxBodyBytes = 4096;

    RequestParser parser;
    qsizetype begin = 0;     // start of the current request
    qsizetype delivered = 0; // bytes "received" so far
    while (delivered < total) {
        delivered = std::min(total, delivered + slice);
        while (begin < delivered) {
            auto result = parser.parse(bytes + begin, delivered - begin, limits);
            if (result == RequestParser::Result::NeedMore)
                break;
            if (result == RequestParser::Result::Error) {
                const int status = parser.error().status;
                if (status < 400 || status > 599 || parser.error().detail.isEmpty())
                    std::abort();
                return 0; // the connection would close here
            }
            const qsizetype used = parser.consumed();
            if (used <= 0 || used > delivered - begin)
                std::abort();
            HttpRequest request = parser.takeRequest();
            parser.reset();
            begin += used;
            (void)request.header("content-type");
            (void)request.queryParam("page");
            RouteMatch match = router().match(request);
            if (match.kind == RouteMatch::Kind::Found &&
                (match.routeId < 0 || match.routeId >= router().routeCount()))
                std::abort();
        }
    }
    return 0;
}
