// CompareCommand: see CompareCommand.h.
#include "CompareCommand.h"

#include "engine/compare/ComparisonFolder.h"
#include "engine/compare/ComparisonJson.h"
#include "ui/report/ComparisonExport.h"

#include <QDir>
#include <QJsonDocument>
#include <QLocale>
#include <QTextStream>

#include <cstdio>

namespace perflab::app {

namespace {

using compare::ComparisonRow;
using compare::RouteFigures;

struct Figure
{
    const char *label; // as printed
    double RouteFigures::*value;
    bool count = false; // printed as a whole number
};

constexpr Figure kFigures[] = {
    {"rps", &RouteFigures::requestsPerS},
    {"p50 ms", &RouteFigures::p50Ms},
    {"p90 ms", &RouteFigures::p90Ms},
    {"p99 ms", &RouteFigures::p99Ms},
    {"p99.9 ms", &RouteFigures::p999Ms},
    {"max ms", &RouteFigures::maxMs},
    {"errors", &RouteFigures::errorCount, true},
    {"bytes", &RouteFigures::bytesReceived, true},
};

QString number(double value, bool count)
{
    if (count)
        return QLocale::c().toString(value, 'f', 0);
    if (value != 0 && std::abs(value) < 10)
        return QLocale::c().toString(value, 'f', 3);
    return QLocale::c().toString(value, 'f', 1);
}

QString change(double a, double b)
{
    const std::optional<double> percent = compare::changePercent(a, b);
    if (!percent)
        return b == 0 ? QStringLiteral("=") : QStringLiteral("new");
    return QStringLiteral("%1%2 %")
        .arg(*percent > 0 ? QStringLiteral("+") : QString())
        .arg(*percent, 0, 'f', 1);
}

} // namespace

std::variant<CompareOptions, UsageError> parseCompareOptions(const QStringList &args)
{
    CompareOptions options;
    QStringList folders;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QLatin1String("--json")) {
            options.json = true;
        } else if (arg == QLatin1String("--out") || arg.startsWith(QLatin1String("--out="))) {
            if (arg.startsWith(QLatin1String("--out=")))
                options.outDir = arg.mid(int(qstrlen("--out=")));
            else if (i + 1 < args.size())
                options.outDir = args[++i];
            if (options.outDir.isEmpty())
                return UsageError{
                    QStringLiteral("compare: --out needs a folder to write the comparison into")};
        } else if (arg == QLatin1String("--max-regression") ||
                   arg.startsWith(QLatin1String("--max-regression="))) {
            QString spec;
            if (arg.contains(QLatin1Char('=')) && arg.startsWith(QLatin1String("--max-regression=")))
                spec = arg.mid(int(qstrlen("--max-regression=")));
            else if (i + 1 < args.size())
                spec = args[++i];
            else
                return UsageError{
                    QStringLiteral("compare: --max-regression needs a value such as p99=10%,rps=5%")};
            auto parsed = compare::parseMaxRegression(spec);
            if (auto *error = std::get_if<QString>(&parsed))
                return UsageError{QStringLiteral("compare: %1").arg(*error)};
            options.gate = std::get<std::vector<compare::GateLimit>>(parsed);
        } else if (arg.startsWith(QLatin1String("-"))) {
            return UsageError{
                QStringLiteral(
                    "compare: unknown flag '%1' (expected --max-regression LIMITS, --json or --out DIR)")
                    .arg(arg)};
        } else {
            folders.append(arg);
        }
    }
    if (folders.size() != 2)
        return UsageError{
            QStringLiteral("compare: expected two run folders (RUN_A RUN_B), got %1").arg(folders.size())};
    options.runA = folders[0];
    options.runB = folders[1];
    return options;
}

