// HtmlReport: report.html, one self-contained page (inline CSS, the chart SVGs inline, no
// script, no external URL) that reads the same offline, in a browser or printed. Sections
// carry stable ids for links and tests: summary, claims, thresholds, trust, charts, phases,
// routes, instances, server-timing, settings, environment. Every string from the input is HTML-escaped.
#pragma once

#include "engine/report/ReportCharts.h"
#include "engine/report/RunReport.h"

#include <QString>

#include <vector>

namespace perflab::report {

QString reportHtml(const RunReport &report, const std::vector<NamedChart> &charts);

} // namespace perflab::report
