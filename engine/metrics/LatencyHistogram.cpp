// LatencyHistogram: storage, merging and statistics. The percentile spectrum (.hgrm) printer
// is in PercentileSpectrum.cpp.
#include "engine/metrics/LatencyHistogram.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>
#include <utility>

#if defined(__unix__)
#include <sys/mman.h>
#endif

namespace perflab::metrics {

namespace {

constexpr std::size_t kCountsBytes = sizeof(std::uint64_t) * LatencyHistogram::kCountsLength;

// An anonymous mapping is zero-filled page by page on first touch, so a histogram costs
// memory only for the value range it has seen. (calloc() would do the same only while glibc
// happens to serve the request with mmap, which its dynamic threshold does not promise.)
std::uint64_t *allocateCounts()
{
#if defined(__unix__)
    void *memory = ::mmap(nullptr, kCountsBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        throw std::bad_alloc();
    return static_cast<std::uint64_t *>(memory);
#else
    void *memory = std::calloc(LatencyHistogram::kCountsLength, sizeof(std::uint64_t));
    if (!memory)
        throw std::bad_alloc();
    return static_cast<std::uint64_t *>(memory);
#endif
}

void freeCounts(std::uint64_t *counts) noexcept
{
    if (!counts)
        return;
#if defined(__unix__)
    ::munmap(counts, kCountsBytes);
#else
    std::free(counts);
#endif
}

template <typename T> void relaxedStore(std::atomic<T> &target, T value)
{
    target.store(value, std::memory_order_relaxed);
}

template <typename T> T relaxedLoad(const std::atomic<T> &source)
{
    return source.load(std::memory_order_relaxed);
}

} // namespace

LatencyHistogram::LatencyHistogram() : m_counts(allocateCounts()) {}

LatencyHistogram::~LatencyHistogram()
{
    freeCounts(m_counts);
}

LatencyHistogram::LatencyHistogram(const LatencyHistogram &other) : LatencyHistogram()
{
    copyFrom(other);
}

LatencyHistogram &LatencyHistogram::operator=(const LatencyHistogram &other)
{
    if (!m_counts)
        m_counts = allocateCounts();
    copyFrom(other);
    return *this;
}

// A moved-from histogram is empty and has no storage: it may only be destroyed or assigned to.
LatencyHistogram::LatencyHistogram(LatencyHistogram &&other) noexcept
    : m_counts(std::exchange(other.m_counts, nullptr)), m_totalCount(relaxedLoad(other.m_totalCount)),
      m_sum(relaxedLoad(other.m_sum)), m_min(relaxedLoad(other.m_min)), m_max(relaxedLoad(other.m_max)),
      m_minIndex(relaxedLoad(other.m_minIndex)), m_maxIndex(relaxedLoad(other.m_maxIndex))
{
    relaxedStore(other.m_minIndex, kEmptyMinIndex);
    relaxedStore(other.m_maxIndex, kEmptyMaxIndex);
    relaxedStore(other.m_min, kEmptyMin);
    relaxedStore(other.m_max, std::int64_t{0});
    relaxedStore(other.m_sum, std::uint64_t{0});
    relaxedStore(other.m_totalCount, std::uint64_t{0});
}

LatencyHistogram &LatencyHistogram::operator=(LatencyHistogram &&other) noexcept
{
    swap(*this, other);
    return *this;
}

void swap(LatencyHistogram &a, LatencyHistogram &b) noexcept
{
    std::swap(a.m_counts, b.m_counts);
    const auto swapAtomic = [](auto &x, auto &y) {
        const auto held = relaxedLoad(x);
        relaxedStore(x, relaxedLoad(y));
        relaxedStore(y, held);
    };
    swapAtomic(a.m_totalCount, b.m_totalCount);
    swapAtomic(a.m_sum, b.m_sum);
    swapAtomic(a.m_min, b.m_min);
    swapAtomic(a.m_max, b.m_max);
    swapAtomic(a.m_minIndex, b.m_minIndex);
    swapAtomic(a.m_maxIndex, b.m_maxIndex);
}

void LatencyHistogram::recordCorrected(std::int64_t us, std::int64_t expectedIntervalUs,
                                       std::uint64_t n) noexcept
{
    const std::int64_t value = clampValue(us);
    record(value, n);
    if (expectedIntervalUs <= 0 || value <= expectedIntervalUs)
        return;
    // hdr_record_corrected_values() records value - k * interval for k = 1, 2, ... while the
    // result is >= interval. All of the terms that fall into one bucket are recorded at once.
    std::int64_t missing = value - expectedIntervalUs;
    while (missing >= expectedIntervalUs) {
        const std::int64_t bucketFloor = std::max(lowestEquivalentValue(missing), expectedIntervalUs);
        const std::int64_t terms = (missing - bucketFloor) / expectedIntervalUs + 1;
        const std::int64_t smallest = missing - (terms - 1) * expectedIntervalUs;
        // missing + (missing - e) + ... + smallest
        const auto termSum =
            static_cast<std::uint64_t>(terms) * static_cast<std::uint64_t>(missing + smallest) / 2;
        recordRun(countsIndexFor(missing), static_cast<std::uint64_t>(terms) * n, termSum * n, smallest,
                  missing);
        missing = smallest - expectedIntervalUs;
    }
}

void LatencyHistogram::recordBucket(int index, std::uint64_t n) noexcept
{
    if (n == 0)
        return;
    const std::int64_t value = valueAtIndex(index);
    const auto median = static_cast<std::uint64_t>(medianEquivalentValue(value));
    std::uint64_t valueSum = 0;
    if (__builtin_mul_overflow(median, n, &valueSum))
        valueSum = UINT64_MAX;
    valueSum = std::min(valueSum, UINT64_MAX - relaxedLoad(m_sum));
    recordRun(index, n, valueSum, lowestEquivalentValue(value), highestEquivalentValue(value));
}

void LatencyHistogram::clearCounts() noexcept
{
    const int first = relaxedLoad(m_minIndex);
    const int last = relaxedLoad(m_maxIndex);
    for (int i = first; i <= last; ++i)
        storeCount(i, 0);
}

void LatencyHistogram::reset() noexcept
{
    clearCounts();
    relaxedStore(m_minIndex, kEmptyMinIndex);
    relaxedStore(m_maxIndex, kEmptyMaxIndex);
    relaxedStore(m_min, kEmptyMin);
    relaxedStore(m_max, std::int64_t{0});
    relaxedStore(m_sum, std::uint64_t{0});
    m_totalCount.store(0, std::memory_order_release);
}

void LatencyHistogram::copyFrom(const LatencyHistogram &other) noexcept
{
    if (&other == this)
        return;
    // Acquire the total first: every count behind it is then visible to the loads below.
    (void)other.totalCount();
    const int first = other.firstIndex();
    const int last = other.lastIndex();
    const int oldFirst = firstIndex();
    const int oldLast = lastIndex();
    // Zero only what the old contents used outside the range about to be overwritten.
    for (int i = oldFirst; i <= oldLast && i < first; ++i)
        storeCount(i, 0);
    for (int i = std::max(oldFirst, last + 1); i <= oldLast; ++i)
        storeCount(i, 0);
    std::uint64_t total = 0;
    for (int i = first; i <= last; ++i) {
        const std::uint64_t count = other.loadCount(i);
        storeCount(i, count);
        total += count;
    }
    relaxedStore(m_minIndex, first);
    relaxedStore(m_maxIndex, last);
    relaxedStore(m_min, relaxedLoad(other.m_min));
    relaxedStore(m_max, relaxedLoad(other.m_max));
    relaxedStore(m_sum, relaxedLoad(other.m_sum));
    m_totalCount.store(total, std::memory_order_release);
}

void LatencyHistogram::add(const LatencyHistogram &other) noexcept
{
    if (&other == this) {
        const LatencyHistogram copy(other);
        add(copy);
        return;
    }
    if (other.totalCount() == 0)
        return;
    const int first = other.firstIndex();
    const int last = other.lastIndex();
    std::uint64_t added = 0;
    for (int i = first; i <= last; ++i) {
        const std::uint64_t count = other.loadCount(i);
        if (count != 0) {
            storeCount(i, loadCount(i) + count);
            added += count;
        }
    }
    if (first < relaxedLoad(m_minIndex))
        relaxedStore(m_minIndex, first);
    if (last > relaxedLoad(m_maxIndex))
        relaxedStore(m_maxIndex, last);
    relaxedStore(m_min, std::min(relaxedLoad(m_min), relaxedLoad(other.m_min)));
    relaxedStore(m_max, std::max(relaxedLoad(m_max), relaxedLoad(other.m_max)));
    relaxedStore(m_sum, relaxedLoad(m_sum) + relaxedLoad(other.m_sum));
    m_totalCount.store(relaxedLoad(m_totalCount) + added, std::memory_order_release);
}

void LatencyHistogram::subtract(const LatencyHistogram &earlier) noexcept
{
    if (&earlier == this) {
        reset();
        return;
    }
    if (earlier.totalCount() == 0 && earlier.sumUs() == 0)
        return; // keep the exact min and max
    const int first = std::max(earlier.firstIndex(), firstIndex());
    const int last = std::min(earlier.lastIndex(), lastIndex());
    for (int i = first; i <= last; ++i) {
        const std::uint64_t previous = earlier.loadCount(i);
        if (previous != 0) {
            const std::uint64_t current = loadCount(i);
            storeCount(i, current > previous ? current - previous : 0);
        }
    }
    const std::uint64_t sum = relaxedLoad(m_sum);
    const std::uint64_t earlierSum = relaxedLoad(earlier.m_sum);
    relaxedStore(m_sum, sum > earlierSum ? sum - earlierSum : 0);
    recomputeBoundsFromCounts();
}

void LatencyHistogram::recomputeBoundsFromCounts() noexcept
{
    int first = kEmptyMinIndex;
    int last = kEmptyMaxIndex;
    std::uint64_t total = 0;
    for (int i = firstIndex(), end = lastIndex(); i <= end; ++i) {
        const std::uint64_t count = loadCount(i);
        if (count != 0) {
            first = std::min(first, i);
            last = i;
            total += count;
        }
    }
    relaxedStore(m_minIndex, first);
    relaxedStore(m_maxIndex, last);
    if (total == 0) {
        relaxedStore(m_min, kEmptyMin);
        relaxedStore(m_max, std::int64_t{0});
        relaxedStore(m_sum, std::uint64_t{0});
    } else {
        relaxedStore(m_min, lowestEquivalentValue(valueAtIndex(first)));
        relaxedStore(m_max, highestEquivalentValue(valueAtIndex(last)));
    }
    m_totalCount.store(total, std::memory_order_release);
}

void LatencyHistogram::delta(const LatencyHistogram &later, const LatencyHistogram &earlier,
                             LatencyHistogram &out) noexcept
{
    out.copyFrom(later);
    out.subtract(earlier);
}

LatencyHistogram LatencyHistogram::delta(const LatencyHistogram &later, const LatencyHistogram &earlier)
{
    LatencyHistogram out(later);
    out.subtract(earlier);
    return out;
}

std::int64_t LatencyHistogram::min() const noexcept
{
    return isEmpty() ? 0 : relaxedLoad(m_min);
}

std::int64_t LatencyHistogram::max() const noexcept
{
    return isEmpty() ? 0 : relaxedLoad(m_max);
}

double LatencyHistogram::mean() const noexcept
{
    const std::uint64_t total = totalCount();
    return total == 0 ? 0.0 : static_cast<double>(sumUs()) / static_cast<double>(total);
}

double LatencyHistogram::hdrMean() const noexcept
{
    double weighted = 0;
    std::uint64_t total = 0;
    for (int i = firstIndex(), end = lastIndex(); i <= end; ++i) {
        const std::uint64_t count = loadCount(i);
        if (count != 0) {
            total += count;
            weighted +=
                static_cast<double>(count) * static_cast<double>(medianEquivalentValue(valueAtIndex(i)));
        }
    }
    return total == 0 ? 0.0 : weighted / static_cast<double>(total);
}

double LatencyHistogram::stddev() const noexcept
{
    const double bucketMean = hdrMean();
    double squares = 0;
    std::uint64_t total = 0;
    for (int i = firstIndex(), end = lastIndex(); i <= end; ++i) {
        const std::uint64_t count = loadCount(i);
        if (count != 0) {
            const double deviation = static_cast<double>(medianEquivalentValue(valueAtIndex(i))) - bucketMean;
            squares += deviation * deviation * static_cast<double>(count);
            total += count;
        }
    }
    return total == 0 ? 0.0 : std::sqrt(squares / static_cast<double>(total));
}

std::int64_t LatencyHistogram::valueAtPercentile(double percentile) const noexcept
{
    const int first = firstIndex();
    const int last = lastIndex();
    std::uint64_t total = 0;
    for (int i = first; i <= last; ++i)
        total += loadCount(i);
    if (total == 0)
        return 0;
    const double requested = std::clamp(percentile, 0.0, 100.0);
    auto rank = static_cast<std::uint64_t>(requested / 100 * static_cast<double>(total) + 0.5);
    rank = std::max<std::uint64_t>(rank, 1);
    std::uint64_t cumulative = 0;
    int index = last;
    for (int i = first; i <= last; ++i) {
        cumulative += loadCount(i);
        if (cumulative >= rank) {
            index = i;
            break;
        }
    }
    const std::int64_t value = valueAtIndex(index);
    return percentile <= 0.0 ? lowestEquivalentValue(value) : highestEquivalentValue(value);
}

std::uint64_t LatencyHistogram::countAtOrBelow(std::int64_t us) const noexcept
{
    if (us < 0)
        return 0;
    const int upTo = std::min(countsIndexFor(clampValue(us)), lastIndex());
    std::uint64_t count = 0;
    for (int i = firstIndex(); i <= upTo; ++i)
        count += loadCount(i);
    return count;
}

std::uint64_t LatencyHistogram::countAtIndex(int index) const noexcept
{
    return index >= 0 && index < kCountsLength ? loadCount(index) : 0;
}

bool LatencyHistogram::operator==(const LatencyHistogram &other) const noexcept
{
    if (totalCount() != other.totalCount() || sumUs() != other.sumUs() || min() != other.min() ||
        max() != other.max())
        return false;
    const int first = std::min(firstIndex(), other.firstIndex());
    const int last = std::max(lastIndex(), other.lastIndex());
    for (int i = first; i <= last; ++i) {
        if (loadCount(i) != other.loadCount(i))
            return false;
    }
    return true;
}

} // namespace perflab::metrics
