// decodeHdrV2(): see HdrV2Codec.h for the format and the rules it enforces.
#include "engine/metrics/HdrLayout.h"
#include "engine/metrics/HdrV2Codec.h"
#include "engine/metrics/HdrV2Format.h"
#include "engine/metrics/HdrV2Sources.h"

#include <array>
#include <cstdint>
#include <limits>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace perflab::metrics {

using namespace hdrv2;

namespace {

using Result = std::variant<LatencyHistogram, HdrDecodeError>;

constexpr std::uint64_t kMaxTotalCount = std::numeric_limits<std::int64_t>::max();

HdrDecodeError failAt(const QString &where, const QString &what)
{
    return {where + u": "_s + what};
}

QString hex(std::uint32_t value)
{
    return u"0x%1"_s.arg(value, 8, 16, QLatin1Char('0'));
}

QString cookieName(std::uint32_t cookie)
{
    switch (cookie & kCookieBaseMask) {
    case kEncodingCookieBase:
        return u"HdrHistogram's V2 encoding"_s;
    case kCompressedCookieBase:
        return u"HdrHistogram's V2 compressed form"_s;
    case kV1EncodingCookieBase:
        return u"HdrHistogram's V1 encoding"_s;
    case kV1CompressedCookieBase:
        return u"HdrHistogram's V1 compressed form"_s;
    case kV0EncodingCookieBase:
        return u"HdrHistogram's V0 encoding"_s;
    case kV0CompressedCookieBase:
        return u"HdrHistogram's V0 compressed form"_s;
    default:
        return u"no HdrHistogram cookie"_s;
    }
}

template <typename Source> bool readExactly(Source &source, unsigned char *out, int count)
{
    for (int i = 0; i < count; ++i) {
        std::uint8_t byte = 0;
        if (!source.readByte(byte))
            return false;
        out[i] = byte;
    }
    return true;
}

int fieldPosition(HdrLayoutError::Field field)
{
    switch (field) {
    case HdrLayoutError::Field::SignificantDigits:
        return kSignificantDigitsAt;
    case HdrLayoutError::Field::LowestDiscernible:
        return kLowestDiscernibleAt;
    case HdrLayoutError::Field::HighestTrackable:
        return kHighestTrackableAt;
    }
    return 0;
}

// The header, then the counts of a V2 encoding; `source` starts at its cookie.
template <typename Source> Result decodeEncoding(Source &source)
{
    constexpr bool inflating = std::is_same_v<Source, InflateSource>;
    const auto where = [&source](qsizetype position) { return source.where(position); };

    std::array<unsigned char, kHeaderBytes> header{};
    if (!readExactly(source, header.data(), 4))
        return failAt(where(source.position()), source.whyDry() + u" inside the 4-byte cookie"_s);
    const std::uint32_t cookie = readBigEndian32(header.data());
    if ((cookie & kCookieBaseMask) != kEncodingCookieBase)
        return failAt(where(0), u"cookie %1 is %2, where the V2 encoding (%3) belongs"_s.arg(
                                    hex(cookie), cookieName(cookie), hex(kEncodingCookieBase)));
    if (!readExactly(source, header.data() + 4, kHeaderBytes - 4))
        return failAt(where(source.position()), source.whyDry() + u" inside the 40-byte V2 header"_s);

    const auto payloadLength = static_cast<std::int32_t>(readBigEndian32(header.data() + kPayloadLengthAt));
    const auto significantDigits =
        static_cast<std::int32_t>(readBigEndian32(header.data() + kSignificantDigitsAt));
    const auto lowest = static_cast<std::int64_t>(readBigEndian64(header.data() + kLowestDiscernibleAt));
    const auto highest = static_cast<std::int64_t>(readBigEndian64(header.data() + kHighestTrackableAt));

    if (payloadLength < 0)
        return failAt(where(kPayloadLengthAt), u"counts payload length %1 is negative"_s.arg(payloadLength));
    if constexpr (!inflating) {
        if (payloadLength > source.bytesLeft())
            return failAt(where(kPayloadLengthAt),
                          u"counts payload length %1 exceeds the %2 bytes left"_s.arg(payloadLength)
                              .arg(source.bytesLeft()));
    }
    auto layoutOrError = HdrLayout::fromFigures(lowest, highest, significantDigits);
    if (const auto *error = std::get_if<HdrLayoutError>(&layoutOrError))
        return failAt(where(fieldPosition(error->field)), error->message);
    const HdrLayout &layout = std::get<HdrLayout>(layoutOrError);
    // Each word covers at least one count and takes at most 9 bytes: anything longer cannot be
    // valid, and bounds what a compressed stream is ever inflated to.
    const qint64 longestPayload = qint64{layout.countsLength} * kMaxBytesPerCount;
    if (payloadLength > longestPayload)
        return failAt(where(kPayloadLengthAt),
                      u"counts payload length %1 exceeds the %2 bytes that the writer's "
                      "layout of %3 counts can take"_s.arg(payloadLength)
                          .arg(longestPayload)
                          .arg(layout.countsLength));

    LatencyHistogram histogram;
    const qsizetype payloadEnd = source.position() + payloadLength;
    std::int64_t index = 0; // in the writer's layout
    std::uint64_t total = 0;
    while (source.position() < payloadEnd) {
        const qsizetype wordAt = source.position();
        std::uint64_t word = 0;
        for (int i = 0; i < kMaxBytesPerCount; ++i) {
            if (source.position() == payloadEnd)
                return failAt(where(wordAt),
                              u"the word for index %1 is cut off by the payload's end at %2"_s.arg(index).arg(
                                  where(payloadEnd)));
            std::uint8_t byte = 0;
            if (!source.readByte(byte))
                return failAt(where(source.position()), source.whyDry() + u" inside the counts payload"_s);
            if (i == kMaxBytesPerCount - 1) {
                word |= std::uint64_t{byte} << 56;
                break;
            }
            word |= std::uint64_t{byte & 0x7fu} << (7 * i);
            if ((byte & 0x80) == 0)
                break;
        }

        if (word & 1) { // ZigZag odd: the negative number -(word / 2 + 1), a run of zeros
            const std::uint64_t zeros = (word >> 1) + 1;
            if (zeros > static_cast<std::uint64_t>(layout.countsLength - index))
                return failAt(where(wordAt),
                              u"a run of %1 zero counts from index %2 passes the end of the writer's "
                              "layout of %3 counts"_s.arg(zeros)
                                  .arg(index)
                                  .arg(layout.countsLength));
            index += static_cast<std::int64_t>(zeros);
            continue;
        }
        const std::uint64_t count = word >> 1;
        if (index >= layout.countsLength)
            return failAt(where(wordAt),
                          u"count at index %1 is outside the writer's layout of %2 counts"_s.arg(index).arg(
                              layout.countsLength));
        if (count != 0) {
            if (count > kMaxTotalCount - total)
                return failAt(
                    where(wordAt),
                    u"count %1 at index %2 takes the total count past 2^63 - 1"_s.arg(count).arg(index));
            total += count;
            const std::optional<std::int64_t> value = layout.valueFromIndex(static_cast<int>(index));
            if (!value || *value > LatencyHistogram::kHighestTrackableUs)
                return failAt(where(wordAt),
                              u"count at index %1 stands for value %2, above the %3 that perflab's "
                              "histograms hold"_s.arg(index)
                                  .arg(value ? QString::number(*value) : u"2^63 or more"_s)
                                  .arg(LatencyHistogram::kHighestTrackableUs));
            histogram.recordBucket(LatencyHistogram::countsIndexFor(*value), count);
        }
        ++index;
    }

    if constexpr (inflating) {
        const QString trailing = source.checkEnd();
        if (!trailing.isEmpty())
            return failAt(where(source.position()), trailing);
    }
    return histogram;
}

} // namespace

