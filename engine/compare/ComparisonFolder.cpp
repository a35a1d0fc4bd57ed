// ComparisonFolder: see the header.
#include "engine/compare/ComparisonFolder.h"

#include "engine/compare/ComparisonFigures.h"
#include "engine/compare/ComparisonJson.h"
#include "engine/report/HtmlPage.h"
#include "engine/report/ReportFormat.h"
#include "engine/report/SaveFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <utility>

using namespace Qt::StringLiterals;

namespace perflab::compare {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString startedText(const SavedRun &run)
{
    const QDateTime started = QDateTime::fromString(run.started, Qt::ISODateWithMs);
    return started.isValid() ? report::formatUtc(started.toMSecsSinceEpoch())
                             : (run.started.isEmpty() ? u"unknown"_s : run.started);
}

QString runTable(const QString &letter, const SavedRun &run)
{
    QString phases;
    for (const SavedPhase &phase : run.phases)
        phases += (phases.isEmpty() ? QString() : u", "_s) + phase.name;
    QString html =
        u"<h3>"_s + letter + u"</h3>\n<table class=\"kv run\" id=\"run-"_s + letter.toLower() + u"\">\n"_s;
    html += report::htmlKvRow(u"scenario"_s,
                              esc(run.scenarioName.isEmpty() ? u"(not recorded)"_s : run.scenarioName));
    html += report::htmlKvRow(u"started"_s, esc(startedText(run)));
    html += report::htmlKvRow(u"duration"_s, report::formatDuration(run.durationS));
    html += report::htmlKvRow(u"result"_s, run.passed ? u"<span class=\"badge pass\">PASS</span>"_s
                                                      : u"<span class=\"badge fail\">FAIL</span>"_s);
    html += report::htmlKvRow(u"phases"_s, esc(phases));
    html += report::htmlKvRow(u"folder"_s,
                              u"<code>"_s + esc(QDir::toNativeSeparators(run.folder)) + u"</code>"_s);
    return html + u"</table>\n"_s;
}

QString verdictHtml(const Comparison &c)
{
    if (!c.gate)
        return u"<p id=\"verdict\">No gate: run <code>perflab compare A B --max-regression …</code> to judge B against "
               "limits.</p>\n"_s;
    QString html = u"<p id=\"verdict\">"_s;
    html += c.regressions.empty()
                ? u"<span class=\"badge pass\">PASS</span> no regression beyond "_s
                : QStringLiteral("<span class=\"badge fail\">FAIL</span> %1 regression%2 beyond ")
                      .arg(c.regressions.size())
                      .arg(c.regressions.size() == 1 ? QString() : u"s"_s);
    html += u"<code>--max-regression "_s + esc(gateLimitsText(*c.gate)) + u"</code></p>\n"_s;
    if (!c.regressions.empty()) {
        html += u"<ul class=\"regressions\">\n"_s;
        for (const Regression &r : c.regressions)
            html += u"<li>REGRESSION "_s + esc(r.text()) + u"</li>\n"_s;
        html += u"</ul>\n"_s;
    }
    return html;
}

QString cell(const ComparisonRow &row, DeltaFigure figure)
{
    const double a = deltaFigureValue(*row.a, figure);
    const double b = deltaFigureValue(*row.b, figure);
    const report::ChangeVerdict verdict = deltaVerdict(*row.a, *row.b, figure);
    const QString cls = verdict == report::ChangeVerdict::Better  ? u" class=\"better\""_s
                        : verdict == report::ChangeVerdict::Worse ? u" class=\"worse\""_s
                                                                  : QString();
    return QStringLiteral("<td%1>%2 → %3<span class=\"chg\">%4</span></td>")
        .arg(cls, deltaValueText(a, figure), deltaValueText(b, figure),
             esc(deltaChangeText(*row.a, *row.b, figure)));
}

QString deltaTable(const Comparison &c)
{
    QString html =
        u"<p>Each cell: A → B and the change from A to B. Latencies in ms, corrected for coordinated "
        "omission. <span class=\"key better\">green</span>: B better, <span class=\"key worse\">red</span>: "
        "B worse (changes under 2 % are not coloured: a live run's noise is about that size).</p>\n"
        "<div class=\"scroll\"><table class=\"figures delta\"><thead><tr><th>phase</th><th>route</th>"_s;
    for (DeltaFigure figure : kDeltaFigures)
        html += u"<th>"_s + esc(deltaFigureHeader(figure)) + u"</th>"_s;
    html += u"</tr></thead><tbody>\n"_s;
    for (const ComparisonRow &row : c.rows) {
        html += row.route == QLatin1String("all") ? u"<tr class=\"total\">"_s : u"<tr>"_s;
        html += u"<td>"_s + esc(row.phase) + u"</td><td>"_s + esc(row.route) + u"</td>"_s;
        if (!row.a || !row.b) {
            html += QStringLiteral("<td colspan=\"%1\" class=\"only\">only in %2</td>")
                        .arg(kDeltaFigures.size())
                        .arg(row.a ? u"A"_s : u"B"_s);
        } else {
            for (DeltaFigure figure : kDeltaFigures)
                html += cell(row, figure);
        }
        html += u"</tr>\n"_s;
    }
    return html + u"</tbody></table></div>\n"_s;
}

// The delta table's own colours: those of the window's Phases tab and Compare runs dialog.
constexpr char kCss[] = R"css(<style>
table.delta { font-size: 12px; }
table.delta td { white-space: nowrap; padding: 3px 6px; }
table.delta td:nth-child(2), table.delta th:nth-child(2) { text-align: left; white-space: normal;
    overflow-wrap: anywhere; min-width: 9em; }
table.delta td.better, .key.better { color: #007a4d; background: #dcf2e6; }
table.delta td.worse, .key.worse { color: #b03000; background: #fbe2d8; }
table.delta td.only { text-align: left; color: #666; font-style: italic; }
table.delta .chg { color: inherit; }
.key { padding: 0 4px; }
ul.regressions li { color: #a11d12; }
</style>
)css";

} // namespace

QString comparisonTitle(const Comparison &c)
{
    const auto name = [](const SavedRun &run) {
        return run.scenarioName.isEmpty() ? u"unnamed"_s : run.scenarioName;
    };
    // Scenario names often hold a "vs" of their own ("Caching: off vs on"): say which is which.
    if (c.a.scenarioName == c.b.scenarioName)
        return QStringLiteral("Perflab comparison of two runs of %1").arg(name(c.a));
    return QStringLiteral("Perflab comparison: %1 (A) and %2 (B)").arg(name(c.a), name(c.b));
}

Comparison makeComparison(SavedRun a, SavedRun b, std::optional<std::vector<GateLimit>> gate)
{
    Comparison c{std::move(a), std::move(b), {}, std::move(gate), {}};
    c.rows = compareRuns(c.a, c.b);
    if (c.gate)
        c.regressions = findRegressions(c.rows, *c.gate);
    return c;
}

QString gateLimitsText(const std::vector<GateLimit> &limits)
{
    QStringList parts;
    for (const GateLimit &limit : limits)
        parts << QStringLiteral("%1=%2%3")
                     .arg(gateMetricName(limit.metric))
                     .arg(limit.limit, 0, 'g', 6)
                     .arg(limit.metric == GateMetric::ErrorRate ? u"pp"_s : u"%"_s);
    return parts.join(u","_s);
}

QString comparisonHtml(const Comparison &c, const std::vector<report::NamedChart> &charts)
{
    const QString title = comparisonTitle(c);
    QString html = report::htmlPageStart(title);
    html.replace(u"</head>"_s, QLatin1String(kCss) + u"</head>"_s);
    html += u"<h1>"_s + esc(title) + u"</h1>\n"_s;
    html +=
        u"<p class=\"description\">A is the baseline, B the run judged against it: green reads \"B is better "
        "than A\".</p>\n"_s;
    html += report::htmlSection("runs", u"Runs"_s, runTable(u"A"_s, c.a) + runTable(u"B"_s, c.b));
    html += report::htmlSection("verdict-section", u"Verdict"_s, verdictHtml(c));
    QString spectra, series;
    for (const report::NamedChart &chart : charts) {
        const QString figure = u"<figure>\n"_s + report::renderSvgChart(chart.spec) + u"</figure>\n"_s;
        (chart.spec.id.startsWith(QLatin1String("spectrum-")) ? spectra : series) += figure;
    }
    html += report::htmlSection(
        "spectra", u"Percentile spectra"_s,
        u"<p>Per phase, every route merged: latency at each percentile, on HdrHistogram's axis (90 %, 99 %, 99.9 % "
        "equally spaced). A line ends where its run's sample count runs out.</p>\n"_s +
            spectra);
    html +=
        report::htmlSection("series", u"Over time"_s, u"<p>Both runs from their own start.</p>\n"_s + series);
    html += report::htmlSection("delta", u"Phases and routes"_s, deltaTable(c));
    html +=
        QStringLiteral("<footer>Written by perflab %1 (<code>perflab compare</code>); the same figures as "
                       "comparison.json.</footer>\n</body>\n</html>\n")
            .arg(QStringLiteral(PERFLAB_VERSION));
    return html;
}

std::optional<QString> writeComparisonFiles(const Comparison &c,
                                            const std::vector<report::NamedChart> &charts, const QString &dir)
{
    const QDir folder(dir);
    if (auto error = report::makeFolder(folder.absoluteFilePath(u"charts"_s)))
        return error;
    const QJsonObject json = comparisonJson(c.a, c.b, c.rows, c.regressions, c.gate.has_value());
    if (auto error =
            report::saveFile(folder.absoluteFilePath(u"comparison.json"_s), QJsonDocument(json).toJson()))
        return error;
    for (const report::NamedChart &chart : charts) {
        if (auto error = report::saveFile(folder.absoluteFilePath(u"charts/"_s + chart.fileName),
                                          report::svgDocument(chart.spec).toUtf8()))
            return error;
    }
    return report::saveFile(folder.absoluteFilePath(u"comparison.html"_s),
                            comparisonHtml(c, charts).toUtf8());
}

StagedFolder::StagedFolder(QString target, QString staging)
    : m_target(std::move(target)), m_staging(std::move(staging))
{
}

StagedFolder::StagedFolder(StagedFolder &&other) noexcept
    : m_target(std::move(other.m_target)), m_staging(std::exchange(other.m_staging, QString()))
{
}

StagedFolder::~StagedFolder()
{
    if (!m_staging.isEmpty())
        QDir(m_staging).removeRecursively();
}

std::variant<StagedFolder, QString> StagedFolder::begin(const QString &target)
{
    const QFileInfo info(QDir::cleanPath(QDir(target).absolutePath()));
    const QString path = info.absoluteFilePath();
    if (info.exists()) {
        if (!info.isDir())
            return QStringLiteral("cannot write %1: it is a file, not a folder").arg(path);
        const QDir existing(path);
        const bool empty =
            existing.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
        if (!empty && !existing.exists(u"comparison.json"_s))
            return QStringLiteral(
                       "cannot write %1: the folder holds other files (not an earlier comparison); "
                       "give a new or empty folder")
                .arg(path);
    }
    const QString parent = info.absolutePath();
    if (auto error = report::makeFolder(parent))
        return *error;
    QTemporaryDir staging(QDir(parent).filePath(u"."_s + info.fileName() + u".partial-XXXXXX"_s));
    if (!staging.isValid())
        return QStringLiteral("cannot write %1: cannot create a folder in %2 (%3)")
            .arg(path, parent, staging.errorString());
    staging.setAutoRemove(false);
    // QTemporaryDir makes it private (0700); the folder it becomes reads like any other output.
    QFile::setPermissions(staging.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                              QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                              QFileDevice::ExeOther);
    return StagedFolder(path, staging.path());
}

std::optional<QString> StagedFolder::commit()
{
    QDir root;
    QString aside;
    if (QFileInfo::exists(m_target)) {
        // An empty folder or an earlier comparison: moved aside, so the rename below cannot
        // fail half-way over it, and put back if it does fail.
        aside = m_staging + u".previous"_s;
        if (!root.rename(m_target, aside))
            return QStringLiteral("cannot write %1: cannot move the earlier folder aside").arg(m_target);
    }
    if (!root.rename(m_staging, m_target)) {
        if (!aside.isEmpty())
            root.rename(aside, m_target);
        return QStringLiteral("cannot write %1: cannot rename %2 into place").arg(m_target, m_staging);
    }
    m_staging.clear();
    if (!aside.isEmpty())
        QDir(aside).removeRecursively();
    return std::nullopt;
}

} // namespace perflab::compare
