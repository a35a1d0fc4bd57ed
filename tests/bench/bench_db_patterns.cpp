// The query patterns of guide chapter 4 measured on the demo dataset (1,000,000 users and
// 3,000,000 orders by default), fast way against slow twin, with the very functions the
// /db/users routes run (engine/db/UserQueries). Not a ctest: timings belong to a benchmark
// run on a quiet machine, not to assertions. Prints medians and slow/fast ratios.
//
//   bench_db_patterns [--db URL] [--users N] [--orders N] [--rounds N] [--regenerate]
//
// --db defaults to a SQLite file in the temp folder (kept, so later runs reuse its dataset);
// --regenerate drops the dataset first so that its generation time is measured.
#include "engine/db/DatabaseUrl.h"
#include "engine/db/DemoDataset.h"
#include "engine/db/Schema.h"
#include "engine/db/UserQueries.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace perflab;

namespace {

struct Options
{
    QString url;
    qint64 users = 1'000'000;
    qint64 orders = 3'000'000;
    int rounds = 5;
    bool regenerate = false;
};

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_db_patterns: %s\n", qPrintable(message));
    std::exit(2);
}

Options parse(const QStringList &args)
{
    Options options;
    options.url = QStringLiteral("sqlite:") + QDir::temp().filePath(QStringLiteral("perflab-bench.sqlite"));
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &flag = args[i];
        const auto value = [&]() -> QString {
            if (i + 1 >= args.size())
                fail(QStringLiteral("%1 expects a value").arg(flag));
            return args[++i];
        };
        bool ok = true;
        if (flag == QLatin1String("--db"))
            options.url = value();
        else if (flag == QLatin1String("--users"))
            options.users = value().toLongLong(&ok);
        else if (flag == QLatin1String("--orders"))
            options.orders = value().toLongLong(&ok);
        else if (flag == QLatin1String("--rounds"))
            options.rounds = value().toInt(&ok);
        else if (flag == QLatin1String("--regenerate"))
            options.regenerate = true;
        else
            fail(QStringLiteral("unknown argument %1").arg(flag));
        if (!ok)
            fail(QStringLiteral("%1 expects a number").arg(flag));
    }
    options.rounds = std::max(1, options.rounds);
    return options;
}

QSqlDatabase open(const db::DatabaseUrl &url)
{
    QSqlDatabase database = QSqlDatabase::addDatabase(url.driver, QStringLiteral("bench"));
    database.setDatabaseName(url.databaseName);
    if (!url.isSqlite()) {
        database.setHostName(url.host);
        database.setPort(url.port);
        database.setUserName(url.userName);
        database.setPassword(url.password);
    }
    if (!database.open())
        fail(QStringLiteral("%1: %2").arg(url.masked(), database.lastError().text()));
    if (url.isSqlite()) // as the lab's own connections (DbConnection::open)
        QSqlQuery(database).exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    return database;
}

