// HdrHistogram V2 codec: round trips of varied histograms in both encodings, bytes written by
// hand from the format, golden files written by hdr-histogram-js (tests/data/hdr), other
// layouts re-recorded at their values, every kind of malformed input (an error naming what and
// where, never a crash), and encoding while the owner records.
#include "GoldenFile.h"
#include "HdrTestSupport.h"
#include "HistogramAssertions.h"

#include "engine/metrics/HdrV2Codec.h"
#include "engine/metrics/LatencyHistogram.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <zlib.h>

#include <atomic>
#include <bit>
#include <limits>
#include <thread>

using namespace Qt::StringLiterals;
using perflab::metrics::decodeHdrV2;
using perflab::metrics::encodeHdrV2;
using perflab::metrics::encodeHdrV2Compressed;
using perflab::metrics::HdrDecodeError;
using perflab::metrics::LatencyHistogram;
using namespace perflab::metrics::test;

namespace {

constexpr std::int64_t kHour = LatencyHistogram::kHighestTrackableUs;

// ---- the format, written here by hand (not with the engine's helpers) ----

QByteArray bigEndian(std::uint64_t value, int bytes)
{
    QByteArray out;
    for (int i = bytes - 1; i >= 0; --i)
        out.append(static_cast<char>((value >> (8 * i)) & 0xff));
    return out;
}

// One ZigZag LEB128-64b9B word.
QByteArray word(std::int64_t value)
{
    std::uint64_t zigzag = value >= 0 ? 2 * static_cast<std::uint64_t>(value)
                                      : 2 * (~static_cast<std::uint64_t>(value)) + 1; // -v * 2 - 1
    QByteArray out;
    for (int i = 0; i < 8; ++i) {
        if (zigzag < 0x80) {
            out.append(static_cast<char>(zigzag));
            return out;
        }
        out.append(static_cast<char>(0x80 | (zigzag & 0x7f)));
        zigzag >>= 7;
    }
    out.append(static_cast<char>(zigzag));
    return out;
}

struct Header
{
    std::uint32_t cookie = 0x1c849313;
    std::int64_t payloadLength = -1; // -1: the payload's size
    std::int32_t digits = 3;
    std::int64_t lowest = 1;
    std::int64_t highest = kHour;
};

QByteArray v2(const QByteArray &payload, Header header = {})
{
    const std::int64_t length = header.payloadLength == -1 ? payload.size() : header.payloadLength;
    return bigEndian(header.cookie, 4) + bigEndian(static_cast<std::uint32_t>(length), 4) + bigEndian(0, 4) +
           bigEndian(static_cast<std::uint32_t>(header.digits), 4) +
           bigEndian(static_cast<std::uint64_t>(header.lowest), 8) +
           bigEndian(static_cast<std::uint64_t>(header.highest), 8) + bigEndian(0x3ff0000000000000, 8) +
           payload;
}

QByteArray zlibOf(const QByteArray &content)
{
    uLongf length = compressBound(static_cast<uLong>(content.size()));
    QByteArray out(static_cast<qsizetype>(length), Qt::Uninitialized);
    compress(reinterpret_cast<Bytef *>(out.data()), &length,
             reinterpret_cast<const Bytef *>(content.constData()), static_cast<uLong>(content.size()));
    out.resize(static_cast<qsizetype>(length));
    return out;
}

QByteArray compressedForm(const QByteArray &zlibStream, std::uint32_t cookie = 0x1c849314)
{
    return bigEndian(cookie, 4) + bigEndian(static_cast<std::uint32_t>(zlibStream.size()), 4) + zlibStream;
}

// A zlib stream of `head` followed by `zeroBytes` zero bytes, deflated in slices so that a
// stream standing for 100 MiB costs ~100 KiB here.
QByteArray zlibWithZeros(const QByteArray &head, qint64 zeroBytes)
{
    z_stream stream{};
    deflateInit(&stream, Z_BEST_COMPRESSION);
    QByteArray out;
    const QByteArray zeros(1 << 20, '\0');
    char chunk[1 << 16];
    const auto pump = [&](const QByteArray &input, int flush) {
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
        stream.avail_in = static_cast<uInt>(input.size());
        do {
            stream.next_out = reinterpret_cast<Bytef *>(chunk);
            stream.avail_out = sizeof chunk;
            deflate(&stream, flush);
            out.append(chunk, static_cast<qsizetype>(sizeof chunk - stream.avail_out));
        } while (stream.avail_out == 0);
    };
    pump(head, Z_NO_FLUSH);
    for (qint64 left = zeroBytes; left > 0; left -= zeros.size())
        pump(zeros.first(std::min<qint64>(left, zeros.size())), Z_NO_FLUSH);
    pump({}, Z_FINISH);
    deflateEnd(&stream);
    return out;
}

// What a row records: (value, count) pairs.
struct Recorded
{
    std::vector<std::pair<std::int64_t, std::uint64_t>> values;
};

LatencyHistogram decoded(const QByteArray &bytes)
{
    auto result = decodeHdrV2(bytes);
    if (const auto *error = std::get_if<HdrDecodeError>(&result))
        qFatal("unexpected decode error: %s", qPrintable(error->message));
    return std::move(std::get<LatencyHistogram>(result));
}

QString errorOf(const QByteArray &bytes)
{
    const auto result = decodeHdrV2(bytes);
    if (const auto *error = std::get_if<HdrDecodeError>(&result))
        return error->message;
    return u"(decoded without error)"_s;
}

QByteArray goldenFile(const QString &name)
{
    return perflab::test::readGoldenFile(QStringLiteral(PERFLAB_HDR_GOLDEN_DIR) + u'/' + name);
}

} // namespace

