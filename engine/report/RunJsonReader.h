// RunJsonReader: a RunReport back from the run.json that JsonReport wrote (format
// "perflab-run/1"), so a saved run can be shown again (the window's File → Open run) and
// written again. Histograms come back bucket for bucket from their [[value_us, count], ...]
// lists; what run.json does not keep comes back as follows: a histogram's min and max are
// their buckets' lowest values (within 0.1 %), its mean follows from those values.
#pragma once

#include "engine/report/RunReport.h"

#include <QJsonObject>
#include <QString>

#include <variant>

namespace perflab::report {

// `file` names the source in errors: "FILE: phases[1].routes[0].histogram_us.corrected[3]: expected …".
std::variant<RunReport, QString> readRunJson(const QJsonObject &json, const QString &file);
// A report folder (or its run.json) read and parsed.
std::variant<RunReport, QString> readRunFolder(const QString &path);

} // namespace perflab::report
