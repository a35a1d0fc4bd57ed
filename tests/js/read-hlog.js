// node tests/js/read-hlog.js FILE.hlog: reads an HdrHistogram interval log with hdr-histogram-js's
// own HistogramLogReader, adds up the intervals of each tag (the tag as written, still
// percent-encoded) and prints one JSON object: per tag the number of intervals, the total
// count, min, max, p50 and p99 of the merged histogram (hdr-histogram-js's figures: see
// hdr-figures.js). test_hlog_js compares them with the run's run.json. Exit status 2 when the
// log cannot be read, 3 when hdr-histogram-js is not installed.
"use strict";

const fs = require("fs");
const { hdr, figures } = require("./hdr-figures");

const file = process.argv[2];
let content;
try {
  content = fs.readFileSync(file, "utf8");
} catch (error) {
  process.stderr.write(file + ": " + error.message + "\n");
  process.exit(2);
}

// 64-bit buckets, so counts stay exact; the merged histogram takes the first interval's layout
// (perflab's: 1 µs .. 1 h, 3 digits), so adding changes no bucket.
const reader = new hdr.HistogramLogReader(content, 64);
const merged = new Map();
let histogram;
while ((histogram = reader.nextIntervalHistogram()) !== null) {
  let entry = merged.get(histogram.tag);
  if (entry === undefined) {
    entry = {
      intervals: 0,
      histogram: hdr.build({
        bitBucketSize: 64,
        lowestDiscernibleValue: histogram.lowestDiscernibleValue,
        highestTrackableValue: histogram.highestTrackableValue,
        numberOfSignificantValueDigits: histogram.numberOfSignificantValueDigits,
      }),
    };
    merged.set(histogram.tag, entry);
  }
  entry.histogram.add(histogram);
  entry.intervals += 1;
}
if (merged.size === 0) {
  process.stderr.write(file + ": no interval histogram\n");
  process.exit(2);
}
const result = {};
for (const [tag, entry] of merged) {
  result[tag] = Object.assign({ intervals: entry.intervals }, figures(entry.histogram));
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