Q_DECLARE_METATYPE(Recorded)

class TestHdrV2Codec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void bytesFollowTheFormat_data();
    void bytesFollowTheFormat();
    void goldenFromHdrHistogramJs_data();
    void goldenFromHdrHistogramJs();
    void reencodedGoldenMatchesHdrHistogramJs_data();
    void reencodedGoldenMatchesHdrHistogramJs();
    void otherLayoutIsRecordedAtValueFromIndex();
    void malformedInputIsNamed_data();
    void malformedInputIsNamed();
    void bytesAfterTheHistogramAreLeftUnread();
    void everyMutationIsDecodedOrNamed();
    void encodesWhileTheOwnerRecords();
    void recordBucketWidensToTheBucket();
};

void TestHdrV2Codec::roundTrip_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<bool>("compressed");
    const auto histograms = variedHistograms();
    for (int i = 0; i < int(histograms.size()); ++i) {
        QTest::addRow("%s, plain", qPrintable(histograms[i].name)) << i << false;
        QTest::addRow("%s, compressed", qPrintable(histograms[i].name)) << i << true;
    }
}

void TestHdrV2Codec::roundTrip()
{
    QFETCH(int, which);
    QFETCH(bool, compressed);
    LatencyHistogram original;
    variedHistograms()[which].fill(original);

    const QByteArray bytes = compressed ? encodeHdrV2Compressed(original) : encodeHdrV2(original);
    QCOMPARE(bytes.left(4).toHex(), compressed ? QByteArray("1c849314") : QByteArray("1c849313"));
    const LatencyHistogram back = decoded(bytes);

    QCOMPARE(perflab::test::bucketDifference(back, original), QString());
    QCOMPARE(back.totalCount(), original.totalCount());
    // The format carries counts only: min and max come back as their buckets' bounds.
    QCOMPARE(back.min(),
             original.isEmpty() ? std::int64_t{0} : LatencyHistogram::lowestEquivalentValue(original.min()));
    QCOMPARE(back.max(),
             original.isEmpty() ? std::int64_t{0} : LatencyHistogram::highestEquivalentValue(original.max()));
    QCOMPARE(back.valueAtPercentile(50), original.valueAtPercentile(50));
    QCOMPARE(back.valueAtPercentile(99), original.valueAtPercentile(99));
    QCOMPARE(back.valueAtPercentile(99.99), original.valueAtPercentile(99.99));
    // Encoding is canonical: what was decoded encodes to the same bytes.
    QCOMPARE(compressed ? encodeHdrV2Compressed(back) : encodeHdrV2(back), bytes);
}

