// HlogTag: see the header.
#include "engine/report/HlogTag.h"

namespace perflab::report {

namespace {

QByteArray escaped(const QString &text, bool escapeSlash)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    QByteArray out;
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '%' || c == ',' || (escapeSlash && c == '/')) {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

std::optional<QString> unescaped(QByteArrayView text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int high = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
        const int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (high < 0 || low < 0)
            return std::nullopt;
        out += char(high * 16 + low);
        i += 2;
    }
    return QString::fromUtf8(out);
}

} // namespace

QByteArray hlogTag(const QString &phase, const QString &route)
{
    return escaped(phase, true) + '/' + escaped(route, false);
}

std::optional<HlogTagParts> splitHlogTag(QByteArrayView tag)
{
    const qsizetype slash = tag.indexOf('/');
    const auto phase = unescaped(slash < 0 ? tag : tag.first(slash));
    const auto route = unescaped(slash < 0 ? QByteArrayView() : tag.sliced(slash + 1));
    if (!phase || !route)
        return std::nullopt;
    return HlogTagParts{*phase, *route};
}

} // namespace perflab::report
