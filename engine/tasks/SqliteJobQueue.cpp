// See SqliteJobQueue.h.
#include "engine/tasks/SqliteJobQueue.h"

#include "engine/settings/SettingsStore.h"
#include "engine/tasks/JobWorkerPool.h"

#include <QDir>
#include <QLockFile>
#include <QUuid>

#include <limits>

namespace perflab::tasks {

SqliteJobQueue::SqliteJobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
                               const settings::SettingsStore &settings, metrics::Registry &registry)
    : m_config(std::move(config)), m_handlers(std::move(handlers)), m_settings(settings), m_metrics(registry),
      m_pool(std::make_unique<JobWorkerPool>(m_store, m_handlers, settings, m_metrics, m_config.idlePoll))
{
    m_runner.setObjectName(QStringLiteral("perflab-jobs"));
}

SqliteJobQueue::~SqliteJobQueue()
{
    stop();
}

QString SqliteJobQueue::databasePath() const
{
    return QDir(m_config.dataDir).filePath(QStringLiteral("jobs.sqlite"));
}

std::optional<QString> SqliteJobQueue::start()
{
    if (isRunning())
        return std::nullopt;
    if (m_config.dataDir.isEmpty() || !QDir().mkpath(m_config.dataDir))
        return QStringLiteral("job queue: cannot create the data folder \"%1\"").arg(m_config.dataDir);

    m_lock = std::make_unique<QLockFile>(QDir(m_config.dataDir).filePath(QStringLiteral("jobs.lock")));
    m_lock->setStaleLockTime(0); // held for the process's life; a dead holder is detected by pid
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        return QStringLiteral("job queue: \"%1\" is in use by process %2").arg(m_config.dataDir).arg(pid);
    }
    if (auto error = m_store.open(databasePath())) {
        m_lock.reset();
        return QStringLiteral("job queue: ") + *error;
    }
    try {
        const int maxAttempts = m_config.maxAttempts;
        const auto recovery =
            m_store.callSync([maxAttempts](JobStore &store) { return store.recoverRunning(maxAttempts); });
        const int pending =
            m_store.callSync([](JobStore &store) { return store.countWithStatus(JobStatus::Pending); });
        m_metrics.recovered->inc(std::uint64_t(recovery.requeued));
        m_metrics.failed->inc(std::uint64_t(recovery.abandoned));
        m_metrics.queueDepth->set(pending);
        if (recovery.requeued > 0 || recovery.abandoned > 0)
            qInfo("perflab: job queue: %d interrupted jobs requeued, %d abandoned", recovery.requeued,
                  recovery.abandoned);
    } catch (const JobStoreError &error) {
        m_store.close();
        m_lock.reset();
        return QStringLiteral("job queue: ") + QString::fromLocal8Bit(error.what());
    }

    m_runner.start();
    m_runnerContext = new QObject;
    m_runnerContext->moveToThread(&m_runner);
    JobWorkerPool *pool = m_pool.get();
    QObject::connect(&m_settings, &settings::SettingsStore::changed, m_runnerContext,
                     [pool] { pool->resize(); });
    QMetaObject::invokeMethod(
        m_runnerContext, [pool] { pool->start(); }, Qt::QueuedConnection);
    return std::nullopt;
}

void SqliteJobQueue::stop(std::chrono::milliseconds grace)
{
    if (!isRunning())
        return;
    JobWorkerPool *pool = m_pool.get();
    QSemaphore *stopped = &m_poolStopped;
    QMetaObject::invokeMethod(
        m_runnerContext, [pool, stopped] { pool->beginStop([stopped] { stopped->release(); }); },
        Qt::QueuedConnection);
    if (!m_poolStopped.tryAcquire(1, int(grace.count())))
        qWarning("perflab: job queue: workers still busy after %lld ms; stopping anyway",
                 qlonglong(grace.count()));
    m_runner.quit();
    m_runner.wait();
    m_poolStopped.tryAcquire(m_poolStopped.available()); // a late release must not satisfy the next stop
    delete m_runnerContext; // its thread has finished: nothing can be delivered to it any more
    m_runnerContext = nullptr;
    m_pool->unpublishWorkers(); // its thread has ended

    try {
        // What this process was running goes back to pending, without counting as a crash.
        m_store.callSync([](JobStore &store) { store.recoverRunning(std::numeric_limits<int>::max()); });
    } catch (const JobStoreError &error) {
        qWarning("perflab: job queue: %s", error.what());
    }
    m_store.close();
    m_lock.reset(); // unlocks
}

QCoro::Task<EnqueueResult> SqliteJobQueue::enqueue(QString name, QJsonObject payload)
{
    JobRecord job;
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job.name = std::move(name);
    job.payload = std::move(payload);
    try {
        metrics::Gauge *depth = m_metrics.queueDepth;
        auto insert = [job, depth](JobStore &store) {
            store.insert(job);
            depth->inc(); // on the store's thread, ordered with the claims' decrements
        };
        co_await m_store.call(std::move(insert));
    } catch (const JobStoreError &error) {
        qWarning("perflab: job queue: %s", error.what());
        co_return EnqueueResult{};
    }
    m_metrics.enqueued->inc();
    m_pool->notifyNewJob();
    co_return EnqueueResult{job.id, {}};
}

QCoro::Task<JobLookup> SqliteJobQueue::find(QString id)
{
    JobLookup lookup;
    try {
        auto look = [id](JobStore &store) { return store.find(id); };
        lookup.job = co_await m_store.call(std::move(look));
    } catch (const JobStoreError &error) {
        qWarning("perflab: job queue: %s", error.what());
        lookup.storeFailed = true;
    }
    co_return lookup;
}

int SqliteJobQueue::workerCount() const
{
    return m_pool->liveWorkers();
}

int SqliteJobQueue::busyWorkerCount() const
{
    return m_pool->busyWorkers();
}

} // namespace perflab::tasks
