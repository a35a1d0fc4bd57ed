// The guide's simulated I/O (asyncio.sleep(0.5) "as a database query"), scaled by the live
// setting simulation.io_scale so that scenarios can run the same shapes faster. It lives with
// the async primitives, below the lab routes and the task handlers, so both can await it.
#pragma once

#include "engine/async/Sleep.h"
#include "engine/settings/SettingsStore.h"

#include <chrono>
#include <cmath>

namespace perflab::async {

// guideSeconds x simulation.io_scale, as a duration (microsecond resolution).
inline std::chrono::microseconds scaledDelay(const settings::SettingsStore &settings, double guideSeconds)
{
    return std::chrono::microseconds(std::llround(guideSeconds * settings.view().simulation.ioScale * 1e6));
}

// Awaits the scaled delay; ends early with async::Cancelled when `stop` is requested.
inline QCoro::Task<> simulatedIo(const settings::SettingsStore &settings, double guideSeconds,
                                 std::stop_token stop = {})
{
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(scaledDelay(settings, guideSeconds));
    co_await async::sleep(delay, std::move(stop));
}

} // namespace perflab::async
