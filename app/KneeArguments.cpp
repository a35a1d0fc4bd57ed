// See KneeArguments.h.
#include "KneeArguments.h"

#include "LoadArguments.h"
#include "engine/net/MaskedUrl.h"

#include <cmath>

namespace perflab::app {

namespace {

// A finite number in [min, max] (excluding min when `aboveMin`), else nullopt.
std::optional<double> parseNumber(const QString &text, double min, double max, bool aboveMin)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value > max || value < min || (aboveMin && value == min))
        return std::nullopt;
    return value;
}

} // namespace

QString kneeUsageText()
{
    return QStringLiteral(
        "usage: perflab knee URL|SCENARIO [--start-rate R] [--max-rate R] [--factor F | --step-rate R] [--refine N]\n"
        "                                 [--step-s S] [--warmup-s S] [--p99-ms B] [--follow-share F] [--error-share F]\n"
        "                                 [-c CONNECTIONS] [--threads N] [--timeout T] [--json] [--out DIR]\n"
        "                                 [--data-dir DIR]\n"
        "       perflab knee URL|SCENARIO --concurrency-sweep [-c MAX] [--step-s S] [--warmup-s S] [--json] [--out DIR]\n"
        "  finds the highest open-loop rate the target sustains: steps of rising rate until one fails,\n"
        "  then bisection between the last step that passed and the first that failed\n"
        "  URL           GET this URL; SCENARIO: a scenario file or built-in id (its requests, target\n"
        "                and settings; an embedded target starts a lab on a free loopback port)\n"
        "  --start-rate R  first step in requests/s (default 100); --max-rate R  last (default 100000)\n"
        "  --factor F    each step F x the previous (default 1.5); --step-rate R  + R req/s instead\n"
        "  --refine N    bisection steps after the first failed step (default 3)\n"
        "  --step-s S    seconds per step (default 5), of which --warmup-s S are not measured (default 1)\n"
        "  a step fails when p99 > --p99-ms (default 100), achieved < --follow-share x offered\n"
        "  (default 0.95) or the error share > --error-share (default 0.01)\n"
        "  -c N          connections of the open loop (default 64); --threads N client threads (default 1)\n"
        "  --json        one JSON object on stdout; --out DIR  the output folder (default ./perflab-knee)\n"
        "  --concurrency-sweep  closed loop instead: 1, 2, 4 ... -c clients (at least 4), fitted to the\n"
        "                Universal Scalability Law (contention, coherency, the predicted peak)\n"
        "exit codes: 0 a capacity was found (a knee, or --max-rate sustained; a sweep: the law fitted),\n"
        "1 not even --start-rate was sustained (a sweep: no fit), 2 bad input, 3 runtime failure (target\n"
        "unreachable, interrupted)\n");
}

