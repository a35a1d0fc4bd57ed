// Async counting semaphore with a live limit: see Semaphore.h.
#include "engine/async/Semaphore.h"

#include "engine/async/WaitGuard.h"
#include "engine/async/WakeSlot.h"

#include <QtGlobal>

#include <algorithm>
#include <deque>
#include <mutex>

namespace perflab::async {

namespace detail {

// Shared by the Semaphore, its permits and the coroutines waiting on it, so that each can
// outlive the others. Queued slots are never woken by anyone but this state (waking and
// removing happen together under `mutex`), so a queued waiter is always still waiting.
struct SemaphoreState
{
    using Waiter = std::shared_ptr<WakeSlot<bool>>;

    explicit SemaphoreState(int initialLimit) : limit(std::max(initialLimit, 0)) {}

    bool canTakeLocked() const { return waiters.empty() && inUse < limit; }

    void grantLocked()
    {
        while (!waiters.empty() && inUse < limit) {
            ++inUse;
            waiters.front()->wake(true);
            waiters.pop_front();
        }
    }

    // A deadline or stop request won: leave the queue, unless a permit was granted first.
    void abandon(const Waiter &waiter)
    {
        std::lock_guard lock(mutex);
        const auto it = std::find(waiters.begin(), waiters.end(), waiter);
        if (it == waiters.end())
            return;
        waiters.erase(it);
        waiter->wake(false);
    }

    void release()
    {
        std::lock_guard lock(mutex);
        Q_ASSERT_X(inUse > 0, "Semaphore::release", "release() without a matching acquire");
        if (inUse > 0)
            --inUse;
        grantLocked();
    }

    mutable std::mutex mutex;
    int limit;
    int inUse = 0;
    std::deque<Waiter> waiters;
};

} // namespace detail

Semaphore::Semaphore(int limit) : m_state(std::make_shared<detail::SemaphoreState>(limit)) {}

Semaphore::~Semaphore()
{
    std::lock_guard lock(m_state->mutex);
    for (const auto &waiter : m_state->waiters)
        waiter->wake(false);
    m_state->waiters.clear();
}

QCoro::Task<bool> Semaphore::acquire(std::chrono::milliseconds timeout, std::stop_token stop)
{
    auto state = m_state; // `this` may be destroyed while we wait
    if (stop.stop_requested())
        co_return false;
    auto waiter = std::make_shared<detail::WakeSlot<bool>>();
    {
        std::lock_guard lock(state->mutex);
        if (state->canTakeLocked()) {
            ++state->inUse;
            co_return true;
        }
        if (timeout <= std::chrono::milliseconds(0))
            co_return false;
        state->waiters.push_back(waiter);
    }
    const auto abandon = [state, waiter] { state->abandon(waiter); };
    const detail::WaitGuard guard(timeout, abandon, stop, abandon);
    co_return co_await waiter->wait();
}

QCoro::Task<SemaphorePermit> Semaphore::acquirePermit(std::chrono::milliseconds timeout, std::stop_token stop)
{
    auto state = m_state;
    const bool acquired = co_await acquire(timeout, std::move(stop));
    if (acquired)
        co_return SemaphorePermit(std::move(state));
    co_return SemaphorePermit();
}

bool Semaphore::tryAcquire()
{
    std::lock_guard lock(m_state->mutex);
    if (!m_state->canTakeLocked())
        return false;
    ++m_state->inUse;
    return true;
}

void Semaphore::release()
{
    m_state->release();
}

void Semaphore::setLimit(int limit)
{
    std::lock_guard lock(m_state->mutex);
    m_state->limit = std::max(limit, 0);
    m_state->grantLocked();
}

int Semaphore::limit() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->limit;
}

int Semaphore::available() const
{
    std::lock_guard lock(m_state->mutex);
    return std::max(m_state->limit - m_state->inUse, 0);
}

int Semaphore::inUse() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->inUse;
}

int Semaphore::waiting() const
{
    std::lock_guard lock(m_state->mutex);
    return static_cast<int>(m_state->waiters.size());
}

SemaphorePermit::SemaphorePermit(std::shared_ptr<detail::SemaphoreState> state) : m_state(std::move(state)) {}

SemaphorePermit::~SemaphorePermit()
{
    release();
}

SemaphorePermit::SemaphorePermit(SemaphorePermit &&other) noexcept : m_state(std::move(other.m_state)) {}

SemaphorePermit &SemaphorePermit::operator=(SemaphorePermit &&other) noexcept
{
    if (this != &other) {
        release();
        m_state = std::move(other.m_state);
    }
    return *this;
}

void SemaphorePermit::release()
{
    if (auto state = std::exchange(m_state, nullptr))
        state->release();
}

} // namespace perflab::async
