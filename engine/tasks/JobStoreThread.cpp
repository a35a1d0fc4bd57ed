// See JobStoreThread.h.
#include "engine/tasks/JobStoreThread.h"

namespace perflab::tasks {

JobStoreThread::JobStoreThread()
{
    m_thread.setMaxThreadCount(1);
    m_thread.setExpiryTimeout(-1); // the connection lives on this thread: keep it
    m_thread.setObjectName(QStringLiteral("perflab-job-store"));
}

JobStoreThread::~JobStoreThread()
{
    close();
    m_thread.waitForDone();
}

std::optional<QString> JobStoreThread::open(const QString &filePath)
{
    std::packaged_task<std::optional<QString>()> task([this, &filePath]() -> std::optional<QString> {
        try {
            m_store = std::make_unique<JobStore>(filePath);
            return std::nullopt;
        } catch (const JobStoreError &error) {
            return QString::fromStdString(error.what());
        }
    });
    auto result = task.get_future();
    m_thread.start([&task] { task(); });
    return result.get();
}

void JobStoreThread::close()
{
    std::packaged_task<void()> task([this] { m_store.reset(); });
    auto done = task.get_future();
    m_thread.start([&task] { task(); });
    done.get();
}

JobStore &JobStoreThread::openStore()
{
    if (!m_store)
        throw JobStoreError("the job store is closed");
    return *m_store;
}

} // namespace perflab::tasks
