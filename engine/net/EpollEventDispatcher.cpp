// See EpollEventDispatcher.h for why this exists.
#include "engine/net/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perflab::net {

namespace {
constexpr int kMaxEventsPerWait = 256;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epollFd < 0 || m_wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create epoll/eventfd: %s", std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &ev);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

EpollEventDispatcher *EpollEventDispatcher::forCurrentThread()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

EpollEventDispatcher::FdNotifiers &EpollEventDispatcher::entryFor(int fd)
{
    if (size_t(fd) >= m_fds.size())
        m_fds.resize(std::max(size_t(fd) + 1, m_fds.size() * 2));
    return m_fds[size_t(fd)];
}

void EpollEventDispatcher::updateEpoll(int fd, FdNotifiers &entry, uint32_t wanted)
{
    if (wanted == entry.registeredEvents)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.fd = fd;
    int op = entry.registeredEvents == 0 ? EPOLL_CTL_ADD : (wanted == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD);
    if (epoll_ctl(m_epollFd, op, fd, &ev) != 0) {
        // The fd may have been closed before it was unwatched; the kernel has then already
        // dropped it from the interest set, which is what we wanted anyway.
        if (!(op == EPOLL_CTL_DEL && (errno == EBADF || errno == ENOENT)))
            qWarning("EpollEventDispatcher: epoll_ctl(fd %d) failed: %s", fd, std::strerror(errno));
    }
    entry.registeredEvents = wanted;
}

static uint32_t notifierInterest(const QSocketNotifier *read, const QSocketNotifier *write,
                                 const QSocketNotifier *exception)
{
    uint32_t wanted = 0;
    if (read)
        wanted |= EPOLLIN | EPOLLRDHUP;
    if (write)
        wanted |= EPOLLOUT;
    if (exception)
        wanted |= EPOLLPRI;
    return wanted;
}

void EpollEventDispatcher::watchFd(int fd, FdHandler *handler, bool read, bool write)
{
    FdNotifiers &entry = entryFor(fd);
    entry.handler = (read || write) ? handler : nullptr;
    uint32_t wanted = 0;
    if (read)
        wanted |= EPOLLIN | EPOLLRDHUP;
    if (write)
        wanted |= EPOLLOUT;
    updateEpoll(fd, entry, wanted);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    FdNotifiers &entry = entryFor(fd);
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        entry.read = notifier;
        break;
    case QSocketNotifier::Write:
        entry.write = notifier;
        break;
    case QSocketNotifier::Exception:
        entry.exception = notifier;
        break;
    }
    updateEpoll(fd, entry, notifierInterest(entry.read, entry.write, entry.exception));
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || size_t(fd) >= m_fds.size())
        return;
    FdNotifiers &entry = m_fds[size_t(fd)];
    if (entry.read == notifier)
        entry.read = nullptr;
    else if (entry.write == notifier)
        entry.write = nullptr;
    else if (entry.exception == notifier)
        entry.exception = nullptr;
    updateEpoll(fd, entry, notifierInterest(entry.read, entry.write, entry.exception));
}

void EpollEventDispatcher::scheduleTimer(int timerId, Timer &timer)
{
    timer.generation = m_nextGeneration++;
    m_timerHeap.push({timer.deadline, timerId, timer.generation});
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer &timer = m_timers[timerId];
    timer.object = object;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.deadline = Clock::now() + std::chrono::milliseconds(interval);
    timer.firing = false;
    scheduleTimer(timerId, timer);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    // The heap entry stays and is skipped when it surfaces (its generation no longer matches).
    return m_timers.erase(timerId) > 0;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            list.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(it->second.deadline - Clock::now());
    return int(std::max<qint64>(0, left.count()));
}

int EpollEventDispatcher::msUntilNextTimer()
{
    while (!m_timerHeap.empty()) {
        const HeapEntry &top = m_timerHeap.top();
        auto it = m_timers.find(top.timerId);
        if (it == m_timers.end() || it->second.generation != top.generation) {
            m_timerHeap.pop(); // stale
            continue;
        }
        auto left = top.deadline - Clock::now();
        if (left <= Clock::duration::zero())
            return 0;
        // Round up: waking a little late is fine, waking early only spins.
        auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
        return int(std::min<qint64>(ms, 24 * 3600 * 1000));
    }
    return -1;
}