QString comparisonText(const compare::SavedRun &a, const compare::SavedRun &b,
                       const std::vector<ComparisonRow> &rows)
{
    QString text;
    QTextStream out(&text);
    out << "A: " << a.folder << "  (" << a.scenarioName << ", " << a.started << ")\n";
    out << "B: " << b.folder << "  (" << b.scenarioName << ", " << b.started << ")\n";
    for (const ComparisonRow &row : rows) {
        out << "\nphase '" << row.phase << "', " << row.route;
        if (!row.a || !row.b) {
            out << ": only in " << (row.a ? "A" : "B") << '\n';
            continue;
        }
        out << '\n';
        out << qSetFieldWidth(12) << Qt::left << "" << Qt::right << qSetFieldWidth(14) << "A"
            << "B"
            << "change" << qSetFieldWidth(0) << '\n';
        for (const Figure &figure : kFigures) {
            const double va = (*row.a).*figure.value;
            const double vb = (*row.b).*figure.value;
            out << "  " << qSetFieldWidth(10) << Qt::left << figure.label << Qt::right << qSetFieldWidth(14)
                << number(va, figure.count) << number(vb, figure.count) << change(va, vb) << qSetFieldWidth(0)
                << '\n';
        }
        out << "  " << qSetFieldWidth(10) << Qt::left << "error rate" << Qt::right << qSetFieldWidth(14)
            << QStringLiteral("%1 %").arg(100.0 * row.a->errorRate, 0, 'f', 2)
            << QStringLiteral("%1 %").arg(100.0 * row.b->errorRate, 0, 'f', 2)
            << QStringLiteral("%1%2 pp")
                   .arg(row.b->errorRate >= row.a->errorRate ? QStringLiteral("+") : QString())
                   .arg(100.0 * (row.b->errorRate - row.a->errorRate), 0, 'f', 2)
            << qSetFieldWidth(0) << '\n';
    }
    out.flush();
    return text;
}

int runCompare(const CompareOptions &options)
{
    auto loadedA = compare::loadSavedRun(options.runA);
    if (auto *error = std::get_if<QString>(&loadedA)) {
        std::fprintf(stderr, "perflab compare: %s\n", qPrintable(*error));
        return ExitBadInput;
    }
    auto loadedB = compare::loadSavedRun(options.runB);
    if (auto *error = std::get_if<QString>(&loadedB)) {
        std::fprintf(stderr, "perflab compare: %s\n", qPrintable(*error));
        return ExitBadInput;
    }
    const compare::Comparison comparison =
        compare::makeComparison(std::move(std::get<compare::SavedRun>(loadedA)),
                                std::move(std::get<compare::SavedRun>(loadedB)), options.gate);
    const compare::SavedRun &a = comparison.a;
    const compare::SavedRun &b = comparison.b;
    const std::vector<ComparisonRow> &rows = comparison.rows;
    const std::vector<compare::Regression> &regressions = comparison.regressions;
    if (options.json) {
        std::fputs(QJsonDocument(compare::comparisonJson(a, b, rows, regressions, options.gate.has_value()))
                       .toJson()
                       .constData(),
                   stdout);
    } else {
        std::fputs(comparisonText(a, b, rows).toUtf8().constData(), stdout);
        if (options.gate) {
            if (regressions.empty())
                std::fputs("\nno regression beyond --max-regression\n", stdout);
            for (const compare::Regression &r : regressions)
                std::fprintf(stdout, "\nREGRESSION %s", qPrintable(r.text()));
            if (!regressions.empty())
                std::fputs("\n", stdout);
        }
    }
    if (!options.outDir.isEmpty()) {
        // After the verdict is printed: a folder that cannot be written is its own failure
        // (exit 3), and says so last.
        if (auto error = ui::exportComparison(comparison, options.outDir)) {
            std::fprintf(stderr, "perflab compare: %s\n", qPrintable(*error));
            return ExitRuntimeFailure;
        }
        if (!options.json)
            std::fprintf(stdout, "\ncomparison written to %s\n",
                         qPrintable(QDir(options.outDir).absolutePath()));
    }
    return regressions.empty() ? ExitOk : ExitThresholdFailed;
}

} // namespace perflab::app
