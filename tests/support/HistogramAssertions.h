// Comparing two latency histograms bucket by bucket in a test, with the first difference named:
//     QCOMPARE(perflab::test::bucketDifference(actual, expected), QString());
// so that a failure says which bucket (and which value it stands for) differs, not only that one
// does.
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <QString>

namespace perflab::test {

// "" when every bucket and the total count agree, else the first differing bucket.
inline QString bucketDifference(const metrics::LatencyHistogram &actual,
                                const metrics::LatencyHistogram &expected)
{
    using metrics::LatencyHistogram;
    for (int i = 0; i < LatencyHistogram::kCountsLength; ++i) {
        if (actual.countAtIndex(i) != expected.countAtIndex(i))
            return QStringLiteral("index %1 (value %2): count %3, expected %4")
                .arg(i)
                .arg(LatencyHistogram::valueAtIndex(i))
                .arg(actual.countAtIndex(i))
                .arg(expected.countAtIndex(i));
    }
    if (actual.totalCount() != expected.totalCount())
        return QStringLiteral("total %1, expected %2").arg(actual.totalCount()).arg(expected.totalCount());
    return {};
}

} // namespace perflab::test
