// libFuzzer target for decodeInterval(): the reports load agents send through Redis are
// untrusted input from the network. Any bytes must be rejected with a message or decoded;
// whatever decodes must encode and decode again to the same figures. A crash, a sanitizer
// report or such a mismatch is a finding. The plan the agents receive is checked by the
// scenario parsers' own rules (tested in test_agent_messages).
#include "engine/agents/IntervalMessage.h"

#include <QByteArray>

#include <cstdio>
#include <cstdlib>

using namespace perflab;

namespace {

const std::vector<QString> &routes()
{
    static const std::vector<QString> names{QStringLiteral("GET /hello"),
                                            QStringLiteral("GET /users/{uniform:1..2000}")};
    return names;
}

void mismatch(const char *what)
{
    std::fprintf(stderr, "fuzz_agent_interval: %s differs after a round trip\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = agents::decodeInterval(bytes, routes(), 2);
    const auto *message = std::get_if<agents::IntervalMessage>(&decoded);
    if (!message)
        return 0;
    auto again = agents::decodeInterval(agents::encodeInterval(*message), routes(), 2);
    const auto *second = std::get_if<agents::IntervalMessage>(&again);
    if (!second)
        mismatch("the whole message");
    if (second->seq != message->seq || second->phase != message->phase || second->final != message->final)
        mismatch("the header");
    for (std::size_t r = 0; r < routes().size(); ++r) {
        const load::RouteStats &a = message->routes[r];
        const load::RouteStats &b = second->routes[r];
        if (a.responses != b.responses || a.statusCounts != b.statusCounts || a.errors != b.errors)
            mismatch("a route's counts");
        if (a.corrected.totalCount() != b.corrected.totalCount() ||
            a.corrected.valueAtPercentile(99) != b.corrected.valueAtPercentile(99))
            mismatch("a route's histogram");
    }
    if (second->generator.sent != message->generator.sent ||
        second->generator.sendLag.totalCount() != message->generator.sendLag.totalCount())
        mismatch("the generator's figures");
    return 0;
}