void TestHdrV2Codec::bytesFollowTheFormat_data()
{
    QTest::addColumn<Recorded>("recorded");
    QTest::addColumn<QByteArray>("payload");
    using Values = Recorded;
    // An empty histogram is the single count at index 0 (its maximum's index).
    QTest::newRow("empty") << Values{} << word(0);
    QTest::newRow("zeros before a count") << Values{{{5, 1}}} << word(-5) + word(1);
    // A lone zero is the count 0, as Java and hdr-histogram-js write it.
    QTest::newRow("lone zeros") << Values{{{1, 1}, {3, 2}}} << word(0) + word(1) + word(0) + word(2);
    QTest::newRow("count at index 0") << Values{{{0, 300}}} << word(300);
    // 2^62 is 2^63 after ZigZag: eight 7-bit groups of zeros, then a ninth byte with 8 bits.
    QTest::newRow("ninth byte") << Values{{{0, std::uint64_t{1} << 62}}}
                                << QByteArray::fromHex("808080808080808080");
    // From 4096 on a count covers four values: 4096 and 4097 share index 3072.
    QTest::newRow("shared bucket") << Values{{{4096, 1}, {4097, 1}}} << word(-3072) + word(2);
}

void TestHdrV2Codec::bytesFollowTheFormat()
{
    QFETCH(Recorded, recorded);
    QFETCH(QByteArray, payload);
    LatencyHistogram histogram;
    for (const auto &[value, count] : recorded.values)
        histogram.record(value, count);
    const QByteArray expected = v2(payload);
    QCOMPARE(encodeHdrV2(histogram).toHex(), expected.toHex());

    const QByteArray compressed = encodeHdrV2Compressed(histogram);
    QCOMPARE(compressed.left(4).toHex(), QByteArray("1c849314"));
    QCOMPARE(compressed.mid(4, 4).toHex(),
             bigEndian(static_cast<std::uint32_t>(compressed.size() - 8), 4).toHex());
    QByteArray inflated(expected.size() + 16, Qt::Uninitialized);
    uLongf inflatedLength = static_cast<uLongf>(inflated.size());
    QCOMPARE(uncompress(reinterpret_cast<Bytef *>(inflated.data()), &inflatedLength,
                        reinterpret_cast<const Bytef *>(compressed.constData() + 8),
                        static_cast<uLong>(compressed.size() - 8)),
             Z_OK);
    QCOMPARE(inflated.first(static_cast<qsizetype>(inflatedLength)).toHex(), expected.toHex());
}

void TestHdrV2Codec::goldenFromHdrHistogramJs_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("file");
    const QJsonObject golden = QJsonDocument::fromJson(goldenFile(u"golden.json"_s)).object();
    QVERIFY(golden.size() >= 7);
    for (const QString &name : golden.keys()) {
        QTest::addRow("%s, plain", qPrintable(name)) << name << name + u".v2.b64"_s;
        QTest::addRow("%s, compressed", qPrintable(name)) << name << name + u".v2z.b64"_s;
    }
}

