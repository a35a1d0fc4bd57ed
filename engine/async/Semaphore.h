// An async counting semaphore whose permit count can change while it is in use: the lab's
// max_in_flight limit, shared by coroutines on several threads.
#pragma once

#include "engine/async/Cancellation.h"

#include <QCoro/QCoroTask>

#include <chrono>
#include <memory>
#include <stop_token>

namespace perflab::async {

class SemaphorePermit;

namespace detail {
struct SemaphoreState;
}

// Waiters are served strictly first come, first served — tryAcquire() does not overtake
// them either — so a steady stream of fast acquirers cannot starve a slow one. Each waiter
// is resumed on its own thread. All members are thread-safe.
//
// The limit is live: setLimit() above the permits in use wakes waiters at once; below, it
// takes effect as permits come back (holders are never revoked).
//
// The semaphore may be destroyed while coroutines still wait: they resume with false.
// Permits and pending waits share its state, so nothing dangles.
class Semaphore
{
public:
    explicit Semaphore(int limit);
    ~Semaphore();
    Semaphore(const Semaphore &) = delete;
    Semaphore &operator=(const Semaphore &) = delete;

    // Resumes with true once a permit is held, or false when `timeout` passes or stop is
    // requested first (a stop already requested fails at once, even with permits free).
    // timeout <= 0 means "only if free now".
    QCoro::Task<bool> acquire(std::chrono::milliseconds timeout = forever, std::stop_token stop = {});
    // The same, holding the permit in an RAII object (empty on failure).
    QCoro::Task<SemaphorePermit> acquirePermit(std::chrono::milliseconds timeout = forever,
                                               std::stop_token stop = {});
    bool tryAcquire();
    // Returns a permit taken by acquire()/tryAcquire(); hands it to the longest waiter.
    void release();

    void setLimit(int limit);
    int limit() const;
    // Permits that can be taken now: limit - in use, never negative.
    int available() const;
    int inUse() const;
    int waiting() const;

private:
    std::shared_ptr<detail::SemaphoreState> m_state;
};

// Holds one permit and returns it when destroyed, whatever path the holder leaves by.
class SemaphorePermit
{
public:
    SemaphorePermit() = default;
    ~SemaphorePermit();
    SemaphorePermit(SemaphorePermit &&other) noexcept;
    SemaphorePermit &operator=(SemaphorePermit &&other) noexcept;

    explicit operator bool() const { return m_state != nullptr; }
    // Returns the permit early; the permit is then empty.
    void release();

private:
    friend class Semaphore;
    explicit SemaphorePermit(std::shared_ptr<detail::SemaphoreState> state);

    std::shared_ptr<detail::SemaphoreState> m_state;
};

} // namespace perflab::async
