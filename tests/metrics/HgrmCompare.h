// HgrmCompare: perflab's .hgrm text (LatencyHistogram::percentileSpectrum(), the format of
// HdrHistogram_c's hdr_percentiles_print, which wrk2 prints) against hdr-histogram-js's
// outputPercentileDistribution() for the same histogram, line by line, each figure within the
// precision the coarser of the two prints it with:
//   value         both 3 decimals (ms)                           within 0.0005
//   percentile    ours 6 decimals, theirs 12                     within 0.0000005
//   total count   both whole numbers                             equal
//   1/(1-p)       both 2 decimals                                within 0.01 (printf rounds an exact
//                                                                tie to even, Intl.NumberFormat away)
//   Mean, StdDeviation, Max: 3 decimals within 0.001; Total count, Buckets, SubBuckets equal.
// Column widths and the header's spacing differ (C pads every column to 12, Java/JS use 12, 14,
// 10 and 14) and are not compared: the tools that read .hgrm split on whitespace. Two
// differences are known and reported apart, as `known`, so a test can pin them exactly:
//   - the 100 % line: C prints 1/(1-1) as "inf", Java and JS leave the column out;
//   - an empty histogram: C prints that 100 % line anyway (value 0, count 0), JS prints none.
// Anything else is a difference.
#pragma once

#include <QString>
#include <QStringList>

namespace perflab::metrics::test {

struct HgrmDifferences
{
    QStringList unexpected; // "line 7 (percentile): 0.550000 vs 0.560000000000"
    QStringList known;      // "line 46: 1/(1-p) inf (C), left out (JS)"
};

HgrmDifferences compareHgrm(const QString &ours, const QString &hdrHistogramJs);

} // namespace perflab::metrics::test
