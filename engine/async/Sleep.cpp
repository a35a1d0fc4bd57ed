// Cancellable coroutine sleep: see Sleep.h.
#include "engine/async/Sleep.h"

#include "engine/async/Cancellation.h"
#include "engine/async/WaitGuard.h"
#include "engine/async/WakeSlot.h"

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
