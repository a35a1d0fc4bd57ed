// KneeHtml: knee.html, the capacity search as one self-contained page in the frame of the run
// report (report/HtmlPage: same style sheet, no script, no external URL), with the charts
// inlined as SVG. Sections (stable ids): summary, rule, charts, steps, environment; a
// concurrency sweep has the same sections with its clients, its fit and its own charts.
#pragma once

#include "engine/knee/KneeResult.h"
#include "engine/report/ReportCharts.h"

#include <QString>

#include <vector>

namespace perflab::knee {

QString kneeHtml(const KneeResult &result, const std::vector<report::NamedChart> &charts);

} // namespace perflab::knee
