// The flags of `perflab load` (docs/reference/command-line.md), parsed into the load engine's plan:
// one target, one request, a closed (-c) or open (-R) model, a duration. Durations read "10s",
// "500ms", "2m", "1h" or plain seconds ("2.5").
#pragma once

#include "CommandLine.h"
#include "engine/load/LoadPlan.h"

#include <chrono>
#include <variant>

namespace perflab::app {

struct LoadCommandOptions
{
    QString url;
    load::HttpTarget target;
    load::RequestSpec request;
    load::LoadModel model;
    load::LoadOptions options;
    std::chrono::milliseconds duration{10'000};
    bool json = false;
    bool latencySpectrum = false; // --latency: the full .hgrm percentile spectrum
};

// An http:// URL split into the load engine's target (scheme, host, port) and the request's
// path with its query ("/" when the URL has none), as `load` and `knee` take their URL.
struct RequestUrl
{
    load::HttpTarget target;
    QString path;
};
// An error says what is wrong with the URL ("expected http://host:port").
std::variant<RequestUrl, QString> splitRequestUrl(const QString &url);

QString loadUsageText();
// args excludes the program name and the command.
std::variant<LoadCommandOptions, UsageError> parseLoadOptions(const QStringList &args);
// "10s", "500ms", "2m", "1h", "2.5" (seconds); nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parseDuration(const QString &text);

} // namespace perflab::app
