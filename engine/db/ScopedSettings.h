// Connection settings (SQLite pragmas, PostgreSQL run-time parameters) changed for a scope and
// put back at its end: the connection goes back to a pool whose other users expect the usual.
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace perflab::db {

struct SessionSetting
{
    QString name;  // "synchronous" (SQLite's PRAGMA), "synchronous_commit" (PostgreSQL's SET)
    QString value; // as the database spells it
};

class ScopedSettings
{
public:
    // Best effort: a setting the database does not know or refuses is skipped, since these
    // settings change speed or noise, never results.
    ScopedSettings(QSqlDatabase &db, const QList<SessionSetting> &settings);
    ~ScopedSettings();
    ScopedSettings(const ScopedSettings &) = delete;
    ScopedSettings &operator=(const ScopedSettings &) = delete;

private:
    QSqlDatabase &m_db;
    QList<SessionSetting> m_previous; // put back in reverse order
};

} // namespace perflab::db
