// Running engine/async coroutines from a QTest function, and the small coroutines the async
// suites put under test (values, failures and flags after a delay).
#pragma once

#include "engine/async/Cancellation.h"
#include "engine/async/GatherSettled.h"
#include "engine/async/Sleep.h"

#include <QEventLoop>
#include <QString>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace perflab::async::testing {

// QCOMPARE returns from the enclosing function, which a coroutine cannot do: coroutines
// under test record what happened here, and the test function checks it afterwards.
template <typename T> struct Outcome
{
    bool finished = false;
    std::optional<ValueOf<T>> value;
    std::exception_ptr error;
    QThread *resumedOn = nullptr;

    QString errorMessage() const
    {
        if (!error)
            return {};
        return Settled<int>::failure(error).errorMessage();
    }
    bool cancelled() const
    {
        try {
            if (error)
                std::rethrow_exception(error);
        } catch (const Cancelled &) {
            return true;
        } catch (...) {
        }
        return false;
    }
};

template <typename T>
QCoro::Task<> capture(QCoro::Task<T> task, std::shared_ptr<Outcome<T>> outcome,
                      std::shared_ptr<QEventLoop> loop)
{
    try {
        if constexpr (std::is_void_v<T>) {
            co_await task;
            outcome->value.emplace();
        } else {
            outcome->value.emplace(co_await task);
        }
    } catch (...) {
        outcome->error = std::current_exception();
    }
    outcome->resumedOn = QThread::currentThread();
    outcome->finished = true;
    loop->quit();
}

// Runs `task` on this thread's event loop until it finishes or `limit` passes.
template <typename T>
Outcome<T> run(QCoro::Task<T> task, std::chrono::milliseconds limit = std::chrono::seconds(10))
{
    auto outcome = std::make_shared<Outcome<T>>();
    auto loop = std::make_shared<QEventLoop>();
    capture(std::move(task), outcome, loop);
    if (!outcome->finished) {
        QTimer::singleShot(limit, loop.get(), &QEventLoop::quit);
        loop->exec();
    }
    return std::move(*outcome);
}

// --- Coroutines under test ----------------------------------------------------------------

inline QCoro::Task<int> valueAfter(int value, std::chrono::milliseconds delay)
{
    co_await perflab::async::sleep(delay);
    co_return value;
}

inline QCoro::Task<QString> textAfter(QString text, std::chrono::milliseconds delay)
{
    co_await perflab::async::sleep(delay);
    co_return text;
}

inline QCoro::Task<int> failAfter(const char *message, std::chrono::milliseconds delay)
{
    co_await perflab::async::sleep(delay);
    throw std::runtime_error(message);
}

inline QCoro::Task<int> flagAfter(std::shared_ptr<bool> finished, std::chrono::milliseconds delay)
{
    co_await perflab::async::sleep(delay);
    *finished = true;
    co_return 1;
}

inline QCoro::Task<> failVoidAfter(const char *message, std::chrono::milliseconds delay)
{
    co_await perflab::async::sleep(delay);
    throw std::runtime_error(message);
}

} // namespace perflab::async::testing
