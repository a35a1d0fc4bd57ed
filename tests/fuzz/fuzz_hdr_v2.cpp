// libFuzzer target for decodeHdrV2(). The first byte chooses how the rest reaches the decoder:
//   0: as it is (any cookie, any framing);
//   1: as the V2 encoding (its first four bytes become the V2 cookie, so the fuzzer need not
//      find it before exploring header and counts);
//   2: as the content of the compressed form (deflated and framed here, so that the inflated
//      header and counts are explored through the zlib path, not only zlib's own checks);
//   3: as the compressed form's zlib stream (framed with the compressed cookie and a length).
// Whatever decodes must encode and decode again, in both encodings, to the same histogram.
// A crash, a sanitizer report or such a mismatch is a finding.
#include "engine/metrics/HdrV2Codec.h"

#include <QByteArray>

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using perflab::metrics::decodeHdrV2;
using perflab::metrics::encodeHdrV2;
using perflab::metrics::encodeHdrV2Compressed;
using perflab::metrics::LatencyHistogram;

namespace {

QByteArray bigEndian32(std::uint32_t value)
{
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(static_cast<char>((value >> shift) & 0xff));
    return out;
}

QByteArray framedCompressed(const QByteArray &zlibStream)
{
    return bigEndian32(0x1c849314) + bigEndian32(static_cast<std::uint32_t>(zlibStream.size())) + zlibStream;
}

QByteArray deflated(const QByteArray &content)
{
    uLongf length = compressBound(static_cast<uLong>(content.size()));
    QByteArray out(static_cast<qsizetype>(length), Qt::Uninitialized);
    if (compress(reinterpret_cast<Bytef *>(out.data()), &length,
                 reinterpret_cast<const Bytef *>(content.constData()),
                 static_cast<uLong>(content.size())) != Z_OK)
        std::abort();
    out.resize(static_cast<qsizetype>(length));
    return out;
}

void expectSameAfterReencoding(const LatencyHistogram &histogram)
{
    for (const bool compressed : {false, true}) {
        const QByteArray again = compressed ? encodeHdrV2Compressed(histogram) : encodeHdrV2(histogram);
        const auto result = decodeHdrV2(again);
        const auto *back = std::get_if<LatencyHistogram>(&result);
        if (!back) {
            std::fprintf(stderr, "re-encoded histogram does not decode: %s\n",
                         qPrintable(std::get<perflab::metrics::HdrDecodeError>(result).message));
            std::abort();
        }
        if (!(*back == histogram)) {
            std::fprintf(stderr, "re-encoded histogram decodes differently (%s)\n",
                         compressed ? "compressed" : "plain");
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    QByteArray bytes(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));
    switch (data[0] % 4) {
    case 0:
        break;
    case 1:
        if (bytes.size() >= 4)
            bytes.replace(0, 4, bigEndian32(0x1c849313));
        break;
    case 2:
        bytes = framedCompressed(deflated(bytes));
        break;
    default:
        bytes = framedCompressed(bytes);
        break;
    }
    const auto result = decodeHdrV2(bytes);
    if (const auto *histogram = std::get_if<LatencyHistogram>(&result))
        expectSameAfterReencoding(*histogram);
    return 0;
}
