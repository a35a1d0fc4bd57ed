// node tests/js/decode-hdr.js FILE...: decodes each HdrHistogram V2 file (plain or compressed)
// with hdr-histogram-js and prints a JSON array, one object a file, of its layout, total count,
// min, max, p50 and p99 (hdr-histogram-js's getValueAtPercentile()). test_hdr_v2_js compares
// them with perflab's own figures. Exit status 2 when a file cannot be decoded, 3 when
// hdr-histogram-js is not installed.
"use strict";

const fs = require("fs");
const { decodeV2, figures } = require("./hdr-figures");

const results = [];
for (const file of process.argv.slice(2)) {
  try {
    results.push(Object.assign({ file }, figures(decodeV2(fs.readFileSync(file)))));
  } catch (error) {
    process.stderr.write(file + ": " + error.message + "\n");
    process.exit(2);
  }
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
