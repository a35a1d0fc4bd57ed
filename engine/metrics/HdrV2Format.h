// The wire facts of HdrHistogram's V2 encoding that the encoder and the decoder share: cookies,
// the 40-byte header's fields, big-endian integers and the ZigZag LEB128-64b9B counts.
#pragma once

#include <QByteArray>

#include <cstdint>

namespace perflab::metrics::hdrv2 {

// A cookie's bits 4..7 held a word size in V0/V1; V2 writers set 0x10 there and readers mask
// it away, so only the base identifies the encoding.
inline constexpr std::uint32_t kCookieBaseMask = ~std::uint32_t{0xf0};
inline constexpr std::uint32_t kEncodingCookieBase = 0x1c849303;
inline constexpr std::uint32_t kCompressedCookieBase = 0x1c849304;
inline constexpr std::uint32_t kEncodingCookie = kEncodingCookieBase | 0x10;     // as every writer sets it
inline constexpr std::uint32_t kCompressedCookie = kCompressedCookieBase | 0x10; // likewise
// Bases of the older encodings, only to name them in an error.
inline constexpr std::uint32_t kV0EncodingCookieBase = 0x1c849308;
inline constexpr std::uint32_t kV0CompressedCookieBase = 0x1c849309;
inline constexpr std::uint32_t kV1EncodingCookieBase = 0x1c849301;
inline constexpr std::uint32_t kV1CompressedCookieBase = 0x1c849302;

// Header of the V2 encoding, all big-endian.
inline constexpr int kPayloadLengthAt = 4;          // int32: bytes of counts after the header
inline constexpr int kNormalizingIndexOffsetAt = 8; // int32: Java's DoubleHistogram's business
inline constexpr int kSignificantDigitsAt = 12;     // int32
inline constexpr int kLowestDiscernibleAt = 16;     // int64
inline constexpr int kHighestTrackableAt = 24;      // int64
inline constexpr int kConversionRatioAt = 32;       // IEEE double: DoubleHistogram's again
inline constexpr int kHeaderBytes = 40;
// The compressed form: cookie, int32 length of the zlib stream that follows.
inline constexpr int kCompressedLengthAt = 4;
inline constexpr int kCompressedHeaderBytes = 8;

// LEB128-64b9B: 7 bits a byte for eight bytes, then a ninth byte with the top 8 bits, so a
// 64-bit word never takes more than 9 bytes (standard LEB128 would take 10).
inline constexpr int kMaxBytesPerCount = 9;

inline std::uint32_t readBigEndian32(const unsigned char *bytes)
{
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

inline std::uint64_t readBigEndian64(const unsigned char *bytes)
{
    return (std::uint64_t{readBigEndian32(bytes)} << 32) | readBigEndian32(bytes + 4);
}

inline void appendBigEndian32(QByteArray &out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(static_cast<char>((value >> shift) & 0xff));
}

inline void appendBigEndian64(QByteArray &out, std::uint64_t value)
{
    appendBigEndian32(out, static_cast<std::uint32_t>(value >> 32));
    appendBigEndian32(out, static_cast<std::uint32_t>(value));
}

inline void writeBigEndian32(QByteArray &out, qsizetype at, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        out[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
}

// ZigZag maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ... so that small magnitudes of either sign
// stay short.
inline std::uint64_t zigZag(std::int64_t value)
{
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

inline void appendLeb128(QByteArray &out, std::uint64_t word)
{
    for (int i = 0; i < kMaxBytesPerCount - 1; ++i) {
        if (word < 0x80) {
            out.append(static_cast<char>(word));
            return;
        }
        out.append(static_cast<char>((word & 0x7f) | 0x80));
        word >>= 7;
    }
    out.append(static_cast<char>(word)); // the ninth byte: the last 8 bits, no continuation flag
}

} // namespace perflab::metrics::hdrv2
