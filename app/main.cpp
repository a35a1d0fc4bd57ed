// perflab: the desktop lab (issue 6) or, with a command, the headless engine (SPEC §2).
#include "CommandLine.h"
#include "LoadCommand.h"
#include "ScenariosCommand.h"
#include "ServeCommand.h"

#include <QCoreApplication>

#include <cstdio>

using namespace perflab::app;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("perflab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PERFLAB_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(qPrintable(usageText()), args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? ExitBadInput : ExitOk;
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
    if (command == QLatin1String("scenarios"))
        return runScenarios(args);
    std::fprintf(stderr, "perflab: unknown command '%s'\n%s", qPrintable(command), qPrintable(usageText()));
    return ExitBadInput;
}
