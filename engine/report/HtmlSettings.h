// HtmlSettings: the settings section of report.html: per phase, the patch it asked for and
// the whole live settings document flattened to dotted keys ("cache.ttl_s"), the rows that
// differ from the previous phase highlighted with the previous value beside them.
#pragma once

#include "engine/report/RunReport.h"

#include <QJsonObject>
#include <QString>

#include <map>

namespace perflab::report {

// {"cache": {"enabled": true}} -> {"cache.enabled": "true"}; arrays stay compact JSON.
std::map<QString, QString> flattenSettings(const QJsonObject &settings);

QString settingsHtml(const RunReport &report);

} // namespace perflab::report