// The same figures as hdr-histogram-js read: in perflab's own layout exactly; in another layout
// each of the writer's buckets is recorded at its lowest value, so perflab's figures are the
// bounds of the perflab buckets holding those values.
void TestHdrV2Codec::goldenFromHdrHistogramJs()
{
    QFETCH(QString, name);
    QFETCH(QString, file);
    const QJsonObject figures =
        QJsonDocument::fromJson(goldenFile(u"golden.json"_s)).object().value(name).toObject();
    const LatencyHistogram histogram = decoded(QByteArray::fromBase64(goldenFile(file).trimmed()));

    LatencyHistogram expected;
    std::vector<std::pair<std::int64_t, std::uint64_t>> buckets; // the writer's, in order
    for (const QJsonValue &bucket : figures.value(u"buckets"_s).toArray()) {
        const auto value = static_cast<std::int64_t>(bucket.toArray().at(0).toDouble());
        const auto count = static_cast<std::uint64_t>(bucket.toArray().at(1).toDouble());
        buckets.emplace_back(value, count);
        expected.recordBucket(LatencyHistogram::countsIndexFor(value), count);
    }
    QCOMPARE(perflab::test::bucketDifference(histogram, expected), QString());
    const auto total = static_cast<std::uint64_t>(figures.value(u"totalCount"_s).toDouble());
    QCOMPARE(histogram.totalCount(), total);

    const bool perflabLayout = figures.value(u"lowestDiscernibleValue"_s).toInteger() == 1 &&
                               figures.value(u"significantDigits"_s).toInt() == 3;
    const auto jsFigure = [&](const char *key) {
        return static_cast<std::int64_t>(figures.value(QLatin1String(key)).toInteger());
    };
    // The writer's bucket holding the sample of a given rank, as a value-from-index.
    const auto bucketValueAtRank = [&](std::uint64_t rank) {
        std::uint64_t cumulative = 0;
        for (const auto &[value, count] : buckets) {
            cumulative += count;
            if (cumulative >= rank)
                return value;
        }
        return std::int64_t{0};
    };
    if (total == 0) {
        QCOMPARE(histogram.min(), std::int64_t{0});
        QCOMPARE(histogram.max(), std::int64_t{0});
        QCOMPARE(jsFigure("p99"), std::int64_t{0});
        return;
    }
    QCOMPARE(histogram.min(), LatencyHistogram::lowestEquivalentValue(buckets.front().first));
    QCOMPARE(histogram.max(), LatencyHistogram::highestEquivalentValue(buckets.back().first));
    for (const auto &[key, percentile] : {std::pair{"p50", 50.0}, std::pair{"p99", 99.0}}) {
        const std::int64_t writerBucket = bucketValueAtRank(percentileRankRoundedUp(percentile, total));
        QVERIFY2(jsFigure(key) >= writerBucket, key); // hdr-histogram-js's answer lies in that bucket
        QCOMPARE(valueAtPercentileRoundedUp(histogram, percentile),
                 LatencyHistogram::highestEquivalentValue(writerBucket));
        if (perflabLayout)
            QCOMPARE(valueAtPercentileRoundedUp(histogram, percentile), jsFigure(key));
    }
    if (perflabLayout) {
        QCOMPARE(histogram.min(), jsFigure("min"));
        QCOMPARE(histogram.max(), jsFigure("max"));
    }
}

void TestHdrV2Codec::reencodedGoldenMatchesHdrHistogramJs_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"us-empty", "us-mixed", "us-large-counts", "us-190-values"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// In perflab's own layout, perflab writes hdr-histogram-js's bytes except for two header fields
// that hdr-histogram-js writes differently from Java and C: the normalizing index offset (1
// where they write 0) and the conversion ratio (the integer 1 where they write the double 1.0).
void TestHdrV2Codec::reencodedGoldenMatchesHdrHistogramJs()
{
    QFETCH(QString, name);
    QByteArray golden = QByteArray::fromBase64(goldenFile(name + u".v2.b64"_s).trimmed());
    QCOMPARE(golden.mid(8, 4).toHex(), QByteArray("00000001"));
    QCOMPARE(golden.mid(32, 8).toHex(), QByteArray("0000000000000001"));
    golden.replace(8, 4, bigEndian(0, 4));
    golden.replace(32, 8, bigEndian(std::bit_cast<std::uint64_t>(1.0), 8));
    QCOMPARE(encodeHdrV2(decoded(golden)).toHex(), golden.toHex());
}

void TestHdrV2Codec::otherLayoutIsRecordedAtValueFromIndex()
{
    // 1 significant digit: 16 sub-buckets a half bucket. Index 40 is bucket 1, sub-bucket 24:
    // values 48 and 49, recorded at 48. Index 3 is the value 3.
    const QByteArray bytes =
        v2(word(-3) + word(7) + word(-36) + word(2), Header{.digits = 1, .lowest = 1, .highest = 1'000'000});
    const LatencyHistogram histogram = decoded(bytes);
    QCOMPARE(histogram.totalCount(), std::uint64_t{9});
    QCOMPARE(histogram.countAtIndex(LatencyHistogram::countsIndexFor(3)), std::uint64_t{7});
    QCOMPARE(histogram.countAtIndex(LatencyHistogram::countsIndexFor(48)), std::uint64_t{2});
    QCOMPARE(histogram.countAtIndex(LatencyHistogram::countsIndexFor(49)), std::uint64_t{0}); // not spread
    QCOMPARE(histogram.countAtOrBelow(47), std::uint64_t{7});
    QCOMPARE(histogram.min(), std::int64_t{3});
    QCOMPARE(histogram.max(), std::int64_t{48});

    // A unit of 1024 (lowest discernible 1024, 3 digits): index 1025 is sub-bucket 1025 of
    // bucket 0, the values from 1025 << 10 on; perflab's bucket there is 1024 wide too.
    const QByteArray unitBytes =
        v2(word(-1025) + word(4), Header{.digits = 3, .lowest = 1024, .highest = 1 << 30});
    const LatencyHistogram unitHistogram = decoded(unitBytes);
    QCOMPARE(unitHistogram.totalCount(), std::uint64_t{4});
    QCOMPARE(unitHistogram.min(), std::int64_t{1025 << 10});
    QCOMPARE(unitHistogram.max(), std::int64_t{(1025 << 10) + 1023});
}

