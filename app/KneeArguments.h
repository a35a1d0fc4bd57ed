// The flags of `perflab knee` parsed into a capacity search (knee/KneeResult.h's KneeSearch)
// and the command's own choices. Every error is one line naming the flag and what was
// expected (exit 2); what needs the file system (the scenario) is checked by the command.
#pragma once

#include "CommandLine.h"
#include "engine/knee/KneeResult.h"

#include <variant>

namespace perflab::app {

struct KneeCommandOptions
{
    QString target; // an http:// URL, or a scenario file or built-in id
    knee::KneeSearch search;
    bool json = false;
    QString outDir = QStringLiteral("perflab-knee");
    QString dataDir; // the embedded lab's files ("" = the user's data folder)

    bool targetIsUrl() const { return target.contains(QLatin1String("://")); }
};

QString kneeUsageText();
// args excludes the program name and the command.
std::variant<KneeCommandOptions, UsageError> parseKneeOptions(const QStringList &args);

} // namespace perflab::app