double medianMs(int rounds, const std::function<void()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void check(const QString &error, const char *what)
{
    if (!error.isEmpty())
        fail(QStringLiteral("%1: %2").arg(QLatin1String(what), error));
}

void row(const char *pattern, const char *fastName, double fastMs, const char *slowName, double slowMs)
{
    std::printf("%-34s %-9s %10.3f   %-10s %10.3f   %8.1f\n", pattern, fastName, fastMs, slowName, slowMs,
                fastMs > 0 ? slowMs / fastMs : 0.0);
}

std::vector<db::NewUser> newUsers(int count, int round)
{
    std::vector<db::NewUser> users;
    users.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const QString tag = QStringLiteral("bench%1x%2").arg(round).arg(i);
        users.push_back({tag, tag + QStringLiteral("@example.com"), QStringLiteral("benchmark row"), true});
    }
    return users;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options options = parse(app.arguments());
    const auto parsed = db::parseDatabaseUrl(options.url);
    if (auto *error = std::get_if<QString>(&parsed))
        fail(*error);
    const db::DatabaseUrl url = std::get<db::DatabaseUrl>(parsed);
    QSqlDatabase database = open(url);
    std::printf("perflab db benchmark on %s (%s)\n", qPrintable(url.masked()), qPrintable(url.driver));

    if (options.regenerate)
        check(db::runSchemaSection(database, db::SchemaSection::Reset).value_or(QString()), "reset");
    check(db::createSchema(database).value_or(QString()), "schema");
    db::DatasetSpec spec;
    spec.users = options.users;
    spec.orders = options.orders;
    QElapsedTimer generation;
    generation.start();
    const db::DatasetReport report = db::ensureDataset(database, spec, {}, nullptr);
    check(report.error, "dataset");
    std::printf("dataset: %lld users, %lld orders, %s in %.1f s\n", static_cast<long long>(report.users),
                static_cast<long long>(report.orders),
                report.reused ? "reused (generated earlier)" : "generated",
                report.reused ? db::storedDataset(database).value_or(db::StoredDataset{}).seconds
                              : double(generation.elapsed()) / 1000.0);
    std::printf("%d rounds per measurement, medians in ms\n\n", options.rounds);
    std::printf("%-34s %-9s %10s   %-10s %10s   %8s\n", "pattern", "fast", "ms", "slow", "ms", "slow/fast");

    const int pageSize = 20;
    const qint64 depth = std::min<qint64>(500'000, options.users / 2);
    const double cursorMs = medianMs(
        options.rounds, [&] { check(db::usersAfterCursor(database, depth, pageSize).error, "cursor page"); });
    const double offsetMs = medianMs(options.rounds, [&] {
        check(db::usersOffsetPage(database, depth / pageSize + 1, pageSize).error, "offset page");
    });
    const QByteArray pageLabel = "page of 20 at depth " + QByteArray::number(depth);
    row(pageLabel.constData(), "cursor", cursorMs, "offset", offsetMs);

    QList<qint64> ids;
    for (int i = 0; i < 100; ++i)
        ids.append(1 + (qint64(i) * 7919) % options.users);
    const double inMs =
        medianMs(options.rounds * 4, [&] { check(db::usersByIds(database, ids, false).error, "IN"); });
    const double nPlusOneMs =
        medianMs(options.rounds * 4, [&] { check(db::usersByIds(database, ids, true).error, "N+1"); });
    row("100 users by id", "IN", inMs, "N+1", nPlusOneMs);

    const double countMs =
        medianMs(options.rounds, [&] { check(db::countUsers(database, false).error, "count"); });
    const double naiveMs = medianMs(std::min(options.rounds, 3),
                                    [&] { check(db::countUsers(database, true).error, "naive count"); });
    row("count users", "count(*)", countMs, "naive", naiveMs);

    const int insertRows = 10'000;
    int round = 0;
    const auto insertAndRemove = [&](bool rowByRow) {
        const db::WriteResult written = db::insertUsers(database, newUsers(insertRows, ++round), rowByRow);
        check(written.error, rowByRow ? "row-by-row insert" : "bulk insert");
        if (written.rows != insertRows)
            fail(QStringLiteral("inserted %1 rows, expected %2").arg(written.rows).arg(insertRows));
        return written.ids;
    };
    // Only the insert is timed; the rows are deleted again so that the dataset stays as made.
    const auto timedInsert = [&](bool rowByRow) {
        std::vector<double> times;
        for (int i = 0; i < (rowByRow ? std::min(options.rounds, 3) : options.rounds); ++i) {
            QElapsedTimer timer;
            timer.start();
            const QList<qint64> inserted = insertAndRemove(rowByRow);
            times.push_back(double(timer.nsecsElapsed()) / 1e6);
            check(db::deleteUsers(database, inserted).error, "clean-up");
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    };
    const double bulkMs = timedInsert(false);
    const double rowByRowMs = timedInsert(true);
    row("insert 10000 users", "bulk", bulkMs, "row_by_row", rowByRowMs);
    return 0;
}
