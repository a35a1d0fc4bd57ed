// The IMF-fixdate for the `Date` header, formatted once per second per thread
// (RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT").
#pragma once

#include <QByteArrayView>

namespace perflab::http {

// Valid until the next call on the same thread.
QByteArrayView currentHttpDate();

} // namespace perflab::http