void TestHdrV2Codec::malformedInputIsNamed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");

    LatencyHistogram edges;
    variedHistograms()[4].fill(edges);
    const QByteArray plain = encodeHdrV2(edges);
    const QByteArray zlib = zlibOf(plain);
    const QString perflabReads =
        u"; perflab reads HdrHistogram's V2 encoding (0x1c849303) and its compressed form (0x1c849304)"_s;

    QTest::newRow("empty input") << QByteArray() << u"byte 0: the input ends inside the 4-byte cookie"_s;
    QTest::newRow("unknown cookie") << QByteArray::fromHex("12345678") + plain.mid(4)
                                    << u"byte 0: cookie 0x12345678 is no HdrHistogram cookie"_s +
                                           perflabReads;
    QTest::newRow("V1 cookie") << QByteArray::fromHex("1c849321") + plain.mid(4)
                               << u"byte 0: cookie 0x1c849321 is HdrHistogram's V1 encoding"_s + perflabReads;
    QTest::newRow("header cut short")
        << plain.first(20) << u"byte 20: the input ends inside the 40-byte V2 header"_s;
    QTest::newRow("payload longer than the input")
        << v2(QByteArray(40, '\0'), Header{.payloadLength = 900})
        << u"byte 4: counts payload length 900 exceeds the 40 bytes left"_s;
    QTest::newRow("negative payload length") << v2(word(1), Header{.payloadLength = 0xfffffffb})
                                             << u"byte 4: counts payload length -5 is negative"_s;
    QTest::newRow("payload longer than any layout's counts")
        << v2(QByteArray(300, '\x80'), Header{.digits = 0, .lowest = 1, .highest = 4})
        << u"byte 4: counts payload length 300 exceeds the 36 bytes that the writer's layout of 4 counts can take"_s;
    QTest::newRow("six significant digits")
        << v2(word(1), Header{.digits = 6})
        << u"byte 12: 6 significant digits, where HdrHistogram allows 0 to 5"_s;
    QTest::newRow("lowest below 1") << v2(word(1), Header{.lowest = 0})
                                    << u"byte 16: lowest discernible value 0 is below 1"_s;
    QTest::newRow("highest below twice lowest")
        << v2(word(1), Header{.lowest = 1000, .highest = 1999})
        << u"byte 24: highest trackable value 1999 is below twice the lowest discernible value 1000"_s;
    QTest::newRow("layout wider than 63 bits")
        << v2(word(1),
              Header{.lowest = std::int64_t{1} << 60, .highest = std::numeric_limits<std::int64_t>::max()})
        << u"byte 16: lowest discernible value 1152921504606846976 with 3 significant digits needs values "
           u"wider "
           "than 63 bits"_s;
    QTest::newRow("word cut off")
        << v2(word(-5) + QByteArray::fromHex("8080"))
        << u"byte 41: the word for index 5 is cut off by the payload's end at byte 43"_s;
    QTest::newRow("count past the layout")
        << v2(word(-23552) + word(1))
        << u"byte 43: count at index 23552 is outside the writer's layout of 23552 counts"_s;
    QTest::newRow("zero run past the layout")
        << v2(word(1) + word(-23552))
        << u"byte 41: a run of 23552 zero counts from index 1 passes the end of the writer's layout of 23552 counts"_s;
    QTest::newRow("zero run of 2^63") << v2(word(std::numeric_limits<std::int64_t>::min()))
                                      << u"byte 40: a run of 9223372036854775808 zero counts from index 0 "
                                         u"passes the end of the writer's layout of "
                                         "23552 counts"_s;
    QTest::newRow("total past 2^63 - 1")
        << v2(word(std::numeric_limits<std::int64_t>::max()) + word(1))
        << u"byte 49: count 1 at index 1 takes the total count past 2^63 - 1"_s;
    QTest::newRow("value above one hour")
        << v2(word(-26624) + word(3), Header{.highest = std::int64_t{1} << 40})
        << u"byte 43: count at index 26624 stands for value 34359738368, above the 3600000000 that perflab's "
           "histograms hold"_s;

    QTest::newRow("compressed header cut short")
        << QByteArray::fromHex("1c849314000001")
        << u"byte 7: the input ends inside the 8-byte compressed header"_s;
    QTest::newRow("compressed length past the input")
        << QByteArray::fromHex("1c84931400000384") + zlib.first(10)
        << u"byte 4: compressed length 900 exceeds the 10 bytes left"_s;
    QTest::newRow("negative compressed length")
        << QByteArray::fromHex("1c849314ffffffff") + zlib << u"byte 4: compressed length -1 is negative"_s;
    QTest::newRow("not a zlib stream")
        << compressedForm(plain)
        << u"inflated byte 0: the zlib stream is corrupt (incorrect header check) inside the "
           "4-byte cookie"_s;
    QByteArray badChecksum = zlib;
    badChecksum[badChecksum.size() - 1] = static_cast<char>(badChecksum.back() ^ 0x01);
    QTest::newRow("checksum wrong")
        << compressedForm(badChecksum)
        << u"inflated byte %1: the zlib stream is corrupt (incorrect data check)"_s.arg(plain.size());
    QTest::newRow("zlib stream cut short")
        << compressedForm(zlib.first(zlib.size() - 4))
        << u"inflated byte %1: the %2 bytes of compressed data end before the zlib stream does"_s
               .arg(plain.size())
               .arg(zlib.size() - 4);
    QTest::newRow("word cut off, compressed")
        << compressedForm(zlibOf(v2(word(-5) + QByteArray::fromHex("8080"))))
        << u"inflated byte 41: the word for index 5 is cut off by the payload's end at inflated byte 43"_s;
    QTest::newRow("zlib stream ends inside the payload")
        << compressedForm(zlibOf(v2(word(-5), Header{.payloadLength = 10})))
        << u"inflated byte 41: the zlib stream ends inside the counts payload"_s;
    QTest::newRow("compressed form inside the compressed form")
        << compressedForm(zlibOf(compressedForm(zlib)))
        << u"inflated byte 0: cookie 0x1c849314 is HdrHistogram's V2 compressed form, where the V2 encoding "
           "(0x1c849303) belongs"_s;
    // A zlib bomb: 100 MiB of zeros behind a header that claims them all as payload.
    QTest::newRow("bomb: payload length")
        << compressedForm(zlibWithZeros(v2({}, Header{.payloadLength = 100 << 20}), qint64{100} << 20))
        << u"inflated byte 4: counts payload length 104857600 exceeds the 211968 bytes that the writer's "
           u"layout of "
           "23552 counts can take"_s;
    // ...and 64 MiB of zeros after a valid histogram: inflating stops right after it.
    QTest::newRow("bomb: stream goes on")
        << compressedForm(zlibWithZeros(plain, qint64{64} << 20))
        << u"inflated byte %1: the zlib stream goes on past the histogram's %1 bytes"_s.arg(plain.size());
}

