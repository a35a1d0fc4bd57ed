// Per-thread executors for resuming coroutines at home: see ThreadExecutor.h.
#include "engine/async/ThreadExecutor.h"

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QThread>

namespace perflab::async::detail {

namespace {

// A plain posted event per resumption (no slot object, no connection); Qt deletes it unrun
// if the receiver goes away with the thread.
QEvent::Type jobEventType()
{
    static const auto type = static_cast<QEvent::Type>(QEvent::registerEventType());
    return type;
}

class JobEvent final : public QEvent
{
public:
    explicit JobEvent(std::function<void()> job) : QEvent(jobEventType()), m_job(std::move(job)) {}
    void run() { m_job(); }

private:
    std::function<void()> m_job;
};

class JobReceiver final : public QObject
{
public:
    bool event(QEvent *event) override
    {
        if (event->type() != jobEventType())
            return QObject::event(event);
        static_cast<JobEvent *>(event)->run();
        return true;
    }
};

} // namespace

// Owns the calling thread's executor; its destructor runs at thread exit, which is exactly
// when posting to that thread must start failing.
struct ThreadExecutorHolder
{
    std::shared_ptr<ThreadExecutor> executor{new ThreadExecutor()};
    ~ThreadExecutorHolder() { executor->detach(); }
};

ThreadExecutor::ThreadExecutor() : m_receiver(new JobReceiver()) {}

ThreadExecutor::~ThreadExecutor() = default;

std::shared_ptr<ThreadExecutor> ThreadExecutor::current()
{
    thread_local ThreadExecutorHolder holder;
    return holder.executor;
}

bool ThreadExecutor::post(std::function<void()> job)
{
    std::lock_guard lock(m_mutex);
    if (!m_receiver)
        return false;
    QCoreApplication::postEvent(m_receiver, new JobEvent(std::move(job)));
    return true;
}

bool ThreadExecutor::isCurrent() const
{
    std::lock_guard lock(m_mutex);
    return m_receiver && m_receiver->thread() == QThread::currentThread();
}

void ThreadExecutor::detach()
{
    QObject *receiver = nullptr;
    {
        std::lock_guard lock(m_mutex);
        receiver = std::exchange(m_receiver, nullptr);
    }
    // On the owning thread, after the lock: deleting drops any jobs still queued for it.
    delete receiver;
}

} // namespace perflab::async::detail