std::variant<KneeCommandOptions, UsageError> parseKneeOptions(const QStringList &args)
{
    KneeCommandOptions options;
    knee::KneeSearch &search = options.search;
    bool factorGiven = false;
    QString rateSearchFlag; // one flag given that only the rate search reads, for the sweep's error
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        auto error = [&flag](const QString &expected, const std::optional<QString> &got) {
            return UsageError{
                QStringLiteral("knee: %1 expects %2, got '%3'").arg(flag, expected, got.value_or(QString()))};
        };
        // A number flag: its value, or the error naming it.
        auto number = [&](double min, double max, bool aboveMin,
                          const QString &expected) -> std::variant<double, UsageError> {
            const auto v = value();
            const auto parsed = v ? parseNumber(*v, min, max, aboveMin) : std::nullopt;
            if (!parsed)
                return error(expected, v);
            return *parsed;
        };
        std::variant<double, UsageError> parsed = 0.0;
        static const QStringList rateSearchOnly{
            QStringLiteral("--start-rate"),  QStringLiteral("--max-rate"), QStringLiteral("--factor"),
            QStringLiteral("--step-rate"),   QStringLiteral("--refine"),   QStringLiteral("--p99-ms"),
            QStringLiteral("--follow-share")};
        if (rateSearchOnly.contains(flag))
            rateSearchFlag = flag;
        if (flag == QLatin1String("--concurrency-sweep")) {
            search.concurrencySweep = true;
        } else if (flag == QLatin1String("--start-rate")) {
            parsed = number(0, 10'000'000, true, QStringLiteral("a rate in requests/s > 0"));
            if (auto *rate = std::get_if<double>(&parsed))
                search.plan.startRps = *rate;
        } else if (flag == QLatin1String("--max-rate")) {
            parsed = number(0, 10'000'000, true, QStringLiteral("a rate in requests/s > 0"));
            if (auto *rate = std::get_if<double>(&parsed))
                search.plan.maxRps = *rate;
        } else if (flag == QLatin1String("--factor")) {
            parsed = number(1, 10, true,
                            QStringLiteral("a factor > 1 and <= 10 between one step's rate and the next"));
            if (auto *factor = std::get_if<double>(&parsed)) {
                search.plan.factor = *factor;
                factorGiven = true;
            }
        } else if (flag == QLatin1String("--step-rate")) {
            parsed =
                number(0, 10'000'000, true, QStringLiteral("requests/s > 0 added from one step to the next"));
            if (auto *rate = std::get_if<double>(&parsed))
                search.plan.stepRps = *rate;
        } else if (flag == QLatin1String("--refine")) {
            const auto v = value();
            const auto n = v ? parseInteger(*v, 0, 20) : std::nullopt;
            if (!n)
                return error(QStringLiteral("a number of bisection steps 0..20"), v);
            search.plan.refinements = int(*n);
        } else if (flag == QLatin1String("--step-s")) {
            parsed = number(0, 3600, true, QStringLiteral("seconds per step > 0 (e.g. 5)"));
            if (auto *seconds = std::get_if<double>(&parsed))
                search.stepS = *seconds;
        } else if (flag == QLatin1String("--warmup-s")) {
            parsed = number(0, 3600, false,
                            QStringLiteral("seconds >= 0 at the start of each step that are not measured"));
            if (auto *seconds = std::get_if<double>(&parsed))
                search.warmupS = *seconds;
        } else if (flag == QLatin1String("--p99-ms")) {
            parsed = number(0, 3'600'000, true, QStringLiteral("a latency bound in ms > 0 (e.g. 100)"));
            if (auto *ms = std::get_if<double>(&parsed))
                search.bounds.p99Ms = *ms;
        } else if (flag == QLatin1String("--follow-share")) {
            parsed =
                number(0, 1, true, QStringLiteral("a share > 0 and <= 1 of the offered rate (e.g. 0.95)"));
            if (auto *share = std::get_if<double>(&parsed))
                search.bounds.minFollowShare = *share;
        } else if (flag == QLatin1String("--error-share")) {
            parsed = number(0, 1, false, QStringLiteral("a share of errors from 0 to 1 (e.g. 0.01)"));
            if (auto *share = std::get_if<double>(&parsed))
                search.bounds.maxErrorShare = *share;
        } else if (flag == QLatin1String("-c") || flag == QLatin1String("--connections")) {
            const auto v = value();
            const auto n = v ? parseInteger(*v, 1, 100'000) : std::nullopt;
            if (!n)
                return error(QStringLiteral("a number of connections 1..100000"), v);
            search.connections = int(*n);
        } else if (flag == QLatin1String("--threads")) {
            const auto v = value();
            const auto n = v ? parseInteger(*v, 1, 62) : std::nullopt;
            if (!n)
                return error(QStringLiteral("a number of client threads 1..62"), v);
            search.threads = int(*n);
        } else if (flag == QLatin1String("--timeout")) {
            const auto v = value();
            const auto timeout = v ? parseDuration(*v) : std::nullopt;
            if (!timeout || timeout->count() == 0)
                return error(QStringLiteral("a duration such as 2s or 500ms"), v);
            search.timeout = *timeout;
        } else if (flag == QLatin1String("--json")) {
            options.json = true;
        } else if (flag == QLatin1String("--out")) {
            const auto v = value();
            if (!v || v->isEmpty())
                return error(QStringLiteral("a folder for knee.json, knee.html and the charts"), v);
            options.outDir = *v;
        } else if (flag == QLatin1String("--data-dir")) {
            const auto v = value();
            if (!v || v->isEmpty())
                return error(QStringLiteral("a folder for the embedded lab's files"), v);
            options.dataDir = *v;
        } else if (flag.startsWith(QLatin1Char('-'))) {
            return UsageError{QStringLiteral("knee: unknown argument '%1'").arg(flag)};
        } else if (options.target.isEmpty()) {
            options.target = flag;
        } else {
            return UsageError{QStringLiteral("knee: unexpected argument '%1' (one URL or scenario only)")
                                  .arg(net::maskedUrl(flag))};
        }
        if (auto *usage = std::get_if<UsageError>(&parsed))
            return *usage;
    }
    if (options.target.isEmpty())
        return UsageError{
            QStringLiteral("knee: expects a URL (e.g. http://127.0.0.1:8000/hello) or a scenario file "
                           "or built-in id")};
    if (options.targetIsUrl()) {
        auto split = splitRequestUrl(options.target);
        if (auto *message = std::get_if<QString>(&split))
            return UsageError{
                QStringLiteral("knee: URL '%1': %2").arg(net::maskedUrl(options.target), *message)};
    }
    if (search.concurrencySweep && !rateSearchFlag.isEmpty())
        return UsageError{
            QStringLiteral("knee: %1 belongs to the rate search, not to --concurrency-sweep (a closed loop: "
                           "-c sets its largest concurrency)")
                .arg(rateSearchFlag)};
    if (search.concurrencySweep && search.connections < 4)
        return UsageError{
            QStringLiteral("knee: --concurrency-sweep needs -c 4 or more (its largest concurrency; the fit "
                           "needs three), got %1")
                .arg(search.connections)};
    const knee::RatePlan &plan = search.plan;
    if (plan.maxRps < plan.startRps)
        return UsageError{
            QStringLiteral(
                "knee: --max-rate %1 is below --start-rate %2: the steps rise from one to the other")
                .arg(plan.maxRps)
                .arg(plan.startRps)};
    if (factorGiven && plan.stepRps > 0)
        return UsageError{
            QStringLiteral("knee: --factor and --step-rate are two ways to rise: give one of them")};
    if (search.warmupS >= search.stepS)
        return UsageError{
            QStringLiteral("knee: --warmup-s %1 leaves nothing of --step-s %2 to measure: it must be shorter")
                .arg(search.warmupS)
                .arg(search.stepS)};
    return options;
}

} // namespace perflab::app
