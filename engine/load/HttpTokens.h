// Small HTTP/1.1 lexical helpers (RFC 9110 §5.6) shared by the load client's parsers.
#pragma once

#include <QByteArrayView>

#include <cstring>

namespace perflab::load::http_tokens {

inline bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

inline bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

inline QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && isOws(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isOws(v.back()))
        v.chop(1);
    return v;
}

inline bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace perflab::load::http_tokens
