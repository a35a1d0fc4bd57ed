// ComparisonFolder: `perflab compare A B --out DIR` and the window's Compare runs → Export…
// write one folder:
//   comparison.json   the document `--json` prints (ComparisonJson.h)
//   charts/*.svg      ComparisonCharts.h (the UI library adds charts/*.png and comparison.pdf)
//   comparison.html   self-contained like report.html (no script, no external URL): the two
//                     runs (scenario, start, duration, result, folder), the gate's verdict when
//                     there is one, the charts inline, the delta table of every phase and route
//                     coloured green better / red worse (ComparisonFigures.h)
// The folder is built under a hidden staging folder beside DIR (StagedFolder) and renamed into
// place only when every file is written, so a failure leaves no half folder: DIR is either the
// previous one untouched or the new one whole. DIR may be missing, empty or an earlier
// comparison folder (it has comparison.json), which is replaced; any other folder is refused,
// so a mistyped --out cannot delete a run.
#pragma once

#include "engine/compare/RegressionGate.h"
#include "engine/report/ReportCharts.h"

#include <QString>

#include <optional>
#include <variant>
#include <vector>

namespace perflab::compare {

struct Comparison
{
    SavedRun a;
    SavedRun b;
    std::vector<ComparisonRow> rows;
    std::optional<std::vector<GateLimit>> gate; // --max-regression, if given
    std::vector<Regression> regressions;        // empty without a gate
};

Comparison makeComparison(SavedRun a, SavedRun b, std::optional<std::vector<GateLimit>> gate);

// "Perflab comparison of two runs of Caching", or "…: X (A) and Y (B)" when the scenarios differ.
QString comparisonTitle(const Comparison &comparison);
// "p99=10%,rps=5%,error_rate=0.5pp"
QString gateLimitsText(const std::vector<GateLimit> &limits);

QString comparisonHtml(const Comparison &comparison, const std::vector<report::NamedChart> &charts);

// The engine's files of the folder, written into `dir` (the staging folder); nullopt on
// success, else an error naming the path.
std::optional<QString> writeComparisonFiles(const Comparison &comparison,
                                            const std::vector<report::NamedChart> &charts,
                                            const QString &dir);

// A folder written elsewhere and renamed into place at the end: begin() checks that `target`
// may be (re)placed and makes `<parent>/.<name>.partial-XXXXXX`; commit() renames it to
// `target` (an earlier comparison folder is moved aside first and removed after). A StagedFolder
// that is destroyed uncommitted removes its staging folder.
class StagedFolder
{
public:
    static std::variant<StagedFolder, QString> begin(const QString &target);
    StagedFolder(StagedFolder &&other) noexcept;
    StagedFolder &operator=(StagedFolder &&) = delete;
    StagedFolder(const StagedFolder &) = delete;
    ~StagedFolder();

    QString path() const { return m_staging; }
    QString target() const { return m_target; }
    std::optional<QString> commit();

private:
    StagedFolder(QString target, QString staging);

    QString m_target;
    QString m_staging; // empty once committed or moved from
};

} // namespace perflab::compare
