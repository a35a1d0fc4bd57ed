// Deadline and stop request around one suspension: see WaitGuard.h.
#include "engine/async/WaitGuard.h"

#include "engine/async/Cancellation.h"

#include <QTimer>

#include <algorithm>
#include <limits>

namespace perflab::async::detail {

WaitGuard::WaitGuard(std::chrono::milliseconds timeout, std::function<void()> onTimeout,
                     const std::stop_token &stop, std::function<void()> onStop)
{
    // QTimer counts in int milliseconds (~24.8 days); anything longer is "no deadline".
    if (timeout != forever && timeout.count() < std::numeric_limits<int>::max()) {
        m_timer = std::make_unique<QTimer>();
        m_timer->setSingleShot(true);
        QObject::connect(m_timer.get(), &QTimer::timeout, std::move(onTimeout));
        m_timer->start(std::max<std::chrono::milliseconds>(timeout, std::chrono::milliseconds(0)));
    }
    if (stop.stop_possible())
        m_stopCallback = std::make_unique<std::stop_callback<std::function<void()>>>(stop, std::move(onStop));
}

// Stop callback first: its destructor may block until a concurrent callback returns.
WaitGuard::~WaitGuard()
{
    m_stopCallback.reset();
    m_timer.reset();
}

} // namespace perflab::async::detail
