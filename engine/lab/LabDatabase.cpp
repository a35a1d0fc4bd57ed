// See LabDatabase.h.
#include "engine/lab/LabDatabase.h"

#include "engine/db/DemoDataset.h"
#include "engine/db/Schema.h"
#include "engine/db/SlowQueryLog.h"
#include "engine/settings/SettingsStore.h"

#include <QCoroTask>
#include <QDir>

namespace perflab::lab {

namespace {

QString resolvedUrl(const QString &url, const QString &dataDir)
{
    if (url.trimmed() == QLatin1String("sqlite:"))
        return QStringLiteral("sqlite:") + QDir(dataDir).filePath(QStringLiteral("perflab.sqlite"));
    return url;
}

// Named coroutine (not a lambda inside co_await: GCC 12 destroys such temporaries twice).
QCoro::Task<std::optional<QString>> prepare(db::ConnectionPool &pool, db::DatasetSpec spec,
                                            std::function<void(const QString &)> progress,
                                            db::DatasetProgressCallback datasetProgress,
                                            const std::atomic<bool> *cancel, QJsonObject *dataset)
{
    auto outcome = co_await pool.checkout();
    if (auto *error = std::get_if<db::PoolError>(&outcome))
        co_return error->message;
    auto &connection = std::get<db::PooledConnection>(outcome);
    auto work = [spec, progress, datasetProgress,
                 cancel](QSqlDatabase &database) -> std::variant<db::DatasetReport, QString> {
        if (auto error = db::createSchema(database))
            return *error;
        auto onProgress = [&progress, &datasetProgress](const db::DatasetProgress &step) {
            if (progress)
                progress(
                    QStringLiteral("demo dataset: %1 %2/%3").arg(step.phase).arg(step.done).arg(step.total));
            if (datasetProgress)
                datasetProgress(step);
        };
        return db::ensureDataset(database, spec, onProgress, cancel);
    };
    auto result = co_await connection.run(std::move(work));
    if (auto *error = std::get_if<QString>(&result))
        co_return *error;
    const db::DatasetReport &report = std::get<db::DatasetReport>(result);
    if (!report.error.isEmpty())
        co_return report.error;
    *dataset = QJsonObject{
        {QStringLiteral("users"), double(report.users)}, {QStringLiteral("orders"), double(report.orders)},
        {QStringLiteral("seed"), double(spec.seed)},     {QStringLiteral("reused"), report.reused},
        {QStringLiteral("seconds"), report.seconds},
    };
    if (progress) {
        progress(report.reused ? QStringLiteral("demo dataset: reused (%1 users, %2 orders)")
                                     .arg(report.users)
                                     .arg(report.orders)
                               : QStringLiteral("demo dataset: %1 users, %2 orders generated in %3 s")
                                     .arg(report.users)
                                     .arg(report.orders)
                                     .arg(report.seconds, 0, 'f', 1));
    }
    co_return std::nullopt;
}

} // namespace

LabDatabase::LabDatabase(settings::SettingsStore &settings, metrics::Registry &registry,
                         const QString &dataDir)
    : m_settings(settings), m_url(resolvedUrl(settings.current()->database.url, dataDir)),
      m_slowQueries(std::make_shared<db::SlowQueryLog>(settings, registry)),
      m_pool(std::make_unique<db::ConnectionPool>(m_url, db::poolOptionsFrom(settings.current()->database),
                                                  registry))
{
    m_pool->setQueryObserver(m_slowQueries);
}

LabDatabase::~LabDatabase() = default;

std::optional<QString> LabDatabase::start(const std::function<void(const QString &)> &progress,
                                          const db::DatasetProgressCallback &datasetProgress,
                                          const std::atomic<bool> *cancel)
{
    return QCoro::waitFor(startAsync(progress, datasetProgress, cancel));
}

QCoro::Task<std::optional<QString>> LabDatabase::startAsync(std::function<void(const QString &)> progress,
                                                            db::DatasetProgressCallback datasetProgress,
                                                            const std::atomic<bool> *cancel)
{
    const settings::DatabaseSettings current = m_settings.current()->database;
    db::DatasetSpec spec;
    spec.users = current.datasetUsers;
    spec.orders = current.datasetOrders;
    spec.seed = quint32(current.datasetSeed);
    if (progress)
        progress(QStringLiteral("database: %1").arg(maskedUrl()));
    auto preparing = prepare(*m_pool, spec, progress, datasetProgress, cancel, &m_dataset);
    std::optional<QString> error = co_await std::move(preparing);
    if (error)
        co_return QStringLiteral("database %1: %2").arg(maskedUrl(), *error);
    co_return std::nullopt;
}

QString LabDatabase::maskedUrl() const
{
    return m_pool->maskedUrl();
}

bool LabDatabase::isSqlite() const
{
    return m_url.startsWith(QLatin1String("sqlite:"));
}

void LabDatabase::applySettings()
{
    m_pool->setOptions(db::poolOptionsFrom(m_settings.current()->database));
}

QJsonObject LabDatabase::summary() const
{
    const db::PoolFigures figures = m_pool->figures();
    const db::PoolOptions options = m_pool->options();
    return QJsonObject{
        {QStringLiteral("url"), maskedUrl()},
        {QStringLiteral("pool"),
         QJsonObject{
             {QStringLiteral("in_use"), figures.inUse},
             {QStringLiteral("idle"), figures.idle},
             {QStringLiteral("overflow"), figures.overflow},
             {QStringLiteral("open"), figures.open},
             {QStringLiteral("waiters"), figures.waiters},
             {QStringLiteral("opened_total"), double(figures.opened)},
             {QStringLiteral("closed_total"), double(figures.closed)},
             {QStringLiteral("pool_size"), options.poolSize},
             {QStringLiteral("max_overflow"), options.maxOverflow},
         }},
        {QStringLiteral("slow_queries"), double(m_slowQueries->slowCount())},
        {QStringLiteral("dataset"), m_dataset},
    };
}

} // namespace perflab::lab
