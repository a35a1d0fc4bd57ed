// encodeHdrV2() and encodeHdrV2Compressed(): see HdrV2Codec.h for the format.
#include "engine/metrics/HdrV2Codec.h"
#include "engine/metrics/HdrV2Format.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <new>

namespace perflab::metrics {

using namespace hdrv2;

namespace {

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

void appendZeroRun(QByteArray &out, std::uint64_t zeros)
{
    // One zero is the count 0 (Java's and hdr-histogram-js's choice; the C library writes -1,
    // which reads the same).
    if (zeros == 1)
        appendLeb128(out, zigZag(0));
    else if (zeros > 1)
        appendLeb128(out, zigZag(-static_cast<std::int64_t>(zeros)));
}

} // namespace

QByteArray encodeHdrV2(const LatencyHistogram &histogram)
{
    QByteArray out;
    out.reserve(kHeaderBytes + 64);
    appendBigEndian32(out, kEncodingCookie);
    appendBigEndian32(out, 0); // the payload length, written once it is known
    appendBigEndian32(out, 0); // normalizing index offset
    appendBigEndian32(out, LatencyHistogram::kSignificantDigits);
    appendBigEndian64(out, LatencyHistogram::kLowestDiscernibleUs);
    appendBigEndian64(out, LatencyHistogram::kHighestTrackableUs);
    appendBigEndian64(out, std::bit_cast<std::uint64_t>(1.0)); // integer-to-double ratio

    // The counts up to the last non-zero one, each loaded once. Zeros are held back until a
    // count follows, so none trail: the writers stop at the largest value's index.
    const int first = histogram.firstIndex();
    const int last = histogram.lastIndex();
    std::uint64_t pendingZeros = first > 0 ? static_cast<std::uint64_t>(std::min(first, last + 1)) : 0;
    bool wroteCount = false;
    for (int index = std::max(first, 0); index <= last; ++index) {
        const std::uint64_t count = histogram.countAtIndex(index);
        if (count == 0) {
            ++pendingZeros;
            continue;
        }
        appendZeroRun(out, pendingZeros);
        pendingZeros = 0;
        // 2^63 samples would take centuries to record; the format cannot say more.
        appendLeb128(out, zigZag(static_cast<std::int64_t>(std::min(count, kMaxCount))));
        wroteCount = true;
    }
    // An empty histogram is the single count at index 0, as its maximum (0) has index 0.
    if (!wroteCount)
        appendLeb128(out, zigZag(0));

    writeBigEndian32(out, kPayloadLengthAt, static_cast<std::uint32_t>(out.size() - kHeaderBytes));
    return out;
}

QByteArray encodeHdrV2Compressed(const LatencyHistogram &histogram)
{
    const QByteArray encoded = encodeHdrV2(histogram);
    uLongf compressedLength = compressBound(static_cast<uLong>(encoded.size()));
    QByteArray out(kCompressedHeaderBytes + static_cast<qsizetype>(compressedLength), Qt::Uninitialized);
    // compress() is deflate at zlib's default level inside a zlib wrapper, as HdrHistogram_c and
    // Java's Deflater write it. With a buffer of compressBound() bytes, it can only run out of
    // memory.
    const int status =
        compress(reinterpret_cast<Bytef *>(out.data() + kCompressedHeaderBytes), &compressedLength,
                 reinterpret_cast<const Bytef *>(encoded.constData()), static_cast<uLong>(encoded.size()));
    if (status != Z_OK)
        throw std::bad_alloc();
    out.resize(kCompressedHeaderBytes + static_cast<qsizetype>(compressedLength));
    writeBigEndian32(out, 0, kCompressedCookie);
    writeBigEndian32(out, kCompressedLengthAt, static_cast<std::uint32_t>(compressedLength));
    return out;
}

} // namespace perflab::metrics
