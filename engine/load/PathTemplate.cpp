// PathTemplate: parsing "{generator:a..b}" once into literal and generator parts, and the
// allocation-free expansion run for every request the load generator sends.
#include "engine/load/PathTemplate.h"

#include <charconv>
#include <limits>
#include <string_view>
#include <system_error>

namespace perflab::load {

namespace {

constexpr double kZipfExponent = 1.1;
constexpr std::int64_t kBoundLimit = 1'000'000'000'000'000; // 10^15, see the header

const QString kExpectedForm = QStringLiteral("{generator:a..b} with generator uniform, zipf or seq");

// Length of the decimal form of `value` (for maxExpandedSize()).
qsizetype decimalLength(std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return qsizetype(result.ptr - buffer);
}

std::optional<std::int64_t> parseBound(std::string_view text)
{
    std::int64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size())
        return std::nullopt;
    if (value < -kBoundLimit || value > kBoundLimit)
        return std::nullopt;
    return value;
}

} // namespace

std::variant<PathTemplate, QString> PathTemplate::parse(const QString &path)
{
    const QString prefix = QStringLiteral("path '%1': ").arg(path);
    PathTemplate result;
    const QByteArray utf8 = path.toUtf8();
    const std::string_view text(utf8.constData(), std::size_t(utf8.size()));

    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c <= 0x20 || c == 0x7f)
            return prefix + QStringLiteral("expected no spaces or control characters (percent-encode "
                                           "them), got one at offset %1")
                                .arg(i);
    }

    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t open = text.find('{', position);
        if (open != position) {
            const std::size_t end = open == std::string_view::npos ? text.size() : open;
            Part literal;
            literal.literal = QByteArray(text.data() + position, qsizetype(end - position));
            result.m_parts.push_back(std::move(literal));
            position = end;
            continue;
        }
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos)
            return prefix +
                   QStringLiteral("unclosed '{' at offset %1 (expected %2)").arg(open).arg(kExpectedForm);
        const std::string_view body = text.substr(open + 1, close - open - 1);
        const QString shown = QString::fromUtf8(text.data() + open, qsizetype(close - open + 1));
        const std::size_t colon = body.find(':');
        if (colon == std::string_view::npos)
            return prefix + QStringLiteral("expected %1, got '%2'").arg(kExpectedForm, shown);

        const std::string_view name = body.substr(0, colon);
        Part part;
        if (name == "uniform")
            part.generator = Generator::Uniform;
        else if (name == "zipf")
            part.generator = Generator::Zipf;
        else if (name == "seq")
            part.generator = Generator::Seq;
        else
            return prefix + QStringLiteral("unknown generator '%1' in '%2' (expected uniform, zipf or seq)")
                                .arg(QString::fromUtf8(name.data(), qsizetype(name.size())), shown);

        const std::string_view range = body.substr(colon + 1);
        const std::size_t dots = range.find("..");
        const std::optional<std::int64_t> low =
            dots == std::string_view::npos ? std::nullopt : parseBound(range.substr(0, dots));
        const std::optional<std::int64_t> high =
            dots == std::string_view::npos ? std::nullopt : parseBound(range.substr(dots + 2));
        if (!low || !high)
            return prefix + QStringLiteral("expected a..b with integers a and b from -10^15 to 10^15 in '%1'")
                                .arg(shown);
        if (*low > *high)
            return prefix + QStringLiteral("expected a..b with a <= b, got '%1'").arg(shown);
        part.low = *low;
        part.high = *high;
        if (part.generator == Generator::Zipf)
            part.zipf.emplace(*high - *low + 1, kZipfExponent);
        if (part.generator == Generator::Seq) {
            part.sequence = result.m_sequences.size();
            result.m_sequences.push_back(std::make_shared<std::atomic<std::uint64_t>>(0));
        }
        result.m_parts.push_back(std::move(part));
        position = close + 1;
    }
    return result;
}

bool PathTemplate::isStatic() const
{
    for (const Part &part : m_parts) {
        if (part.generator != Generator::Literal)
            return false;
    }
    return true;
}

void PathTemplate::expandInto(QByteArray &out, std::mt19937_64 &rng) const
{
    char number[24];
    for (const Part &part : m_parts) {
        std::int64_t value = 0;
        switch (part.generator) {
        case Generator::Literal:
            // Through a view: append(const QByteArray &) would share the literal's buffer when
            // `out` is empty, and the caller's next append would then copy it.
            out.append(QByteArrayView(part.literal));
            continue;
        case Generator::Uniform: {
            std::uniform_int_distribution<std::int64_t> distribution(part.low, part.high);
            value = distribution(rng);
            break;
        }
        case Generator::Zipf:
            value = part.low + part.zipf->sample(rng) - 1;
            break;
        case Generator::Seq: {
            const std::uint64_t count = std::uint64_t(part.high - part.low) + 1;
            const std::uint64_t step = m_sequences[part.sequence]->fetch_add(1, std::memory_order_relaxed);
            value = part.low + std::int64_t(step % count);
            break;
        }
        }
        const auto written = std::to_chars(number, number + sizeof number, value);
        out.append(number, qsizetype(written.ptr - number));
    }
}

QByteArray PathTemplate::expand(std::mt19937_64 &rng) const
{
    QByteArray out;
    out.reserve(maxExpandedSize());
    expandInto(out, rng);
    return out;
}

qsizetype PathTemplate::maxExpandedSize() const
{
    qsizetype size = 0;
    for (const Part &part : m_parts) {
        if (part.generator == Generator::Literal)
            size += part.literal.size();
        else
            size += std::max(decimalLength(part.low), decimalLength(part.high));
    }
    return size;
}

} // namespace perflab::load
