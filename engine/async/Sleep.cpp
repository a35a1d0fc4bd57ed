// Cancellable coroutine sleep: see Sleep.h.
#include "async/Sleep.h"

#include "async/Cancellation.h"
#include "async/WaitGuard.h"
#include "async/WakeSlot.h"

namespace perflab::async {

QCoro::Task<> sleep(std::chrono::milliseconds duration, std::stop_token stop)
{
    throwIfStopRequested(stop);
    auto elapsed = std::make_shared<detail::WakeSlot<bool>>();
    const detail::WaitGuard guard(
        duration, [elapsed] { elapsed->wake(true); }, stop, [elapsed] { elapsed->wake(false); });
    if (!co_await elapsed->wait())
        throw Cancelled();
}

} // namespace perflab::async
