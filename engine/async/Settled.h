// The outcome of one task that was allowed to fail: its value or its exception, as reported
// per task by gatherSettled() (asyncio.gather(..., return_exceptions=True)).
#pragma once

#include <QString>

#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

namespace perflab::async {

// Task<void> has no value to put in a tuple or vector; std::monostate stands in for it.
template <typename T> using ValueOf = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <typename T> class Settled
{
public:
    static Settled success(ValueOf<T> value) { return Settled(std::move(value)); }
    static Settled failure(std::exception_ptr error) { return Settled(std::move(error)); }

    bool ok() const { return m_outcome.index() == 0; }
    explicit operator bool() const { return ok(); }

    // The value, or the task's exception rethrown.
    const ValueOf<T> &value() const &
    {
        rethrowIfFailed();
        return std::get<0>(m_outcome);
    }
    ValueOf<T> &&value() &&
    {
        rethrowIfFailed();
        return std::get<0>(std::move(m_outcome));
    }

    // Null when ok().
    std::exception_ptr error() const { return ok() ? nullptr : std::get<1>(m_outcome); }

    // what() of the task's std::exception, for reports and logs; empty when ok().
    QString errorMessage() const
    {
        if (ok())
            return {};
        try {
            std::rethrow_exception(std::get<1>(m_outcome));
        } catch (const std::exception &e) {
            return QString::fromLocal8Bit(e.what());
        } catch (...) {
            return QStringLiteral("unknown error");
        }
    }

private:
    explicit Settled(ValueOf<T> value) : m_outcome(std::in_place_index<0>, std::move(value)) {}
    explicit Settled(std::exception_ptr error) : m_outcome(std::in_place_index<1>, std::move(error)) {}

    void rethrowIfFailed() const
    {
        if (!ok())
            std::rethrow_exception(std::get<1>(m_outcome));
    }

    // Indexed rather than typed alternatives: T may itself be std::exception_ptr.
    std::variant<ValueOf<T>, std::exception_ptr> m_outcome;
};

} // namespace perflab::async
