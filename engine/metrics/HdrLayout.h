// HdrLayout: the bucket layout of any HdrHistogram, from the three figures a V2 header carries
// (lowest discernible value, highest trackable value, significant digits), so that an encoding
// written with another layout than LatencyHistogram's can be read count by count.
//
// Derived as HdrHistogram's constructors derive it, with the same validity rules (Java's and
// hdr-histogram-js's: 0 to 5 digits, where the C library wants at least 1), but with exact
// integer logarithms where the libraries take floating-point ones.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <variant>

namespace perflab::metrics {

struct HdrLayoutError
{
    enum class Field { SignificantDigits, LowestDiscernible, HighestTrackable };
    Field field;     // the header field to blame
    QString message; // the rule it breaks, without position
};

struct HdrLayout
{
    std::int64_t lowestDiscernible = 1;
    std::int64_t highestTrackable = 2;
    int significantDigits = 3;
    int unitMagnitude = 0;
    int subBucketHalfCountMagnitude = 0;
    int subBucketHalfCount = 1;
    int bucketCount = 1;
    int countsLength = 2;

    static std::variant<HdrLayout, HdrLayoutError>
    fromFigures(std::int64_t lowestDiscernible, std::int64_t highestTrackable, int significantDigits);

    // HdrHistogram's valueFromIndex(): the lowest value that the count at `index` stands for;
    // nullopt when it does not fit in a signed 64-bit value (top buckets of huge layouts).
    // `index` must be within 0 .. countsLength - 1.
    std::optional<std::int64_t> valueFromIndex(int index) const;
};

} // namespace perflab::metrics
