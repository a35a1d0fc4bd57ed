// Jobs per second through the durable job queue, SQLite against Redis Streams: N trivial jobs
// (a handler that returns at once) enqueued all at once, timed until the last one is stored as
// completed; the median of the rounds. Printed, never asserted (README "Benchmarks").
//
//   bench_job_queue [--jobs 2000] [--workers 4] [--rounds 3] [--redis redis://127.0.0.1:6379/0]
//
// Without --redis only SQLite is measured. Keys go under a prefix of the run's own, deleted
// afterwards.
#include "engine/metrics/Registry.h"
#include "engine/redis/RedisClient.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueue.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace perflab;

namespace {

struct Round
{
    double enqueuedPerS = 0; // until every enqueue was acknowledged
    double jobsPerS = 0;     // until every job was stored as completed
};

quint64 completed(metrics::Registry &registry)
{
    auto *family = const_cast<metrics::CounterFamily *>(
        dynamic_cast<const metrics::CounterFamily *>(registry.find(QStringLiteral("jobs_total"))));
    return family ? family->withLabels({QStringLiteral("completed")})->value() : 0;
}

std::optional<Round> runRound(const QString &backend, const QString &redisUrl, int jobs, int workers,
                              int round)
{
    QTemporaryDir dir;
    settings::LabSettings initial;
    initial.background.workers = workers;
    initial.background.queueBackend = backend;
    initial.redis.url = redisUrl;
    settings::SettingsStore settings(initial);
    metrics::Registry registry;
    auto handlers = std::make_shared<tasks::JobHandlers>();
    handlers->add(QStringLiteral("noop"), [](QJsonObject, tasks::JobContext) -> QCoro::Task<QJsonValue> {
        co_return QJsonValue(true);
    });
    tasks::JobQueueConfig config;
    config.dataDir = dir.path();
    config.redis.keyPrefix = "perflab:bench:" + QByteArray::number(QCoreApplication::applicationPid()) + ':' +
                             QByteArray::number(round);
    tasks::JobQueue queue(config, handlers, settings, registry);
    if (auto error = queue.start()) {
        std::fprintf(stderr, "bench_job_queue: %s\n", qPrintable(*error));
        return std::nullopt;
    }
    QCoreApplication::processEvents(); // the workers start on their threads

    QElapsedTimer clock;
    clock.start();
    std::vector<QCoro::Task<tasks::EnqueueResult>> enqueues;
    enqueues.reserve(size_t(jobs));
    for (int i = 0; i < jobs; ++i)
        enqueues.push_back(queue.enqueue(QStringLiteral("noop"), QJsonObject{{QStringLiteral("i"), i}}));
    for (auto &enqueue : enqueues) {
        if (!QCoro::waitFor(enqueue).id) {
            std::fprintf(stderr, "bench_job_queue: an enqueue failed on %s\n", qPrintable(backend));
            return std::nullopt;
        }
    }
    const double enqueuedS = double(clock.nsecsElapsed()) / 1e9;
    while (completed(registry) < quint64(jobs) && clock.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    const double doneS = double(clock.nsecsElapsed()) / 1e9;
    if (completed(registry) < quint64(jobs)) {
        std::fprintf(stderr, "bench_job_queue: %s: only %llu of %d jobs completed in 120 s\n",
                     qPrintable(backend), static_cast<unsigned long long>(completed(registry)), jobs);
        return std::nullopt;
    }
    queue.stop();
    if (backend == QLatin1String("redis")) {
        redis::RedisClient client(nullptr);
        client.setUrl(redis::parseRedisUrl(redisUrl).url);
        const redis::RedisReply keys =
            QCoro::waitFor(client.command({"KEYS", '{' + config.redis.keyPrefix + "}*"}));
        for (const redis::RedisReply &key : keys.elements)
            QCoro::waitFor(client.command({"DEL", key.text}));
    }
    return Round{jobs / enqueuedS, jobs / doneS};
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("Jobs per round."),
                                        QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption workersOption(QStringLiteral("workers"), QStringLiteral("Workers."),
                                           QStringLiteral("N"), QStringLiteral("4"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Rounds per backend."),
                                          QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption redisOption(
        QStringLiteral("redis"), QStringLiteral("Redis URL (also measures Redis)."), QStringLiteral("URL"));
    parser.addOptions({jobsOption, workersOption, roundsOption, redisOption});
    parser.process(app);
    const int jobs = parser.value(jobsOption).toInt();
    const int workers = parser.value(workersOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();
    QStringList backends{QStringLiteral("sqlite")};
    if (parser.isSet(redisOption))
        backends << QStringLiteral("redis");

    std::printf("perflab job queue benchmark: %d trivial jobs, %d workers, median of %d rounds\n", jobs,
                workers, rounds);
    std::printf("%-8s %14s %14s\n", "backend", "enqueued/s", "jobs/s");
    for (const QString &backend : std::as_const(backends)) {
        std::vector<double> enqueued, done;
        for (int round = 0; round < rounds; ++round) {
            const auto result = runRound(backend, parser.value(redisOption), jobs, workers, round);
            if (!result)
                return 3;
            std::printf("  round %d %-8s %10.0f %14.0f\n", round + 1, qPrintable(backend),
                        result->enqueuedPerS, result->jobsPerS);
            enqueued.push_back(result->enqueuedPerS);
            done.push_back(result->jobsPerS);
        }
        std::printf("%-8s %14.0f %14.0f\n", qPrintable(backend), median(enqueued), median(done));
    }
    return 0;
}
