// A second thread with its own event loop, for tests whose coroutines must start and resume on
// it while the test thread runs its own (check-outs, semaphores and queues across threads).
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <memory>

namespace perflab::test {

class WorkerThread
{
public:
    WorkerThread()
    {
        m_thread.start();
        m_context->moveToThread(&m_thread);
    }
    ~WorkerThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    QThread *thread() { return &m_thread; }
    // Runs `function` on the worker's event loop.
    template <typename F> void post(F function)
    {
        QMetaObject::invokeMethod(m_context.get(), std::move(function), Qt::QueuedConnection);
    }

private:
    QThread m_thread;
    std::unique_ptr<QObject> m_context = std::make_unique<QObject>();
};

} // namespace perflab::test
