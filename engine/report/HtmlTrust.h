// HtmlTrust: report.html's "Generator trust" section — per phase, what the schedule asked for
// against what was sent, the send lag, the client threads' CPU and the verdict with its
// reasons (load/GeneratorTrust.h), so a reader sees whether each phase's figures are the
// server's or the load generator's. Every string from the input is HTML-escaped.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

namespace perflab::report {

QString trustHtml(const RunReport &report);
// The summary's one line: "kept up in every phase" or "was the limit in 1 of 2 phases (...): ...".
QString trustSummaryText(const RunReport &report);

} // namespace perflab::report
