// The process-wide pool behind runBlocking(): see RunBlocking.h.
#include "engine/async/RunBlocking.h"

namespace perflab::async {

namespace {

class BlockingPool final : public QThreadPool
{
public:
    BlockingPool()
    {
        setMaxThreadCount(40);
        setObjectName(QStringLiteral("perflab-blocking"));
    }
};

} // namespace

QThreadPool &blockingPool()
{
    // Created on first use; at exit its destructor waits for the jobs still running.
    static BlockingPool pool;
    return pool;
}

} // namespace perflab::async
