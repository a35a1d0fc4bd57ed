// node tests/js/hgrm.js FILE: decodes one HdrHistogram V2 file (plain or compressed, raw or
// base64 text as tests/data/hdr keeps them) with hdr-histogram-js and prints its
// outputPercentileDistribution(5, 1000): the .hgrm percentile spectrum of a histogram of µs
// values printed in ms, with the ticks per half distance perflab's report folder uses.
// test_hgrm_golden compares perflab's .hgrm writer with the files this made
// (tests/data/hdr/*.hgrm); test_hgrm_js runs it live on histograms perflab encodes. Exit
// status 2 when the file cannot be decoded, 3 when hdr-histogram-js is not installed.
"use strict";

const fs = require("fs");
const { decodeV2 } = require("./hdr-figures");

const TICKS_PER_HALF_DISTANCE = 5;
const US_PER_MS = 1000;

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node tests/js/hgrm.js FILE.v2[z][.b64]\n");
  process.exit(2);
}
try {
  let bytes = fs.readFileSync(file);
  if (file.endsWith(".b64")) {
    bytes = Buffer.from(bytes.toString("ascii").trim(), "base64");
  }
  process.stdout.write(decodeV2(bytes).outputPercentileDistribution(TICKS_PER_HALF_DISTANCE, US_PER_MS));
} catch (error) {
  process.stderr.write(file + ": " + error.message + "\n");
  process.exit(2);
}
