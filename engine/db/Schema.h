// The lab database's schema (resources/sql/schema.sql, compiled in as a Qt resource): users,
// orders and the record of the demo dataset, for SQLite and PostgreSQL from one file. The
// file's header documents its sections, its "-- @only" statements and its placeholders.
#pragma once

#include "engine/db/DatabaseUrl.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace perflab::db {

enum class Dialect { Sqlite, Postgresql };

Dialect dialectOf(const QSqlDatabase &db);
Dialect dialectOf(const DatabaseUrl &url);

enum class SchemaSection {
    Reset,     // drops the tables
    Tables,    // creates them, without indexes and keys
    AfterLoad, // the indexes and keys, and the identity counters past the loaded ids
};

// Raised whenever schema.sql changes what a stored dataset holds: a dataset recorded under
// another version is regenerated rather than reused.
inline constexpr int schemaVersion = 1;

// The statements of `section` for `dialect`, placeholders filled in, in file order.
QStringList schemaStatements(Dialect dialect, SchemaSection section);
// The same as one script, for reading and logs.
QString schemaSql(Dialect dialect, SchemaSection section);

// Runs one section on `db`, on the connection's thread. nullopt on success, else the driver's
// message and the statement that failed.
std::optional<QString> runSchemaSection(QSqlDatabase &db, SchemaSection section);

// Tables, then their indexes and keys. Idempotent: safe at every start.
std::optional<QString> createSchema(QSqlDatabase &db);

} // namespace perflab::db
