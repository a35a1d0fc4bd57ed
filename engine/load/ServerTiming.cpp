// See ServerTiming.h.
#include "engine/load/ServerTiming.h"

#include "engine/load/HttpTokens.h"

#include <algorithm>
#include <charconv>

namespace perflab::load {

using namespace http_tokens;

void forEachServerTimingMetric(QByteArrayView value, void *context, ServerTimingCallback onMetric)
{
    // server-timing = #( metric-name *( OWS ";" OWS param-name [ OWS "=" OWS param-value ] ) )
    // param-value = token / quoted-string. The first `dur` counts; a missing one is 0.
    qsizetype i = 0;
    const qsizetype n = value.size();
    auto skipOws = [&] {
        while (i < n && isOws(value[i]))
            ++i;
    };
    auto readToken = [&] {
        const qsizetype start = i;
        while (i < n && isTokenChar(value[i]))
            ++i;
        return value.sliced(start, i - start);
    };
    auto skipToNextComma = [&] {
        bool quoted = false;
        while (i < n && (quoted || value[i] != ',')) {
            if (quoted && value[i] == '\\')
                ++i;
            else if (value[i] == '"')
                quoted = !quoted;
            ++i;
        }
    };
    while (i < n) {
        skipOws();
        if (i < n && value[i] == ',') {
            ++i;
            continue;
        }
        const QByteArrayView metric = readToken();
        double dur = 0;
        bool durSeen = false;
        bool valid = !metric.isEmpty();
        while (valid) {
            skipOws();
            if (i >= n || value[i] != ';')
                break;
            ++i;
            skipOws();
            const QByteArrayView param = readToken();
            skipOws();
            if (i < n && value[i] == '=') {
                ++i;
                skipOws();
                QByteArrayView paramValue;
                if (i < n && value[i] == '"') {
                    const qsizetype start = ++i;
                    while (i < n && value[i] != '"')
                        i += value[i] == '\\' ? 2 : 1;
                    paramValue = value.sliced(start, std::min(i, n) - start);
                    if (i < n)
                        ++i;
                } else {
                    paramValue = readToken();
                }
                if (!durSeen && equalsIgnoringCase(param, "dur")) {
                    durSeen = true;
                    const char *first = paramValue.data();
                    const char *last = first + paramValue.size();
                    double parsed = 0;
                    auto [ptr, ec] = std::from_chars(first, last, parsed);
                    if (ec == std::errc() && ptr == last && parsed >= 0)
                        dur = parsed;
                }
            }
        }
        skipToNextComma();
        if (!valid)
            continue;
        onMetric(context, metric, dur);
    }
}

} // namespace perflab::load
