// CompareCommand: see CompareCommand.h.
#include "CompareCommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

#include <cstdio>

namespace perflab::app {

namespace {

using compare::ComparisonRow;
using compare::RouteFigures;

struct Figure
{
    const char *label;    // as printed
    const char *jsonKey;  // in --json's change_percent
    double RouteFigures::*value;
    bool count = false;   // printed as a whole number
};

constexpr Figure kFigures[] = {
    {"rps", "rps", &RouteFigures::requestsPerS},     {"p50 ms", "p50", &RouteFigures::p50Ms},
    {"p90 ms", "p90", &RouteFigures::p90Ms},         {"p99 ms", "p99", &RouteFigures::p99Ms},
    {"p99.9 ms", "p999", &RouteFigures::p999Ms},     {"max ms", "max", &RouteFigures::maxMs},
    {"errors", "errors", &RouteFigures::errorCount, true}, {"bytes", "bytes", &RouteFigures::bytesReceived, true},
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
    return QStringLiteral("%1%2 %").arg(*percent > 0 ? QStringLiteral("+") : QString()).arg(*percent, 0, 'f', 1);
}

QJsonObject figuresJson(const RouteFigures &f)
{
    return {{QStringLiteral("requests"), f.requests},       {QStringLiteral("rps"), f.requestsPerS},
            {QStringLiteral("p50_ms"), f.p50Ms},            {QStringLiteral("p90_ms"), f.p90Ms},
            {QStringLiteral("p99_ms"), f.p99Ms},            {QStringLiteral("p999_ms"), f.p999Ms},
            {QStringLiteral("max_ms"), f.maxMs},            {QStringLiteral("errors"), f.errorCount},
            {QStringLiteral("error_rate"), f.errorRate},    {QStringLiteral("bytes"), f.bytesReceived}};
}

QJsonObject runJson(const compare::SavedRun &run)
{
    return {{QStringLiteral("folder"), run.folder},
            {QStringLiteral("scenario"), run.scenarioName},
            {QStringLiteral("started"), run.started}};
}

QJsonObject comparisonJson(const compare::SavedRun &a, const compare::SavedRun &b, const std::vector<ComparisonRow> &rows,
                           const std::vector<compare::Regression> &regressions, bool gated)
{
    QJsonArray rowArray;
    for (const ComparisonRow &row : rows) {
        QJsonObject json{{QStringLiteral("phase"), row.phase},
                         {QStringLiteral("route"), row.route},
                         {QStringLiteral("a"), row.a ? QJsonValue(figuresJson(*row.a)) : QJsonValue()},
                         {QStringLiteral("b"), row.b ? QJsonValue(figuresJson(*row.b)) : QJsonValue()}};
        if (row.a && row.b) {
            QJsonObject changes;
            for (const Figure &figure : kFigures) {
                const std::optional<double> percent = compare::changePercent((*row.a).*figure.value, (*row.b).*figure.value);
                changes.insert(QLatin1String(figure.jsonKey), percent ? QJsonValue(*percent) : QJsonValue());
            }
            json.insert(QStringLiteral("change_percent"), changes);
            json.insert(QStringLiteral("error_rate_change_pp"), 100.0 * (row.b->errorRate - row.a->errorRate));
        } else {
            json.insert(QStringLiteral("only_in"), row.a ? QStringLiteral("a") : QStringLiteral("b"));
        }
        rowArray.append(json);
    }
    QJsonArray regressionArray;
    for (const compare::Regression &r : regressions) {
        regressionArray.append(QJsonObject{{QStringLiteral("phase"), r.phase},   {QStringLiteral("route"), r.route},
                                           {QStringLiteral("metric"), r.metric}, {QStringLiteral("a"), r.a},
                                           {QStringLiteral("b"), r.b},           {QStringLiteral("change"), r.change},
                                           {QStringLiteral("limit"), r.limit},   {QStringLiteral("text"), r.text()}});
    }
    return {{QStringLiteral("a"), runJson(a)},
            {QStringLiteral("b"), runJson(b)},
            {QStringLiteral("rows"), rowArray},
            {QStringLiteral("gated"), gated},
            {QStringLiteral("regressions"), regressionArray},
            {QStringLiteral("passed"), regressions.empty()}};
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
        } else if (arg == QLatin1String("--max-regression") || arg.startsWith(QLatin1String("--max-regression="))) {
            QString spec;
            if (arg.contains(QLatin1Char('=')) && arg.startsWith(QLatin1String("--max-regression=")))
                spec = arg.mid(int(qstrlen("--max-regression=")));
            else if (i + 1 < args.size())
                spec = args[++i];
            else
                return UsageError{QStringLiteral("compare: --max-regression needs a value such as p99=10%,rps=5%")};
            auto parsed = compare::parseMaxRegression(spec);
            if (auto *error = std::get_if<QString>(&parsed))
                return UsageError{QStringLiteral("compare: %1").arg(*error)};
            options.gate = std::get<std::vector<compare::GateLimit>>(parsed);
        } else if (arg.startsWith(QLatin1String("-"))) {
            return UsageError{QStringLiteral("compare: unknown flag '%1' (expected --max-regression SPEC or --json)").arg(arg)};
        } else {
            folders.append(arg);
        }
    }
    if (folders.size() != 2)
        return UsageError{QStringLiteral("compare: expected two run folders (RUN_A RUN_B), got %1").arg(folders.size())};
    options.runA = folders[0];
    options.runB = folders[1];
    return options;
}

QString comparisonText(const compare::SavedRun &a, const compare::SavedRun &b, const std::vector<ComparisonRow> &rows)
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
        out << qSetFieldWidth(12) << Qt::left << "" << Qt::right << qSetFieldWidth(14) << "A" << "B" << "change"
            << qSetFieldWidth(0) << '\n';
        for (const Figure &figure : kFigures) {
            const double va = (*row.a).*figure.value;
            const double vb = (*row.b).*figure.value;
            out << "  " << qSetFieldWidth(10) << Qt::left << figure.label << Qt::right << qSetFieldWidth(14) << number(va, figure.count)
                << number(vb, figure.count) << change(va, vb) << qSetFieldWidth(0) << '\n';
        }
        out << "  " << qSetFieldWidth(10) << Qt::left << "error rate" << Qt::right << qSetFieldWidth(14)
            << QStringLiteral("%1 %").arg(100.0 * row.a->errorRate, 0, 'f', 2)
            << QStringLiteral("%1 %").arg(100.0 * row.b->errorRate, 0, 'f', 2)
            << QStringLiteral("%1%2 pp").arg(row.b->errorRate >= row.a->errorRate ? QStringLiteral("+") : QString())
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
    const compare::SavedRun &a = std::get<compare::SavedRun>(loadedA);
    const compare::SavedRun &b = std::get<compare::SavedRun>(loadedB);
    const std::vector<ComparisonRow> rows = compare::compareRuns(a, b);
    const std::vector<compare::Regression> regressions =
        options.gate ? compare::findRegressions(rows, *options.gate) : std::vector<compare::Regression>{};
    if (options.json) {
        std::fputs(QJsonDocument(comparisonJson(a, b, rows, regressions, options.gate.has_value())).toJson().constData(), stdout);
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
    return regressions.empty() ? ExitOk : ExitThresholdFailed;
}

} // namespace perflab::app
