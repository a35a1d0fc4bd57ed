// LatencyHistogram: HdrHistogram's log-linear latency histogram, in integer microseconds.
//
// Layout (the same as HdrHistogram_c's hdr_init(1, 3'600'000'000, 3)): values 0 .. 1 h,
// 3 significant digits, so any value is represented within 0.1 % (1/1024 relative) by its
// bucket. 22 buckets of 1024 sub-buckets plus the first linear half: 23'552 counters of 8 bytes
// = 184 KiB of address space per histogram. The counters live in an anonymous mapping that the
// kernel zero-fills on first touch, so only the pages of the value range actually recorded
// cost memory: a 4 KiB page holds 512 counters, half an octave of values above 2 ms (samples
// spread over 1 ms .. 1 s touch at most ~80 KiB).
//
// Threading: one writer, many readers. record*() and reset() are called by the one owning
// thread only; they use relaxed load+store on the counts (a plain `mov` on x86: no lock
// prefix), take no lock and never allocate. Any thread may read at any time (relaxed loads);
// a reader racing a writer sees each count either before or after a concurrent record. The
// total count is published last with release order, so a reader that sees a total also sees
// the counts that make it up. Copies, add() and the statistics compute their totals from the
// counts they actually read, so a snapshot is always self-consistent.
//
// Range: values above kHighestTrackableUs (1 h) are clamped to it, negative values to 0 (a
// sample is never dropped, so counts always match request counts).
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>

class QTextStream;

namespace perflab::metrics {

class LatencyHistogram
{
public:
    static constexpr std::int64_t kLowestDiscernibleUs = 1;
    static constexpr std::int64_t kHighestTrackableUs = 3'600'000'000; // 1 hour
    static constexpr int kSignificantDigits = 3;

    // Derived exactly as hdr_calculate_bucket_config() does.
    static constexpr int kSubBucketHalfCountMagnitude = 10; // ceil(log2(2 * 10^3)) - 1
    static constexpr int kUnitMagnitude = 0;                // floor(log2(lowest))
    static constexpr int kSubBucketCount = 1 << (kSubBucketHalfCountMagnitude + 1); // 2048
    static constexpr int kSubBucketHalfCount = kSubBucketCount / 2;                 // 1024
    static constexpr std::int64_t kSubBucketMask = std::int64_t{kSubBucketCount - 1} << kUnitMagnitude;
    static constexpr int kBucketCount = [] {
        std::int64_t smallestUntrackable = std::int64_t{kSubBucketCount} << kUnitMagnitude;
        int buckets = 1;
        while (smallestUntrackable <= kHighestTrackableUs) {
            smallestUntrackable <<= 1;
            ++buckets;
        }
        return buckets;
    }();                                                                           // 22
    static constexpr int kCountsLength = (kBucketCount + 1) * kSubBucketHalfCount; // 23'552

    LatencyHistogram();
    ~LatencyHistogram();
    // Copying takes a snapshot (relaxed reads of the source; only its non-empty index range).
    LatencyHistogram(const LatencyHistogram &other);
    LatencyHistogram &operator=(const LatencyHistogram &other);
    LatencyHistogram(LatencyHistogram &&other) noexcept;
    LatencyHistogram &operator=(LatencyHistogram &&other) noexcept;
    friend void swap(LatencyHistogram &a, LatencyHistogram &b) noexcept;

    // ---- writer side (owning thread only; no lock, no allocation) ----
    void record(std::int64_t us, std::uint64_t n = 1) noexcept
    {
        if (n == 0)
            return;
        const std::int64_t value = clampValue(us);
        recordRun(countsIndexFor(value), n, static_cast<std::uint64_t>(value) * n, value, value);
    }
    // HdrHistogram's coordinated-omission correction (hdr_record_corrected_values): records
    // `us`, and when it exceeds the expected interval also the samples that the stalled
    // sender would have taken meanwhile: us - interval, us - 2 * interval, ... while
    // >= interval. Bucket-batched, so a long stall costs at most one step per bucket.
    void recordCorrected(std::int64_t us, std::int64_t expectedIntervalUs, std::uint64_t n = 1) noexcept;
    // Adds n samples known only by the bucket they fell in (HdrHistogram's encodings carry
    // counts, not values). min() and max() widen to the bucket's lowest and highest equivalent
    // values, as after subtract(); the sum grows by n times the bucket's median equivalent
    // value, so that mean() is HdrHistogram's getMean() for such samples (the sum saturates at
    // 2^64 - 1 instead of wrapping). `index` must be within 0 .. kCountsLength - 1.
    void recordBucket(int index, std::uint64_t n) noexcept;
    void reset() noexcept;