std::variant<LatencyHistogram, HdrDecodeError> decodeHdrV2(QByteArrayView bytes)
{
    const auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    if (bytes.size() < 4)
        return failAt(ViewSource::where(bytes.size()), u"the input ends inside the 4-byte cookie"_s);
    const std::uint32_t cookie = readBigEndian32(data);

    if ((cookie & kCookieBaseMask) == kEncodingCookieBase) {
        ViewSource source(bytes);
        return decodeEncoding(source);
    }
    if ((cookie & kCookieBaseMask) == kCompressedCookieBase) {
        if (bytes.size() < kCompressedHeaderBytes)
            return failAt(ViewSource::where(bytes.size()),
                          u"the input ends inside the 8-byte compressed header"_s);
        const auto length = static_cast<std::int32_t>(readBigEndian32(data + kCompressedLengthAt));
        const qsizetype left = bytes.size() - kCompressedHeaderBytes;
        if (length < 0)
            return failAt(ViewSource::where(kCompressedLengthAt),
                          u"compressed length %1 is negative"_s.arg(length));
        if (length > left)
            return failAt(ViewSource::where(kCompressedLengthAt),
                          u"compressed length %1 exceeds the %2 bytes left"_s.arg(length).arg(left));
        InflateSource source(bytes.sliced(kCompressedHeaderBytes, length));
        return decodeEncoding(source);
    }
    return failAt(ViewSource::where(0),
                  u"cookie %1 is %2; perflab reads HdrHistogram's V2 encoding (%3) and its "
                  "compressed form (%4)"_s.arg(hex(cookie), cookieName(cookie), hex(kEncodingCookieBase),
                                               hex(kCompressedCookieBase)));
}

} // namespace perflab::metrics
