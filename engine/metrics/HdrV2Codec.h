// HdrHistogram's V2 encoding of a LatencyHistogram, byte-compatible with HdrHistogram's own
// libraries (Java, C, hdr-histogram-js), for exchanging interval histograms between machines
// and for the lines of an HdrHistogram interval log (.hlog), which carry the compressed form in
// base64.
//
// The format, all integers big-endian:
//   V2 encoding: cookie 0x1c849313 (base 0x1c849303; readers ignore bits 4..7), int32 payload
//   length, int32 normalizing index offset (0), int32 significant digits, int64 lowest
//   discernible value, int64 highest trackable value, double integer-to-double conversion
//   ratio (1.0); then the counts from index 0 up to the largest value's index, each a ZigZag
//   LEB128-64b9B word: a positive word is a count, a negative one -n stands for n zero counts
//   (a single zero is written as the count 0, as Java and hdr-histogram-js write it).
//   V2 compressed: cookie 0x1c849314 (base 0x1c849304), int32 length, then that many bytes of
//   a zlib stream (RFC 1950, deflate) whose content is the V2 encoding above.
// LatencyHistogram's layout is written as it is: lowest 1, highest 3'600'000'000, 3 digits,
// in microseconds. The format carries no sum, min or max: decoding rebuilds them from the
// buckets (LatencyHistogram::recordBucket()).
//
// Decoding accepts both cookies and validates everything before trusting it; on any fault it
// returns an HdrDecodeError whose message starts with where the fault is ("byte 4: ...", or
// "inflated byte 4: ..." inside the compressed form's zlib stream):
// - the payload length must fit the bytes left, and cannot exceed 9 bytes for each count the
//   writer's layout has (so a compressed stream is never inflated further than that: a zlib
//   bomb is an error, not an allocation); the decoder keeps one 16 KiB chunk of inflated data
//   and never allocates in proportion to the input;
// - each count must fall within the writer's layout, a run of zeros must not run past it, and
//   the counts must add up to at most 2^63 - 1 (HdrHistogram's counts are signed 64-bit);
// - a word cut off by the payload's end, a corrupt or truncated zlib stream (its checksum
//   included), or a zlib stream that goes on after the histogram's bytes is an error, as in
//   HdrHistogram_c; bytes after a whole encoding, or after the compressed form's declared
//   length, are left unread, as every HdrHistogram decoder leaves them (a buffer may hold
//   more than one histogram).
// The normalizing index offset and the conversion ratio are read and ignored: they serve
// Java's DoubleHistogram, counts are always written in logical index order, and
// hdr-histogram-js writes 1 and the integer 1 in those two fields.
//
// Another layout (a Java or JS tool's own lowest/highest/digits, in whatever unit it recorded:
// perflab's is µs) is accepted when its header is valid (HdrLayout's rules) and re-recorded
// into LatencyHistogram's layout the way HdrHistogram's add() merges across layouts: each
// count at its value-from-index, the lowest value of its source bucket. A count whose value
// lies above LatencyHistogram::kHighestTrackableUs is an error, as it is for add() into a
// histogram that does not resize (LatencyHistogram would otherwise clamp it).
//
// Threading: encoding only reads (any thread, LatencyHistogram's reader rules): each count is
// loaded once, so the bytes describe one self-consistent set of counts even while the owner
// records. Decoding builds a new histogram, owned by the caller's thread.
//
// Why hand-written: Debian 12 packages no HdrHistogram C library (only the Java one and a Go
// one), and the format is small. It is checked against hdr-histogram-js by test_hdr_v2_js and
// fuzzed by tests/fuzz/fuzz_hdr_v2.cpp.
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <variant>

namespace perflab::metrics {

// V2 encoding (cookie 0x1c849303): header + ZigZag LEB128 counts with runs of zeros.
QByteArray encodeHdrV2(const LatencyHistogram &histogram);
// V2 compressed (cookie 0x1c849304 + zlib deflate of the V2 encoding): what .hlog lines carry, base64'd.
QByteArray encodeHdrV2Compressed(const LatencyHistogram &histogram);

struct HdrDecodeError
{
    QString message; // says what was wrong and where: "byte 4: counts payload length 900 exceeds the 40 bytes
                     // left"
};

// Accepts both cookies. Never crashes, never allocates without bound on hostile input.
std::variant<LatencyHistogram, HdrDecodeError> decodeHdrV2(QByteArrayView bytes);

} // namespace perflab::metrics
