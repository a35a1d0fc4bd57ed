// See HtmlPage.h.
#include "engine/report/HtmlPage.h"

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

// Okabe-Ito blue/vermillion for better/worse: tell apart without red-green vision too.
constexpr char kCss[] = R"css(
body { font: 14px/1.45 system-ui, "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222;
       max-width: 1180px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #0072B2; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
.description { white-space: pre-line; color: #444; margin: 0 0 8px; }
table { border-collapse: collapse; margin: 6px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
table.figures { font-size: 13px; }
table.routes td:first-child { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.kv th { text-align: left; }
table.kv td { text-align: left; }
table.events td, table.events th { text-align: left; }
table.claims td { text-align: left; }
table.trust td { text-align: left; }
.skipped { color: #666; background: #eeeeee; }
table.settings td { text-align: left; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
tr.total td { font-weight: 600; }
tr.nested td:first-child { color: #555; }
tr.changed td { background: #fff3c4; }
.chg { display: block; font-size: 11px; }
.chg.better { color: #0072B2; }
.chg.worse { color: #D55E00; }
.chg.same, .chg.neutral { color: #888; }
.pass { color: #0b6b2e; background: #e3f4e8; font-weight: 600; }
.fail { color: #a11d12; background: #fde5e1; font-weight: 600; }
.badge { padding: 1px 8px; border-radius: 3px; }
pre { background: #f6f8fa; padding: 6px 10px; overflow: auto; font-size: 12px; margin: 4px 0 8px; }
figure { margin: 8px 0 18px; }
figure svg { max-width: 100%; height: auto; border: 1px solid #e6e6e6; }
details summary { cursor: pointer; color: #0072B2; }
footer { margin-top: 36px; color: #777; font-size: 12px; }
)css";

} // namespace

QString htmlPageStart(const QString &title)
{
    return u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"_s +
           esc(title) + u"</title>\n<style>"_s + QLatin1String(kCss) + u"</style>\n</head>\n<body>\n"_s;
}

QString htmlSection(const char *id, const QString &title, const QString &body)
{
    return QStringLiteral("<section id=\"%1\">\n<h2>%2</h2>\n").arg(QLatin1String(id), title) + body +
           u"</section>\n"_s;
}

QString htmlKvRow(const QString &key, const QString &valueHtml)
{
    return u"<tr><th>"_s + esc(key) + u"</th><td>"_s + valueHtml + u"</td></tr>\n"_s;
}

QString environmentHtml(const Environment &e)
{
    QString html = u"<table class=\"kv\">\n"_s;
    html += htmlKvRow(u"CPU"_s, esc(e.cpuModel.isEmpty() ? u"unknown"_s : e.cpuModel));
    html += htmlKvRow(u"logical CPUs"_s, QString::number(e.cpuCores));
    html += htmlKvRow(u"server threads"_s,
                      e.serverThreads > 0 ? QString::number(e.serverThreads) : u"external target"_s);
    html += htmlKvRow(u"load threads"_s, QString::number(e.loadThreads));
    html += htmlKvRow(u"Perflab"_s, esc(e.perflabVersion));
    html += htmlKvRow(u"Qt"_s, esc(e.qtVersion));
    html += htmlKvRow(u"OS"_s, esc(e.os));
    html += htmlKvRow(u"host"_s, esc(e.hostName));
    return html + u"</table>\n"_s;
}

} // namespace perflab::report