bool EpollEventDispatcher::fireExpiredTimers()
{
    if (m_timerHeap.empty())
        return false;
    const auto now = Clock::now();
    // Collect first: a timer re-armed by its own handler must not fire twice in one pass.
    std::vector<HeapEntry> due;
    while (!m_timerHeap.empty() && m_timerHeap.top().deadline <= now) {
        due.push_back(m_timerHeap.top());
        m_timerHeap.pop();
    }
    bool fired = false;
    for (const HeapEntry &entry : due) {
        auto it = m_timers.find(entry.timerId);
        if (it == m_timers.end() || it->second.generation != entry.generation)
            continue;
        Timer &timer = it->second;
        if (timer.firing) {
            // Its handler is running further up the stack (it re-entered the loop): try later.
            scheduleTimer(entry.timerId, timer);
            continue;
        }
        timer.deadline += std::chrono::milliseconds(timer.intervalMs);
        if (timer.deadline < now)
            timer.deadline = now + std::chrono::milliseconds(timer.intervalMs);
        scheduleTimer(entry.timerId, timer);
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(entry.timerId);
        QCoreApplication::sendEvent(object, &event);
        fired = true;
        // The handler may have killed the timer (or deleted the object): look it up again.
        auto after = m_timers.find(entry.timerId);
        if (after != m_timers.end())
            after->second.firing = false;
    }
    return fired;
}

void EpollEventDispatcher::dispatchFdEvent(int fd, uint32_t events)
{
    if (size_t(fd) >= m_fds.size())
        return;
    if (FdHandler *handler = m_fds[size_t(fd)].handler) {
        handler->onFdReady(events);
        return;
    }
    // Index again before each notifier type: an earlier handler in this batch may have
    // unregistered notifiers of this fd (or grown the vector).
    QEvent activate(QEvent::SockAct);
    const bool hangup = events & (EPOLLERR | EPOLLHUP);
    if ((events & (EPOLLIN | EPOLLRDHUP)) || hangup) {
        if (QSocketNotifier *n = m_fds[size_t(fd)].read)
            QCoreApplication::sendEvent(n, &activate);
    }
    if ((events & EPOLLOUT) || hangup) {
        if (QSocketNotifier *n = m_fds[size_t(fd)].write)
            QCoreApplication::sendEvent(n, &activate);
    }
    if (events & EPOLLPRI) {
        if (QSocketNotifier *n = m_fds[size_t(fd)].exception)
            QCoreApplication::sendEvent(n, &activate);
    }
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool wait =
        (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load(std::memory_order_relaxed);
    int timeoutMs = 0;
    if (wait) {
        timeoutMs = msUntilNextTimer();
        if (timeoutMs != 0)
            Q_EMIT aboutToBlock();
    }

    epoll_event events[kMaxEventsPerWait];
    int n = epoll_wait(m_epollFd, events, kMaxEventsPerWait, timeoutMs);
    if (n < 0 && errno != EINTR)
        qWarning("EpollEventDispatcher: epoll_wait failed: %s", std::strerror(errno));
    if (wait && timeoutMs != 0)
        Q_EMIT awake();

    bool handled = false;
    const bool withNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd) {
            uint64_t counter;
            [[maybe_unused]] auto r = ::read(m_wakeFd, &counter, sizeof counter);
            continue;
        }
        if (withNotifiers) {
            dispatchFdEvent(fd, events[i].events);
            handled = true;
        }
    }
    if (!(flags & QEventLoop::X11ExcludeTimers))
        handled |= fireExpiredTimers();
    // Deliver what the handlers above posted (queued signals, coroutine resumptions) now
    // rather than after another trip through epoll_wait.
    QCoreApplication::sendPostedEvents();
    return handled || n > 0;
}

void EpollEventDispatcher::wakeUp()
{
    const uint64_t one = 1;
    [[maybe_unused]] auto r = ::write(m_wakeFd, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace perflab::net
