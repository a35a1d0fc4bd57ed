// ReportWriter: writes the report folder (docs/reference/report-folder.md) for one RunReport:
//   run.json, timeseries.csv, latency-<phase>.hgrm and latency-<phase>-uncorrected.hgrm
//   (every route's histogram merged, wrk2's percentile spectrum in ms), charts/*.svg and
//   report.html. (report.pdf and charts/*.png come from the UI library, which has QtGui.)
// run.json is compact JSON: indented, the histogram bucket pairs made it ten times larger
// (`python3 -m json.tool run.json` or `jq .` to read it).
// Each file is written under a temporary name and renamed into place (QSaveFile), so a
// reader never sees half a file and a failure leaves the previous file, if any, intact.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

#include <optional>

namespace perflab::report {

// nullopt on success, else an error text naming the path that failed.
std::optional<QString> writeReportFolder(const RunReport &report, const QString &dir);

// The .hgrm text of one histogram, exactly LatencyHistogram::percentileSpectrum(ms).
QByteArray spectrumText(const metrics::LatencyHistogram &histogram);

} // namespace perflab::report
