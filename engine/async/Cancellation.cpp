// Cancellation vocabulary: see Cancellation.h.
#include "engine/async/Cancellation.h"

namespace perflab::async {

const char *Cancelled::what() const noexcept
{
    return "operation cancelled";
}

void throwIfStopRequested(const std::stop_token &stop)
{
    if (stop.stop_requested())
        throw Cancelled();
}

} // namespace perflab::async
