// A PostgreSQL for a cluster that was given no --db: a cluster of its own made once with
// Debian's initdb (in the data folder, or in the temporary folder when perflab runs as root and
// the postgres user cannot reach the data folder), started with pg_ctl on a free loopback port,
// loopback TCP with a password only, a `perflab` role and database. Kept between runs, so the
// demo dataset is made once.
#pragma once

#include <QString>

#include <optional>

namespace perflab::cluster {

class LocalPostgres
{
public:
    ~LocalPostgres() { stop(); }
    // nullopt when it answers; else why not. maxConnections: the pools of every instance.
    std::optional<QString> start(const QString &folder, int maxConnections);
    void stop();
    // postgresql://perflab:PASSWORD@127.0.0.1:PORT/perflab
    QString url() const;
    QString dataFolder() const { return m_data; }

private:
    std::optional<QString> initialise();
    QString binary(const QString &name) const { return m_bin + QLatin1Char('/') + name; }

    QString m_bin;
    QString m_data;
    QString m_password;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace perflab::cluster
