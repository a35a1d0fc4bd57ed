// A handle to one thread's Qt event loop, used to resume a suspended coroutine on the thread
// that owns it, whichever thread decided to wake it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

class QObject;

namespace perflab::async::detail {

// Coroutines in Perflab are thread-affine: a socket, its timers and the coroutines that use
// them live on one thread. A release(), a push() or a stop request can happen
// on any thread, so the waker never resumes the coroutine itself; it posts the resumption
// to the executor recorded when the coroutine suspended.
//
// Executors are created on demand, one per thread, and shared through std::shared_ptr so
// that a waker holding one can never touch a dead QObject: when the thread exits, its
// receiver is detached and later posts are refused (the coroutine is then leaked, not
// resumed on the wrong thread — a thread must not end with coroutines waiting on it).
class ThreadExecutor
{
public:
    ~ThreadExecutor();
    ThreadExecutor(const ThreadExecutor &) = delete;
    ThreadExecutor &operator=(const ThreadExecutor &) = delete;

    // The executor of the calling thread. That thread needs a running event loop for
    // posted jobs to run.
    static std::shared_ptr<ThreadExecutor> current();

    // Thread-safe. Runs job later on the executor's thread, never inline, so a waker that
    // holds a lock cannot re-enter the woken coroutine. Returns false (and drops the job)
    // when the thread has already exited.
    bool post(std::function<void()> job);

    // True when called on the executor's own thread.
    bool isCurrent() const;

private:
    ThreadExecutor();
    void detach();

    friend struct ThreadExecutorHolder;

    mutable std::mutex m_mutex;
    QObject *m_receiver = nullptr; // lives on the executor's thread; null once it exited
};

} // namespace perflab::async::detail
