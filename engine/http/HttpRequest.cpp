// Accessors of HttpRequest; parsing lives in RequestParser.
#include "engine/http/HttpRequest.h"

namespace perflab::http {

Method methodFromToken(QByteArrayView token)
{
    switch (token.size()) {
    case 3:
        if (token == "GET")
            return Method::Get;
        if (token == "PUT")
            return Method::Put;
        break;
    case 4:
        if (token == "HEAD")
            return Method::Head;
        if (token == "POST")
            return Method::Post;
        break;
    case 5:
        if (token == "PATCH")
            return Method::Patch;
        break;
    case 6:
        if (token == "DELETE")
            return Method::Delete;
        break;
    case 7:
        if (token == "OPTIONS")
            return Method::Options;
        break;
    }
    return Method::Other;
}

QByteArrayView methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Head:
        return "HEAD";
    case Method::Post:
        return "POST";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Patch:
        return "PATCH";
    case Method::Options:
        return "OPTIONS";
    case Method::Other:
        break;
    }
    return "OTHER";
}

std::optional<QByteArrayView> HttpRequest::header(QByteArrayView name) const
{
    for (const HeaderField &field : headers) {
        if (field.name.compare(name, Qt::CaseInsensitive) == 0)
            return field.value;
    }
    return std::nullopt;
}

static int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static QString percentDecode(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '+') {
            out.append(' ');
        } else if (c == '%' && i + 2 < raw.size() && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) {
            out.append(char(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2])));
            i += 2;
        } else {
            out.append(c);
        }
    }
    return QString::fromUtf8(out);
}

std::optional<QString> HttpRequest::queryParam(QByteArrayView name) const
{
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        QByteArrayView pair = query.sliced(start, end - start);
        qsizetype eq = pair.indexOf('=');
        QByteArrayView key = eq < 0 ? pair : pair.first(eq);
        if (key == name)
            return percentDecode(eq < 0 ? QByteArrayView() : pair.sliced(eq + 1));
        start = end + 1;
    }
    return std::nullopt;
}

const PathParam *HttpRequest::pathParam(QByteArrayView name) const
{
    for (const PathParam &param : pathParams) {
        if (param.name == name)
            return &param;
    }
    return nullptr;
}

} // namespace perflab::http
