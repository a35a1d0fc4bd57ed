// See AgentCommand.h.
#include "AgentCommand.h"

#include "SignalWatcher.h"
#include "engine/agents/LoadAgent.h"
#include "engine/net/MaskedUrl.h"
#include "engine/redis/RedisUrl.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <stop_token>

namespace perflab::app {

std::variant<AgentCommandOptions, UsageError> parseAgentOptions(const QStringList &args)
{
    AgentCommandOptions options;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> QString { return i + 1 < args.size() ? args[++i] : QString(); };
        if (flag == QLatin1String("--redis")) {
            options.redisUrl = value();
            if (!redis::parseRedisUrl(options.redisUrl).url)
                return UsageError{QStringLiteral("agent: --redis expects redis://host[:port][/db], got '%1'")
                                      .arg(net::maskedUrl(options.redisUrl))};
        } else if (flag == QLatin1String("--name")) {
            options.name = value();
            static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.:-]{1,64}$"));
            if (!pattern.match(options.name).hasMatch())
                return UsageError{
                    QStringLiteral("agent: --name expects 1 to 64 letters, digits or _.:- , got '%1'")
                        .arg(options.name.left(80))};
        } else if (flag == QLatin1String("--threads")) {
            const QString text = value();
            const auto threads = parseInteger(text, 1, 64);
            if (!threads)
                return UsageError{
                    QStringLiteral("agent: --threads expects an integer 1..64, got '%1'").arg(text)};
            options.threads = int(*threads);
        } else {
            return UsageError{QStringLiteral("agent: unknown argument '%1'").arg(net::maskedUrl(flag))};
        }
    }
    if (options.redisUrl.isEmpty())
        return UsageError{
            QStringLiteral("agent: expects --redis redis://host[:port][/db], the Redis the runs go through")};
    return options;
}

int runAgent(const AgentCommandOptions &options)
{
    agents::LoadAgentOptions agentOptions;
    agentOptions.redis = *redis::parseRedisUrl(options.redisUrl).url;
    agentOptions.name =
        options.name.isEmpty()
            ? QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid())
            : options.name;
    agentOptions.threads = options.threads;
    agentOptions.say = [](const QString &line) {
        std::printf("perflab agent: %s\n", qPrintable(line));
        std::fflush(stdout);
    };
    agents::LoadAgent agent(agentOptions);
    std::stop_source stop;
    bool serving = true;
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &agent,
                     [&stop](int) { stop.request_stop(); });
    auto serve = [](agents::LoadAgent &agent, std::stop_token token, bool &serving) -> QCoro::Task<> {
        auto serving_ = agent.serve(token);
        co_await std::move(serving_);
        serving = false;
        QCoreApplication::exit(ExitOk);
    };
    QTimer::singleShot(0, &agent, [&] { serve(agent, stop.get_token(), serving); });
    QCoreApplication::exec();
    return ExitOk;
}

} // namespace perflab::app
