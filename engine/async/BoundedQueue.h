// An async, thread-safe, multi-producer/multi-consumer queue of bounded capacity: producers
// wait for space, consumers wait for items, close() ends the stream.
#pragma once

#include "engine/async/Cancellation.h"
#include "engine/async/WaitGuard.h"
#include "engine/async/WakeSlot.h"

#include <QCoro/QCoroTask>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

namespace perflab::async {

namespace detail {

// Shared by the queue and the coroutines waiting on it (see SemaphoreState for why).
// Hand-offs are direct: a push finding a waiting consumer gives it the item, and a pop
// that frees space moves the longest-waiting producer's item in. So waiters on both sides
// are served in FIFO order, nobody can snatch what a woken waiter was woken for, and a
// capacity of 0 works as a rendezvous channel.
template <typename T> struct BoundedQueueState
{
    struct Producer
    {
        std::shared_ptr<WakeSlot<bool>> accepted;
        T item;
    };
    using ProducerPtr = std::shared_ptr<Producer>;
    using Consumer = std::shared_ptr<WakeSlot<std::optional<T>>>;

    explicit BoundedQueueState(std::size_t capacity) : capacity(capacity) {}

    // Requires the lock. Takes the next item, refilling from a waiting producer.
    std::optional<T> takeLocked()
    {
        std::optional<T> item;
        if (!items.empty()) {
            item.emplace(std::move(items.front()));
            items.pop_front();
            if (!producers.empty() && items.size() < capacity) {
                items.push_back(std::move(producers.front()->item));
                producers.front()->accepted->wake(true);
                producers.pop_front();
            }
        } else if (!producers.empty()) { // capacity 0: straight from the producer
            item.emplace(std::move(producers.front()->item));
            producers.front()->accepted->wake(true);
            producers.pop_front();
        }
        return item;
    }

    // Requires the lock. Moves from `item` only when it returns true.
    bool putLocked(T &item)
    {
        if (closed)
            return false;
        if (!consumers.empty()) {
            consumers.front()->wake(std::move(item));
            consumers.pop_front();
            return true;
        }
        if (items.size() < capacity) {
            items.push_back(std::move(item));
            return true;
        }
        return false;
    }

    void abandon(const ProducerPtr &producer)
    {
        std::lock_guard lock(mutex);
        const auto it = std::find(producers.begin(), producers.end(), producer);
        if (it == producers.end())
            return; // accepted first
        producers.erase(it);
        producer->accepted->wake(false);
    }

    void abandon(const Consumer &consumer)
    {
        std::lock_guard lock(mutex);
        const auto it = std::find(consumers.begin(), consumers.end(), consumer);
        if (it == consumers.end())
            return; // served first
        consumers.erase(it);
        consumer->wake(std::nullopt);
    }

    void close()
    {
        std::lock_guard lock(mutex);
        closed = true;
        for (const auto &consumer : consumers) // waiting consumers mean the queue is empty
            consumer->wake(std::nullopt);
        consumers.clear();
        for (const auto &producer : producers)
            producer->accepted->wake(false);
        producers.clear();
    }

    mutable std::mutex mutex;
    const std::size_t capacity;
    bool closed = false;
    std::deque<T> items;
    std::deque<ProducerPtr> producers;
    std::deque<Consumer> consumers;
};

} // namespace detail

// All members are thread-safe; each waiter is resumed on its own thread. A timeout <= 0
// means "only if possible now". A stop already requested fails at once.
template <typename T> class BoundedQueue
{
public:
    explicit BoundedQueue(std::size_t capacity)
        : m_state(std::make_shared<detail::BoundedQueueState<T>>(capacity))
    {
    }
    // Closes the queue: coroutines still waiting resume with false / nullopt.
    ~BoundedQueue() { m_state->close(); }
    BoundedQueue(const BoundedQueue &) = delete;
    BoundedQueue &operator=(const BoundedQueue &) = delete;

    // Resumes with true once the item is in the queue (or handed to a consumer), false when
    // the queue is closed, `timeout` passes or stop is requested — the item is then dropped.
    QCoro::Task<bool> push(T item, std::chrono::milliseconds timeout = forever, std::stop_token stop = {})
    {
        auto state = m_state; // `this` may be destroyed while we wait
        if (stop.stop_requested())
            co_return false;
        using Producer = typename detail::BoundedQueueState<T>::Producer;
        std::shared_ptr<Producer> producer;
        {
            std::lock_guard lock(state->mutex);
            if (state->putLocked(item))
                co_return true;
            if (state->closed || timeout <= std::chrono::milliseconds(0))
                co_return false;
            producer = std::make_shared<Producer>(
                Producer{std::make_shared<detail::WakeSlot<bool>>(), std::move(item)});
            state->producers.push_back(producer);
        }
        const auto abandon = [state, producer] { state->abandon(producer); };
        const detail::WaitGuard guard(timeout, abandon, stop, abandon);
        co_return co_await producer->accepted->wait();
    }

    // Never waits; false (item dropped) when full or closed.
    bool tryPush(T item)
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->putLocked(item);
    }

    // Resumes with the oldest item, or nullopt when `timeout` passes, stop is requested, or
    // the queue is closed and drained. Items pushed before close() are still delivered.
    QCoro::Task<std::optional<T>> pop(std::chrono::milliseconds timeout = forever, std::stop_token stop = {})
    {
        auto state = m_state;
        if (stop.stop_requested())
            co_return std::nullopt;
        auto consumer = std::make_shared<detail::WakeSlot<std::optional<T>>>();
        {
            std::lock_guard lock(state->mutex);
            if (auto item = state->takeLocked())
                co_return std::move(item);
            if (state->closed || timeout <= std::chrono::milliseconds(0))
                co_return std::nullopt;
            state->consumers.push_back(consumer);
        }
        const auto abandon = [state, consumer] { state->abandon(consumer); };
        const detail::WaitGuard guard(timeout, abandon, stop, abandon);
        co_return co_await consumer->wait();
    }

    // Never waits.
    std::optional<T> tryPop()
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->takeLocked();
    }

    // Wakes every waiter: producers with false, consumers with nullopt. Later pushes fail;
    // pops drain what is left, then return nullopt.
    void close() { m_state->close(); }

    bool isClosed() const
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->closed;
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->items.size();
    }
    std::size_t capacity() const { return m_state->capacity; }

private:
    std::shared_ptr<detail::BoundedQueueState<T>> m_state;
};

} // namespace perflab::async
