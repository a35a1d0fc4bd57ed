// See KneeCommand.h.
#include "KneeCommand.h"

#include "LoadArguments.h"
#include "SignalWatcher.h"
#include "engine/knee/KneeCharts.h"
#include "engine/knee/KneeFinder.h"
#include "engine/knee/KneeFolder.h"
#include "engine/knee/KneeJson.h"
#include "engine/knee/KneeText.h"
#include "engine/scenario/Scenario.h"
#include "ui/report/ChartImages.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

namespace perflab::app {

namespace {

void printErr(const QString &line)
{
    std::fprintf(stderr, "perflab knee: %s\n", qPrintable(line));
    std::fflush(stderr);
}

// The target and request mix of the search, or the one-line error of a bad scenario.
std::variant<knee::KneeOptions, QString> searchOf(const KneeCommandOptions &options)
{
    knee::KneeOptions search;
    search.search = options.search;
    search.target.dataDir = options.dataDir;
    if (options.targetIsUrl()) {
        const RequestUrl split =
            std::get<RequestUrl>(splitRequestUrl(options.target)); // checked by the parser
        search.target.url = split.target.url();
        load::RequestSpec request;
        request.path = split.path;
        search.requests = {request};
        return search;
    }
    const QString path = scenario::resolveScenarioPath(options.target);
    auto loaded = scenario::loadScenarioFile(path);
    if (auto *error = std::get_if<scenario::ScenarioError>(&loaded))
        return error->toString();
    const scenario::Scenario scenario = std::get<scenario::Scenario>(std::move(loaded));
    if (scenario.cluster)
        return QStringLiteral(
                   "%1: target: a cluster target is not searched by knee; start `perflab cluster` and give "
                   "its URL")
            .arg(path);
    if (scenario.target != QLatin1String("embedded")) {
        if (!scenario.settings.isEmpty())
            return QStringLiteral(
                       "%1: settings: knee applies settings to the embedded lab only, and the target is %2")
                .arg(path, scenario.target);
        search.target.url = scenario.target;
    } else {
        search.target.labSettings = scenario.settings;
    }
    for (const scenario::Phase &phase : scenario.phases) {
        if (!phase.settings.isEmpty()) {
            printErr(QStringLiteral("%1: the phases' settings are not applied (a knee search has no phases)")
                         .arg(path));
            break;
        }
    }
    search.requests = scenario.requests;
    return search;
}

} // namespace

int runKnee(const KneeCommandOptions &options)
{
    auto prepared = searchOf(options);
    if (auto *error = std::get_if<QString>(&prepared)) {
        printErr(*error);
        return ExitBadInput;
    }
    knee::KneeOptions search = std::get<knee::KneeOptions>(std::move(prepared));
    search.progress = printErr;
    knee::KneeFinder finder(std::move(search));
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &finder, [&finder](int) {
        printErr(QStringLiteral("interrupted; writing what was measured"));
        finder.cancel();
    });
    QObject::connect(&finder, &knee::KneeFinder::stepFinished, &finder, [&](int index) {
        if (options.json)
            return;
        const bool sweep = options.search.concurrencySweep;
        if (index == 0)
            std::printf("%s\n", qPrintable(sweep ? knee::sweepTableHeader() : knee::stepTableHeader()));
        const knee::KneeStep &step = finder.result().steps[std::size_t(index)];
        std::printf("%s\n", qPrintable(sweep ? knee::sweepTableRow(index + 1, step, options.search.bounds)
                                             : knee::stepTableRow(index + 1, step, options.search.bounds)));
        std::fflush(stdout);
    });
    int exitCode = ExitOk;
    QObject::connect(&finder, &knee::KneeFinder::failed, &finder, [&exitCode](const QString &message) {
        printErr(message);
        exitCode = ExitRuntimeFailure;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&finder, &knee::KneeFinder::finished, &finder, [&] {
        knee::KneeResult result = finder.result();
        result.targetArgument = options.target;
        if (options.json)
            std::printf("%s", QJsonDocument(knee::kneeJson(result))
                                  .toJson(QJsonDocument::Compact)
                                  .append('\n')
                                  .constData());
        else
            std::printf("%s\n", qPrintable(knee::capacityLine(result)));
        std::optional<QString> writeError = knee::writeKneeFolder(result, options.outDir);
        if (!writeError)
            writeError = ui::writeChartImages(knee::kneeCharts(result),
                                              QDir(options.outDir).filePath(QStringLiteral("charts")));
        if (writeError)
            printErr(*writeError);
        else if (!options.json)
            std::printf("report: %s\n",
                        qPrintable(QDir(options.outDir).absoluteFilePath(QStringLiteral("knee.html"))));
        std::fflush(stdout);
        if (writeError || finder.isCancelled())
            exitCode = ExitRuntimeFailure;
        else if (!result.foundCapacity())
            exitCode = ExitThresholdFailed;
        QCoreApplication::exit(exitCode);
    });
    // Started from the event loop: a search that fails at once must find the loop running to end it.
    QTimer::singleShot(0, &finder, &knee::KneeFinder::start);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace perflab::app
