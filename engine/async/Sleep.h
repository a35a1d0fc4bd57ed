// A coroutine pause on the current thread's event loop that a stop request cuts short.
#pragma once

#include <QCoro/QCoroTask>

#include <chrono>
#include <stop_token>

namespace perflab::async {

// Resumes on the calling thread after `duration` (<= 0 still yields one event loop pass,
// as asyncio.sleep(0) does). If stop is requested first — from any thread — it ends at
// once by throwing Cancelled, still on the calling thread.
QCoro::Task<> sleep(std::chrono::milliseconds duration, std::stop_token stop = {});

} // namespace perflab::async