    // ---- merging (this histogram's owner writes; `other` may be live) ----
    void add(const LatencyHistogram &other) noexcept;
    // Removes an earlier cumulative snapshot of the same data: this = this - earlier, count by
    // count (clamped at 0). The result is "what happened in between". Its min() and max()
    // become bucket bounds (lowest / highest equivalent value), sum and mean stay exact.
    void subtract(const LatencyHistogram &earlier) noexcept;
    // out = later - earlier, reusing out's storage (no allocation).
    static void delta(const LatencyHistogram &later, const LatencyHistogram &earlier,
                      LatencyHistogram &out) noexcept;
    static LatencyHistogram delta(const LatencyHistogram &later, const LatencyHistogram &earlier);
    void copyFrom(const LatencyHistogram &other) noexcept; // snapshot into existing storage

    // ---- readers (any thread) ----
    std::uint64_t totalCount() const noexcept { return m_totalCount.load(std::memory_order_acquire); }
    bool isEmpty() const noexcept { return totalCount() == 0; }
    std::int64_t min() const noexcept; // 0 when empty
    std::int64_t max() const noexcept; // 0 when empty
    std::uint64_t sumUs() const noexcept { return m_sum.load(std::memory_order_relaxed); }
    double mean() const noexcept;   // exact: sum / count
    double stddev() const noexcept; // hdr_stddev(): from bucket median values
    // hdr_value_at_percentile(): highest value equivalent to the bucket that holds the sample
    // of rank round(p/100 * count); p <= 0 gives the lowest equivalent of the first bucket.
    std::int64_t valueAtPercentile(double percentile) const noexcept;
    // Samples <= us, at bucket resolution: the whole bucket holding `us` counts (as
    // HdrHistogram's getCountBetweenValues()); exact below 2048 µs.
    std::uint64_t countAtOrBelow(std::int64_t us) const noexcept;
    std::uint64_t countAtIndex(int index) const noexcept;
    // Inclusive range of indexes that may be non-zero (firstIndex() > lastIndex() when empty).
    int firstIndex() const noexcept { return m_minIndex.load(std::memory_order_relaxed); }
    int lastIndex() const noexcept { return m_maxIndex.load(std::memory_order_relaxed); }

    // The wrk2 / HdrHistogram percentile spectrum (.hgrm): exactly what hdr_percentiles_print()
    // writes in CLASSIC format for the same counts. unitScale divides the microsecond values
    // (1000 prints milliseconds, as wrk2 does).
    void percentileSpectrum(QTextStream &out, int ticksPerHalfDistance = 5, double unitScale = 1000.0) const;

    // Same counts, total, sum, min and max.
    bool operator==(const LatencyHistogram &other) const noexcept;

