// Server-Timing (W3C Server Timing, §3) field values split into their metrics:
//
//   server-timing = #( metric-name *( OWS ";" OWS param-name [ OWS "=" OWS param-value ] ) )
//   param-value   = token / quoted-string
//
// A metric's duration is its first `dur` parameter (case-insensitive), in milliseconds; a
// missing, malformed or negative one counts as 0 (as the W3C processing model does). Commas
// inside quoted strings (desc="a, b") do not split metrics; an entry without a valid name is
// skipped. Nothing is copied or allocated: the names are views into `value`.
#pragma once

#include <QByteArrayView>

namespace perflab::load {

using ServerTimingCallback = void (*)(void *context, QByteArrayView metricName, double durMs);
void forEachServerTimingMetric(QByteArrayView value, void *context, ServerTimingCallback onMetric);

} // namespace perflab::load
