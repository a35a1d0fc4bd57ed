// The lab's database (guide chapter 4) as one object: the connection pool on database.url,
// kept in step with the live pool settings; the slow-query log every statement reports to;
// and the start-up work (schema, demo dataset) that must be done before the port opens.
#pragma once

#include "engine/db/ConnectionPool.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/db/DemoDataset.h"

#include <QCoroTask>
#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}
namespace perflab::db {
class SlowQueryLog;
}

namespace perflab::lab {

class LabDatabase
{
public:
    // `sqlite:` (the default) means perflab.sqlite in `dataDir`. database.url and the
    // dataset figures are read here, once: changing them live takes effect at the next start
    // (a new database needs its schema and dataset, which can take seconds).
    LabDatabase(settings::SettingsStore &settings, metrics::Registry &registry, const QString &dataDir);
    ~LabDatabase();
    LabDatabase(const LabDatabase &) = delete;
    LabDatabase &operator=(const LabDatabase &) = delete;

    // Connects, creates the schema when missing and generates the demo dataset unless the
    // stored one has the configured size and seed. Blocks (start-up, before the port opens);
    // `progress` hears each step as one line of text, `datasetProgress` (on the connection's
    // thread) the rows of each generation phase; `cancel`, when set, stops a generation
    // between chunks (error "cancelled"; the next start begins it again). The error names the
    // URL (password masked) and the driver's message.
    std::optional<QString> start(const std::function<void(const QString &)> &progress = {},
                                 const db::DatasetProgressCallback &datasetProgress = {},
                                 const std::atomic<bool> *cancel = nullptr);
    // The same without blocking the calling thread's event loop (the desktop window's start).
    QCoro::Task<std::optional<QString>> startAsync(std::function<void(const QString &)> progress,
                                                   db::DatasetProgressCallback datasetProgress,
                                                   const std::atomic<bool> *cancel);

    db::ConnectionPool &pool() { return *m_pool; }
    db::SlowQueryLog &slowQueries() { return *m_slowQueries; }
    QString maskedUrl() const;
    bool isSqlite() const;

    // The pool's knobs follow the settings (called on every database.* change).
    void applySettings();
    // The pool and slow-query figures for /admin/stats.
    QJsonObject summary() const;

private:
    settings::SettingsStore &m_settings;
    QString m_url;
    std::shared_ptr<db::SlowQueryLog> m_slowQueries;
    std::unique_ptr<db::ConnectionPool> m_pool;
    QJsonObject m_dataset; // what start() found or made, for /admin/stats
};

} // namespace perflab::lab
