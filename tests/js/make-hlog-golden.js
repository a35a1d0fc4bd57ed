// node tests/js/make-hlog-golden.js FILE: writes an interval log with hdr-histogram-js's own
// HistogramLogWriter, for test_hlog to read: a comment, StartTime, legend, no BaseTime (the
// writer's default: absolute start times), two tagged intervals of tag "alpha" (values 1..100
// and 101..200, microseconds in a default JS layout) and one untagged interval (1000 x 7).
// Deterministic: the same package version writes the same file.
"use strict";

const fs = require("fs");
const { hdr } = require("./hdr-figures");

let text = "";
const writer = new hdr.HistogramLogWriter((chunk) => {
  text += chunk;
});
writer.outputComment("written by hdr-histogram-js for perflab's test_hlog");
writer.outputLogFormatVersion();
writer.outputStartTime(1441812279474);
writer.outputLegend();

function interval(tag, startMs, endMs, values) {
  const histogram = hdr.build({ bitBucketSize: 64, useWebAssembly: false });
  for (const [value, count] of values) {
    histogram.recordValueWithCount(value, count);
  }
  histogram.startTimeStampMsec = startMs;
  histogram.endTimeStampMsec = endMs;
  if (tag) {
    histogram.tag = tag;
  }
  writer.outputIntervalHistogram(histogram, startMs / 1000, endMs / 1000, 1000);
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => [from + i, 1]);
interval("alpha", 1441812280000, 1441812281000, range(1, 100));
interval("alpha", 1441812281000, 1441812282000, range(101, 200));
interval(null, 1441812280000, 1441812282500, [[1000, 7]]);
fs.writeFileSync(process.argv[2], text);
