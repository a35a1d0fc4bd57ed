// HtmlPage: the frame every Perflab HTML page shares (report.html, knee.html): the head with
// the inline style sheet, sections with stable ids, key-value tables and the environment
// table. Self-contained by design: no script, no external URL, so a page reads the same
// offline, in a browser or printed. Strings from the caller are HTML-escaped where noted.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

namespace perflab::report {

// "<!DOCTYPE html>…<body>\n": `title` (escaped here) in <title>, the shared style sheet.
QString htmlPageStart(const QString &title);
// "<section id=…><h2>title</h2>" + body + "</section>"; `title` and `body` are HTML.
QString htmlSection(const char *id, const QString &title, const QString &body);
// One row of a key-value table: `key` is escaped here, `valueHtml` is HTML.
QString htmlKvRow(const QString &key, const QString &valueHtml);
// The machine a run or search used, as a key-value table.
QString environmentHtml(const Environment &environment);

} // namespace perflab::report
