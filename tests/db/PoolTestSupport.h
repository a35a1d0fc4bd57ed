// Helpers for the engine/db tests: running coroutines from a QTest function, checking out
// synchronously, reading gauges, and a second thread with an event loop (WorkerThread.h).
#pragma once

#include "LoopbackLab.h"
#include "WorkerThread.h"

#include "engine/db/ConnectionPool.h"
#include "engine/metrics/Registry.h"

#include <QEventLoop>
#include <QSqlDatabase>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <variant>

namespace perflab::db::testing {

using namespace std::chrono_literals;

using Checkout = std::variant<PooledConnection, PoolError>;

// QCOMPARE cannot be used inside a coroutine: coroutines record, the test checks.
template <typename T>
QCoro::Task<> capture(QCoro::Task<T> task, std::shared_ptr<std::optional<T>> out,
                      std::shared_ptr<QEventLoop> loop)
{
    out->emplace(co_await task);
    loop->quit();
}

// Runs `task` on this thread's event loop until it finishes (or `timeout` passes: nullopt).
template <typename T>
std::optional<T> run(QCoro::Task<T> task, std::chrono::milliseconds timeout = std::chrono::seconds(20))
{
    auto out = std::make_shared<std::optional<T>>();
    auto loop = std::make_shared<QEventLoop>();
    capture(std::move(task), out, loop);
    if (!out->has_value()) {
        QTimer::singleShot(timeout, loop.get(), &QEventLoop::quit);
        loop->exec();
    }
    return std::move(*out);
}

inline PooledConnection take(ConnectionPool &pool)
{
    auto outcome = run(pool.checkout());
    if (!outcome)
        qFatal("checkout did not finish");
    if (auto *error = std::get_if<PoolError>(&*outcome))
        qFatal("checkout failed: %s", qPrintable(error->message));
    return std::get<PooledConnection>(std::move(*outcome));
}

inline QueryResult query(PooledConnection &connection, const QString &sql, const QVariantList &values = {})
{
    auto result = run(connection.query(sql, values));
    return result ? *result : QueryResult{{}, -1, QStringLiteral("query did not finish")};
}

inline PoolOptions options(int size, int overflow, double timeoutS = 5, double recycleS = -1,
                           bool prePing = false)
{
    PoolOptions options;
    options.poolSize = size;
    options.maxOverflow = overflow;
    options.poolTimeoutS = timeoutS;
    options.poolRecycleS = recycleS;
    options.poolPrePing = prePing;
    return options;
}

// A gauge series' value, -1 when it does not exist (LoopbackLab.h reads it).
inline std::int64_t gauge(perflab::metrics::Registry &registry, const QString &name,
                          const QStringList &labels = {})
{
    return perflab::test::gaugeValue(registry, name, labels).value_or(-1);
}

// A thread with an event loop, to check out from while the test thread does too.
using perflab::test::WorkerThread;

struct Traffic
{
    std::atomic<int> succeeded{0};
    std::atomic<int> failed{0};
    std::atomic<int> finished{0};
    std::atomic<int> maxInUse{0};
    std::atomic<int> wrongThread{0};
};

inline QCoro::Task<> checkoutLoop(ConnectionPool &pool, int base, int rounds,
                                  std::shared_ptr<Traffic> traffic)
{
    QThread *home = QThread::currentThread();
    for (int i = 0; i < rounds; ++i) {
        auto outcome = co_await pool.checkout();
        auto *connection = std::get_if<PooledConnection>(&outcome);
        if (!connection) {
            ++traffic->failed;
            continue;
        }
        const int inUse = pool.figures().inUse;
        int seen = traffic->maxInUse.load();
        while (inUse > seen && !traffic->maxInUse.compare_exchange_weak(seen, inUse)) {
        }
        auto probe = [home](QSqlDatabase &) { return QThread::currentThread() != home; };
        const bool offThread = co_await connection->run(std::move(probe));
        QString sql = QStringLiteral("SELECT CAST(? AS INTEGER)");
        QVariantList values{base + i};
        const QueryResult result = co_await connection->query(std::move(sql), std::move(values));
        if (!offThread)
            ++traffic->wrongThread;
        if (result.ok() && result.rows.size() == 1 && result.rows[0].value(0).toInt() == base + i)
            ++traffic->succeeded;
        else
            ++traffic->failed;
    }
    ++traffic->finished;
}

} // namespace perflab::db::testing
