// See GeneratorProbe.h.
#include "engine/load/GeneratorProbe.h"

#include "engine/load/MonotonicClock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace perflab::load {

namespace {

// "cpu_ns run_wait_ns timeslices\n"; false when the kernel has no such file for the thread.
bool readSchedstat(pid_t tid, ClientThreadTime &out)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", int(tid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char text[128];
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0)
        return false;
    text[n] = '\0';
    long long cpu = 0, wait = 0;
    if (std::sscanf(text, "%lld %lld", &cpu, &wait) != 2)
        return false;
    out.cpuNs = cpu;
    out.runWaitNs = wait;
    return true;
}

bool readCpuClock(pthread_t thread, ClientThreadTime &out)
{
    clockid_t clock{};
    timespec ts{};
    if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &ts) != 0)
        return false;
    out.cpuNs = std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    out.runWaitNs = 0;
    return true;
}

ClientThreadTime minus(const ClientThreadTime &a, const ClientThreadTime &b)
{
    return {a.cpuNs - b.cpuNs, a.runWaitNs - b.runWaitNs};
}

LoadModel closedModel()
{
    LoadModel model;
    model.kind = LoadModelKind::Closed;
    return model;
}

} // namespace

void GeneratorProbe::start(const LoadModel &model, std::int64_t atNs)
{
    const std::scoped_lock lock(m_mutex);
    m_schedule.setModel(model, atNs);
    m_running = true;
    m_startNs = atNs;
    for (Thread &thread : m_threads) {
        thread.before.cpuNs += thread.last.cpuNs;
        thread.before.runWaitNs += thread.last.runWaitNs;
        thread.last = {};
        thread.live = false;
    }
}

void GeneratorProbe::setModel(const LoadModel &model, std::int64_t atNs)
{
    const std::scoped_lock lock(m_mutex);
    if (m_running)
        m_schedule.setModel(model, atNs);
}

void GeneratorProbe::stop(std::int64_t atNs)
{
    const std::scoped_lock lock(m_mutex);
    if (!m_running)
        return;
    refreshLocked();
    m_running = false;
    m_stoppedAtNs = atNs;
    m_elapsedBeforeNs += atNs - m_startNs;
    // Nothing is asked while the engine is stopped (a later start() sets a model again).
    m_schedule.setModel(closedModel(), atNs);
    for (Thread &thread : m_threads)
        thread.live = false;
}

void GeneratorProbe::registerThread(int index)
{
    Thread registered;
    registered.tid = pid_t(::gettid());
    registered.handle = pthread_self();
    registered.live = true;
    const bool schedstat = readSchedstat(registered.tid, registered.atRegistration);
    if (!schedstat)
        readCpuClock(registered.handle, registered.atRegistration);
    const std::scoped_lock lock(m_mutex);
    if (index >= int(m_threads.size()))
        m_threads.resize(std::size_t(index) + 1);
    Thread &thread = m_threads[std::size_t(index)];
    registered.before = thread.before;
    thread = registered;
    if (!schedstat)
        m_runWaitKnown = false;
}

void GeneratorProbe::refreshLocked()
{
    for (Thread &thread : m_threads) {
        if (!thread.live)
            continue;
        ClientThreadTime now;
        if (m_runWaitKnown && readSchedstat(thread.tid, now)) {
            thread.last = minus(now, thread.atRegistration);
        } else if (readCpuClock(thread.handle, now)) {
            m_runWaitKnown = false;
            thread.last = {now.cpuNs - thread.atRegistration.cpuNs, 0};
        } else {
            m_cpuKnown = false;
        }
    }
}

GeneratorProbe::Reading GeneratorProbe::read()
{
    const std::scoped_lock lock(m_mutex);
    const std::int64_t now = m_running ? monotonicNowNs() : m_stoppedAtNs;
    if (m_running)
        refreshLocked();
    Reading reading;
    reading.elapsedNs = m_elapsedBeforeNs + (m_running ? now - m_startNs : 0);
    reading.asked = m_schedule.isEmpty() ? 0.0 : m_schedule.countBefore(now);
    for (const Thread &thread : m_threads)
        reading.threads.push_back(
            {thread.before.cpuNs + thread.last.cpuNs, thread.before.runWaitNs + thread.last.runWaitNs});
    reading.cpuKnown = m_cpuKnown && !m_threads.empty();
    reading.runWaitKnown = reading.cpuKnown && m_runWaitKnown;
    return reading;
}

void GeneratorProbe::readInto(GeneratorStats &stats)
{
    Reading reading = read();
    stats.elapsedNs = reading.elapsedNs;
    stats.asked = reading.asked;
    stats.threads = std::move(reading.threads);
    stats.cpuKnown = reading.cpuKnown;
    stats.runWaitKnown = reading.runWaitKnown;
}

} // namespace perflab::load