    // ---- HdrHistogram index arithmetic ----
    static constexpr std::int64_t clampValue(std::int64_t us) noexcept
    {
        return us < 0 ? 0 : (us > kHighestTrackableUs ? kHighestTrackableUs : us);
    }
    static constexpr int bucketIndexFor(std::int64_t value) noexcept
    {
        const int pow2Ceiling = 64 - std::countl_zero(static_cast<std::uint64_t>(value | kSubBucketMask));
        return pow2Ceiling - kUnitMagnitude - (kSubBucketHalfCountMagnitude + 1);
    }
    static constexpr int countsIndexFor(std::int64_t value) noexcept
    {
        const int bucket = bucketIndexFor(value);
        const int subBucket = static_cast<int>(value >> (bucket + kUnitMagnitude));
        return ((bucket + 1) << kSubBucketHalfCountMagnitude) + (subBucket - kSubBucketHalfCount);
    }
    static constexpr std::int64_t valueAtIndex(int index) noexcept
    {
        int bucket = (index >> kSubBucketHalfCountMagnitude) - 1;
        int subBucket = (index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
        if (bucket < 0) {
            subBucket -= kSubBucketHalfCount;
            bucket = 0;
        }
        return std::int64_t{subBucket} << (bucket + kUnitMagnitude);
    }
    static constexpr std::int64_t sizeOfEquivalentRange(std::int64_t value) noexcept
    {
        const int bucket = bucketIndexFor(value);
        const int subBucket = static_cast<int>(value >> (bucket + kUnitMagnitude));
        const int adjustedBucket = subBucket >= kSubBucketCount ? bucket + 1 : bucket;
        return std::int64_t{1} << (kUnitMagnitude + adjustedBucket);
    }
    static constexpr std::int64_t lowestEquivalentValue(std::int64_t value) noexcept
    {
        const int bucket = bucketIndexFor(value);
        const int subBucket = static_cast<int>(value >> (bucket + kUnitMagnitude));
        return std::int64_t{subBucket} << (bucket + kUnitMagnitude);
    }
    static constexpr std::int64_t highestEquivalentValue(std::int64_t value) noexcept
    {
        return lowestEquivalentValue(value) + sizeOfEquivalentRange(value) - 1;
    }
    static constexpr std::int64_t medianEquivalentValue(std::int64_t value) noexcept
    {
        return lowestEquivalentValue(value) + (sizeOfEquivalentRange(value) >> 1);
    }

private:
    static constexpr int kEmptyMinIndex = kCountsLength;
    static constexpr int kEmptyMaxIndex = -1;
    static constexpr std::int64_t kEmptyMin = INT64_MAX;

    std::uint64_t loadCount(int index) const noexcept
    {
        return std::atomic_ref<std::uint64_t>(m_counts[index]).load(std::memory_order_relaxed);
    }
    void storeCount(int index, std::uint64_t count) noexcept
    {
        std::atomic_ref<std::uint64_t>(m_counts[index]).store(count, std::memory_order_relaxed);
    }
    // Adds `n` samples to one index; valueSum/minValue/maxValue describe those samples.
    void recordRun(int index, std::uint64_t n, std::uint64_t valueSum, std::int64_t minValue,
                   std::int64_t maxValue) noexcept
    {
        storeCount(index, loadCount(index) + n);
        if (index < m_minIndex.load(std::memory_order_relaxed))
            m_minIndex.store(index, std::memory_order_relaxed);
        if (index > m_maxIndex.load(std::memory_order_relaxed))
            m_maxIndex.store(index, std::memory_order_relaxed);
        if (minValue < m_min.load(std::memory_order_relaxed))
            m_min.store(minValue, std::memory_order_relaxed);
        if (maxValue > m_max.load(std::memory_order_relaxed))
            m_max.store(maxValue, std::memory_order_relaxed);
        m_sum.store(m_sum.load(std::memory_order_relaxed) + valueSum, std::memory_order_relaxed);
        m_totalCount.store(m_totalCount.load(std::memory_order_relaxed) + n, std::memory_order_release);
    }
    void clearCounts() noexcept;
    double hdrMean() const noexcept; // hdr_mean(): from bucket median values
    void recomputeBoundsFromCounts() noexcept;

    // Counts accessed through std::atomic_ref: the same code as std::atomic<uint64_t>, but the
    // array can sit in lazily zero-filled pages (std::atomic's constructor would touch them).
    std::uint64_t *m_counts = nullptr;
    std::atomic<std::uint64_t> m_totalCount{0};
    std::atomic<std::uint64_t> m_sum{0};
    std::atomic<std::int64_t> m_min{kEmptyMin};
    std::atomic<std::int64_t> m_max{0};
    std::atomic<int> m_minIndex{kEmptyMinIndex};
    std::atomic<int> m_maxIndex{kEmptyMaxIndex};
};

static_assert(LatencyHistogram::kBucketCount == 22);
static_assert(LatencyHistogram::kCountsLength == 23'552); // HdrHistogram_c's own test_create
static_assert(LatencyHistogram::countsIndexFor(LatencyHistogram::kHighestTrackableUs) <
              LatencyHistogram::kCountsLength);

} // namespace perflab::metrics