void TestHdrV2Codec::malformedInputIsNamed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QCOMPARE(errorOf(bytes), message);
}

// As HdrHistogram's decoders do: a buffer may hold more after a histogram.
void TestHdrV2Codec::bytesAfterTheHistogramAreLeftUnread()
{
    LatencyHistogram edges;
    variedHistograms()[4].fill(edges);
    const QByteArray garbage = QByteArray::fromHex("deadbeef00ff");
    QCOMPARE(perflab::test::bucketDifference(decoded(encodeHdrV2(edges) + garbage), edges), QString());
    QCOMPARE(perflab::test::bucketDifference(decoded(encodeHdrV2Compressed(edges) + garbage), edges),
             QString());
    // Inside the declared length, after the zlib stream's end (HdrHistogram_c ignores them too).
    const QByteArray zlibAndGarbage = zlibOf(encodeHdrV2(edges)) + garbage;
    QCOMPARE(perflab::test::bucketDifference(decoded(compressedForm(zlibAndGarbage)), edges), QString());
}

// Each byte of a valid encoding set to other values, and each truncation: the decoder either
// reads a histogram (which then round-trips) or names a position.
void TestHdrV2Codec::everyMutationIsDecodedOrNamed()
{
    LatencyHistogram edges;
    variedHistograms()[4].fill(edges);
    const QRegularExpression named(u"^(inflated )?byte \\d+: \\S"_s);
    int errors = 0;
    int decodedCount = 0;
    for (const QByteArray &valid : {encodeHdrV2(edges), encodeHdrV2Compressed(edges)}) {
        std::vector<QByteArray> inputs;
        for (qsizetype i = 0; i < valid.size(); ++i) {
            inputs.push_back(valid.first(i));
            for (int replacement : {0x00, 0x01, 0x7f, 0x80, 0xff, (valid[i] ^ 0x40) & 0xff}) {
                QByteArray mutated = valid;
                mutated[i] = static_cast<char>(replacement);
                inputs.push_back(mutated);
            }
        }
        for (const QByteArray &input : inputs) {
            auto result = decodeHdrV2(input);
            if (const auto *error = std::get_if<HdrDecodeError>(&result)) {
                QVERIFY2(named.match(error->message).hasMatch(), qPrintable(error->message));
                ++errors;
                continue;
            }
            const LatencyHistogram &histogram = std::get<LatencyHistogram>(result);
            QCOMPARE(perflab::test::bucketDifference(decoded(encodeHdrV2(histogram)), histogram), QString());
            ++decodedCount;
        }
    }
    QVERIFY(errors > 0);
    QVERIFY(decodedCount > 0);
}

