// maskedUrl(): a URL safe for logs, error messages and reports. Every place that shows a URL
// the user gave (database.url, a load or scenario target) goes through it, so a password
// cannot reach a terminal, a log file or a shared report by one forgotten call.
//
//   postgresql://user:secret@host/db   -> postgresql://user:***@host/db
//   redis://:secret@host:6379/0        -> redis://:***@host:6379/0
//   postgresql://host/db?password=x    -> postgresql://host/db?password=***
//
// The password is masked even in a URL that no parser accepts (that is exactly the URL an
// error message quotes): one holding a raw '/', '?' or '#' — which URLs must percent-encode,
// and which would otherwise end the authority early — is masked up to its last '@'. A URL
// without a password comes back unchanged.
#pragma once

#include <QString>

namespace perflab::net {

QString maskedUrl(const QString &url);

} // namespace perflab::net
