#include "engine/metrics/HdrLayout.h"

#include <algorithm>
#include <bit>
#include <limits>

using namespace Qt::StringLiterals;

namespace perflab::metrics {

using Field = HdrLayoutError::Field;

std::variant<HdrLayout, HdrLayoutError>
HdrLayout::fromFigures(std::int64_t lowestDiscernible, std::int64_t highestTrackable, int significantDigits)
{
    if (significantDigits < 0 || significantDigits > 5)
        return HdrLayoutError{
            Field::SignificantDigits,
            u"%1 significant digits, where HdrHistogram allows 0 to 5"_s.arg(significantDigits)};
    if (lowestDiscernible < 1)
        return HdrLayoutError{Field::LowestDiscernible,
                              u"lowest discernible value %1 is below 1"_s.arg(lowestDiscernible)};
    // highest < 2 * lowest, without computing 2 * lowest (it may overflow).
    if (lowestDiscernible > highestTrackable / 2)
        return HdrLayoutError{Field::HighestTrackable,
                              u"highest trackable value %1 is below twice the lowest discernible value %2"_s
                                  .arg(highestTrackable)
                                  .arg(lowestDiscernible)};

    HdrLayout layout;
    layout.lowestDiscernible = lowestDiscernible;
    layout.highestTrackable = highestTrackable;
    layout.significantDigits = significantDigits;

    // Single-unit resolution up to 2 * 10^digits, in a power-of-two number of sub-buckets.
    std::uint64_t largestWithUnitResolution = 2;
    for (int i = 0; i < significantDigits; ++i)
        largestWithUnitResolution *= 10;
    const int subBucketCountMagnitude = std::bit_width(largestWithUnitResolution - 1); // ceil(log2)
    layout.subBucketHalfCountMagnitude = std::max(subBucketCountMagnitude, 1) - 1;
    layout.unitMagnitude = std::bit_width(static_cast<std::uint64_t>(lowestDiscernible)) - 1; // floor(log2)
    if (layout.unitMagnitude + layout.subBucketHalfCountMagnitude > 61)
        return HdrLayoutError{
            Field::LowestDiscernible,
            u"lowest discernible value %1 with %2 significant digits needs values wider than 63 bits"_s
                .arg(lowestDiscernible)
                .arg(significantDigits)};
    const int subBucketCount = 1 << (layout.subBucketHalfCountMagnitude + 1);
    layout.subBucketHalfCount = subBucketCount / 2;

    std::int64_t smallestUntrackable = std::int64_t{subBucketCount} << layout.unitMagnitude;
    int buckets = 1;
    while (smallestUntrackable <= highestTrackable) {
        if (smallestUntrackable > std::numeric_limits<std::int64_t>::max() / 2) {
            ++buckets;
            break;
        }
        smallestUntrackable <<= 1;
        ++buckets;
    }
    layout.bucketCount = buckets;
    layout.countsLength = (buckets + 1) * layout.subBucketHalfCount; // at most 47 * 2^17
    return layout;
}

std::optional<std::int64_t> HdrLayout::valueFromIndex(int index) const
{
    int bucket = (index >> subBucketHalfCountMagnitude) - 1;
    std::uint64_t subBucket =
        static_cast<std::uint64_t>(index & (subBucketHalfCount - 1)) + subBucketHalfCount;
    if (bucket < 0) {
        subBucket -= subBucketHalfCount;
        bucket = 0;
    }
    const int shift = bucket + unitMagnitude;
    if (subBucket != 0 && std::bit_width(subBucket) + shift > 63)
        return std::nullopt;
    return static_cast<std::int64_t>(subBucket << shift);
}

} // namespace perflab::metrics
