// The figures of an hdr-histogram-js histogram that perflab's tests compare with their own, and
// the reading of a V2 file (plain or compressed) into such a histogram. Shared by
// decode-hdr.js and make-golden.js.
"use strict";

const V2_ENCODING_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;

function requireHdr() {
  try {
    return require("hdr-histogram-js");
  } catch (error) {
    process.stderr.write(
      "hdr-histogram-js is not installed in tests/js/node_modules: run scripts/install-js-deps.sh " +
        "(it runs npm ci in tests/js; Debian's nodejs and npm come from packaging/install-deps.sh)\n"
    );
    process.exit(3);
  }
}

const hdr = requireHdr();

// 64-bit buckets (a Float64Array): exact counts up to 2^53, where the default 32-bit buckets
// would wrap above 2^31.
function decodeV2(bytes) {
  const cookieBase = (bytes.readUInt32BE(0) & ~0xf0) >>> 0;
  if (cookieBase === V2_COMPRESSED_COOKIE_BASE) {
    return hdr.decodeFromCompressedBase64(bytes.toString("base64"), 64);
  }
  if (cookieBase === V2_ENCODING_COOKIE_BASE) {
    return hdr.JsHistogram.decode(new Uint8Array(bytes), 64);
  }
  throw new Error("not an HdrHistogram V2 cookie: 0x" + cookieBase.toString(16));
}

// HdrHistogram's getMinValue(): 0 when the first bucket holds samples (or none were recorded).
function minValue(histogram) {
  if (histogram.totalCount === 0 || histogram.getCountAtIndex(0) > 0) {
    return 0;
  }
  return histogram.minNonZeroValue;
}

function figures(histogram) {
  return {
    lowestDiscernibleValue: histogram.lowestDiscernibleValue,
    highestTrackableValue: histogram.highestTrackableValue,
    significantDigits: histogram.numberOfSignificantValueDigits,
    totalCount: histogram.totalCount,
    min: minValue(histogram),
    max: histogram.maxValue,
    p50: histogram.getValueAtPercentile(50),
    p99: histogram.getValueAtPercentile(99),
  };
}

// [valueFromIndex, count] of every non-zero bucket: what a merge into another layout records.
function buckets(histogram) {
  const result = [];
  for (let index = 0; index < histogram.countsArrayLength; index++) {
    const count = histogram.getCountAtIndex(index);
    if (count > 0) {
      result.push([histogram.valueFromIndex(index), count]);
    }
  }
  return result;
}

module.exports = { hdr, decodeV2, figures, buckets };
