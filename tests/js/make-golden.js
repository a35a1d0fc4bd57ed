// node tests/js/make-golden.js DIR: writes the golden HdrHistogram V2 files of test_hdr_v2_codec
// as hdr-histogram-js encodes them, and golden.json with the figures hdr-histogram-js reads
// back from each. Per histogram NAME: NAME.v2z.b64 is encodeIntoCompressedBase64()'s text (what
// an .hlog line carries); NAME.v2.b64 is the plain V2 encoding inside it, base64 too.
// Deterministic: the same package version writes the same files.
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const { hdr, decodeV2, figures, buckets } = require("./hdr-figures");

// A fixed linear congruential sequence, so the values need no seed from outside.
function* sequence(count, seed) {
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    yield state / 4294967296;
  }
}

// Log-uniform between low and high: latencies span decades.
function logUniform(unit, low, high) {
  return Math.floor(Math.exp(Math.log(low) + unit * (Math.log(high) - Math.log(low))));
}

function make(layout) {
  return hdr.build(Object.assign({ bitBucketSize: 64, autoResize: false, useWebAssembly: false }, layout));
}

const usLayout = { lowestDiscernibleValue: 1, highestTrackableValue: 3600000000, numberOfSignificantValueDigits: 3 };

const histograms = {
  // perflab's own layout: the plain encoding must match perflab's byte for byte.
  "us-empty": () => make(usLayout),
  "us-mixed": () => {
    const h = make(usLayout);
    for (const unit of sequence(600, 7)) {
      h.recordValue(logUniform(unit, 1, 3600000000));
    }
    for (const edge of [0, 1, 2047, 2048, 2049, 3599999999, 3600000000]) {
      h.recordValueWithCount(edge, 3);
    }
    return h;
  },
  "us-large-counts": () => {
    const h = make(usLayout);
    h.recordValueWithCount(1000, 2 ** 40);
    h.recordValueWithCount(250000, 2 ** 45 + 12345);
    h.recordValueWithCount(3600000000, 2 ** 50);
    h.recordValueWithCount(7, 1);
    return h;
  },
  // 0.99 * 190 = 188.1: hdr-histogram-js's p99 is the 189th value, the C library's the 188th.
  "us-190-values": () => {
    const h = make(usLayout);
    for (let value = 1; value <= 190; value++) {
      h.recordValue(value);
    }
    return h;
  },
  // Every sample in one bucket: the .hgrm spectrum still starts with its 0 % line.
  "us-one-bucket": () => {
    const h = make(usLayout);
    h.recordValueWithCount(1234, 3);
    return h;
  },
  // Other layouts, as other tools write them: re-recorded into perflab's on decoding.
  "ms-2-digits": () => {
    const h = make({ lowestDiscernibleValue: 1, highestTrackableValue: 3600000, numberOfSignificantValueDigits: 2 });
    for (const unit of sequence(400, 11)) {
      h.recordValue(logUniform(unit, 1, 3600000));
    }
    return h;
  },
  "js-default-autoresize": () => {
    const h = hdr.build({ bitBucketSize: 64 }); // lowest 1, highest 2, 3 digits, resizing
    for (const unit of sequence(300, 13)) {
      h.recordValue(logUniform(unit, 1, 50000000));
    }
    return h;
  },
  "unit-1024-5-digits": () => {
    const h = make({ lowestDiscernibleValue: 1024, highestTrackableValue: 100000000000, numberOfSignificantValueDigits: 5 });
    for (const unit of sequence(300, 17)) {
      h.recordValue(logUniform(unit, 1024, 3000000000));
    }
    h.recordValueWithCount(0, 5);
    return h;
  },
};

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node tests/js/make-golden.js DIR\n");
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const golden = {};
for (const [name, build] of Object.entries(histograms)) {
  const compressedBase64 = hdr.encodeIntoCompressedBase64(build());
  const compressed = Buffer.from(compressedBase64, "base64");
  const length = compressed.readInt32BE(4);
  const plain = zlib.inflateSync(compressed.subarray(8, 8 + length));
  fs.writeFileSync(path.join(dir, name + ".v2z.b64"), compressedBase64 + "\n");
  fs.writeFileSync(path.join(dir, name + ".v2.b64"), plain.toString("base64") + "\n");
  const decoded = decodeV2(compressed);
  golden[name] = Object.assign(figures(decoded), { buckets: buckets(decoded) });
}
// One line a histogram: the bucket lists are long.
const lines = Object.entries(golden).map(([name, entry]) => " " + JSON.stringify(name) + ": " + JSON.stringify(entry));
fs.writeFileSync(path.join(dir, "golden.json"), "{\n" + lines.join(",\n") + "\n}\n");
