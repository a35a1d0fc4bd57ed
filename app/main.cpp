// perflab: the desktop lab or, with a command, the headless engine
// (docs/reference/command-line.md).
#include "AgentCommand.h"
#include "ClusterCommand.h"
#include "CommandLine.h"
#include "CompareCommand.h"
#include "KneeCommand.h"
#include "LoadCommand.h"
#include "RunCommand.h"
#include "ScenariosCommand.h"
#include "ServeCommand.h"
#include "SignalWatcher.h"
#include "ui/window/MainWindow.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace perflab::app;

namespace {

bool isHeadless()
{
    return qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
           qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// No arguments opens the desktop lab, except where there is no display to show it on (an
// invisible window would run a lab nobody can see or stop): there, the usage as before.
// An explicit QT_QPA_PLATFORM (offscreen, for screenshots and tests) still opens it.
bool opensWindow(int argc)
{
    return argc <= 1 && !isHeadless();
}

// `run` and `knee` render charts/*.png (QtGui; `run` its report.pdf too), so does `compare`
// when it writes a folder (--out), and the window needs widgets; serve, load, scenarios and a
// plain compare stay on QCoreApplication so they never load a platform plugin.
bool comparesIntoFolder(int argc, char **argv)
{
    if (argc < 2 || std::strcmp(argv[1], "compare") != 0)
        return false;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--out") == 0 || std::strncmp(argv[i], "--out=", 6) == 0)
            return true;
    }
    return false;
}

bool needsGui(int argc, char **argv)
{
    return opensWindow(argc) ||
           (argc > 1 && (std::strcmp(argv[1], "run") == 0 || std::strcmp(argv[1], "knee") == 0)) ||
           comparesIntoFolder(argc, argv);
}

// A server or CI job has no display: render offscreen there rather than fail to connect to
// one. Must happen before the application object exists (it loads the platform plugin).
void useOffscreenWhenHeadless()
{
    if (isHeadless())
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

std::unique_ptr<QCoreApplication> makeApplication(int &argc, char **argv)
{
    if (!needsGui(argc, argv))
        return std::make_unique<QCoreApplication>(argc, argv);
    useOffscreenWhenHeadless();
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

int main(int argc, char **argv)
{
    const std::unique_ptr<QCoreApplication> app = makeApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("perflab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PERFLAB_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() && opensWindow(argc)) {
        // The desktop lab; the window starts the lab server once it is shown.
        perflab::ui::MainWindow window;
        // A logout or a kill closes the window as its Quit does: a run's report is written and
        // a cluster's processes (PostgreSQL among them, a daemon of its own) are stopped.
        perflab::app::SignalWatcher termination;
        QObject::connect(&termination, &perflab::app::SignalWatcher::terminationRequested, &window,
                         &QWidget::close);
        window.show();
        return QApplication::exec();
    }
    if (args.isEmpty()) {
        std::fprintf(stderr, "perflab: no display for the desktop lab (set DISPLAY, or use a command)\n%s",
                     qPrintable(usageText()));
        return ExitBadInput;
    }
    if (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(qPrintable(usageText()), stdout);
        return ExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        std::printf("perflab %s\n", PERFLAB_VERSION);
        return ExitOk;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("serve")) {
        auto parsed = parseServeOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runServe(std::get<ServeOptions>(parsed));
    }
    if (command == QLatin1String("cluster")) {
        auto parsed = parseClusterOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runCluster(std::get<ClusterOptions>(parsed));
    }
    if (command == QLatin1String("load")) {
        if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
            std::fputs(qPrintable(loadUsageText()), stdout);
            return ExitOk;
        }
        auto parsed = parseLoadOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runLoad(std::get<LoadCommandOptions>(parsed));
    }
    if (command == QLatin1String("run")) {
        auto parsed = parseRunOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runScenarioCommand(std::get<RunCommandOptions>(parsed));
    }
    if (command == QLatin1String("knee")) {
        if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
            std::fputs(qPrintable(kneeUsageText()), stdout);
            return ExitOk;
        }
        auto parsed = parseKneeOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runKnee(std::get<KneeCommandOptions>(parsed));
    }
    if (command == QLatin1String("agent")) {
        auto parsed = parseAgentOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runAgent(std::get<AgentCommandOptions>(parsed));
    }
    if (command == QLatin1String("scenarios"))
        return runScenarios(args);
    if (command == QLatin1String("compare")) {
        auto parsed = parseCompareOptions(args);
        if (auto *error = std::get_if<UsageError>(&parsed)) {
            std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
            return ExitBadInput;
        }
        return runCompare(std::get<CompareOptions>(parsed));
    }
    std::fprintf(stderr, "perflab: unknown command '%s'\n%s", qPrintable(command), qPrintable(usageText()));
    return ExitBadInput;
}