// Encoding reads each count once while the owner goes on recording: every encoding decodes,
// and the totals seen never go back.
void TestHdrV2Codec::encodesWhileTheOwnerRecords()
{
    LatencyHistogram histogram;
    std::atomic<bool> done{false};
    constexpr int samples = 2'000'000;
    std::thread owner([&] {
        for (int i = 0; i < samples; ++i)
            histogram.record(1 + (static_cast<std::int64_t>(i) * 7919) % kHour);
        done.store(true);
    });
    std::uint64_t previous = 0;
    int encodings = 0;
    QString failure;
    while (!done.load() && failure.isEmpty()) {
        auto result = decodeHdrV2(encodeHdrV2Compressed(histogram));
        if (const auto *error = std::get_if<HdrDecodeError>(&result)) {
            failure = error->message;
            break;
        }
        const std::uint64_t total = std::get<LatencyHistogram>(result).totalCount();
        if (total < previous || total > samples)
            failure = u"total %1 after %2"_s.arg(total).arg(previous);
        previous = total;
        ++encodings;
    }
    owner.join();
    QCOMPARE(failure, QString());
    QCOMPARE(decoded(encodeHdrV2(histogram)).totalCount(), std::uint64_t{samples});
    qInfo("%d encodings while recording", encodings);
}

void TestHdrV2Codec::recordBucketWidensToTheBucket()
{
    LatencyHistogram histogram;
    const int index = LatencyHistogram::countsIndexFor(5001); // values 5000 .. 5003
    histogram.recordBucket(index, 10);
    QCOMPARE(histogram.totalCount(), std::uint64_t{10});
    QCOMPARE(histogram.countAtIndex(index), std::uint64_t{10});
    QCOMPARE(histogram.min(), std::int64_t{5000});
    QCOMPARE(histogram.max(), std::int64_t{5003});
    QCOMPARE(histogram.mean(), 5002.0); // the bucket's median equivalent value
    histogram.recordBucket(index, std::numeric_limits<std::uint64_t>::max() / 2);
    QCOMPARE(histogram.sumUs(), std::numeric_limits<std::uint64_t>::max()); // saturated, not wrapped
}

QTEST_GUILESS_MAIN(TestHdrV2Codec)
#include "test_hdr_v2_codec.moc"
