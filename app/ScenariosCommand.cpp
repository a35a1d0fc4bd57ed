// See ScenariosCommand.h.
#include "ScenariosCommand.h"

#include "CommandLine.h"

#include <algorithm>
#include <cstdio>

namespace perflab::app {

QString scenariosListing(const std::vector<scenario::BuiltinScenario> &scenarios)
{
    qsizetype idWidth = 0;
    qsizetype nameWidth = 0;
    for (const auto &builtin : scenarios) {
        idWidth = std::max(idWidth, builtin.id.size());
        nameWidth = std::max(nameWidth, builtin.name.size());
    }
    QString listing;
    for (const auto &builtin : scenarios) {
        // One line each whatever the texts hold, so that scripts can read the list by line.
        listing += builtin.id.leftJustified(idWidth + 2) +
                   builtin.name.simplified().leftJustified(nameWidth + 2) + builtin.description.simplified();
        listing += QLatin1Char('\n');
    }
    return listing;
}

int runScenarios(const QStringList &args)
{
    if (!args.isEmpty()) {
        std::fprintf(stderr, "perflab scenarios: unexpected argument '%s' (the command takes none)\n",
                     qPrintable(args.first()));
        return ExitBadInput;
    }
    std::fputs(scenariosListing(scenario::builtinScenarios()).toUtf8().constData(), stdout);
    return ExitOk;
}

} // namespace perflab::app
