// See RequestMixParser.h.
#include "engine/scenario/RequestMixParser.h"

#include "engine/load/PathTemplate.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace perflab::scenario {

using json::child;
using json::FieldError;
using json::Problem;

namespace {

const QStringList kMethods = {QStringLiteral("GET"),    QStringLiteral("HEAD"),  QStringLiteral("POST"),
                              QStringLiteral("PUT"),    QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                              QStringLiteral("OPTIONS")};

// Headers the load generator writes itself: a second copy would make the request ambiguous
// (a strict server answers 400), so they are refused here rather than sent.
const QStringList kReservedHeaders = {QStringLiteral("host"), QStringLiteral("content-length"),
                                      QStringLiteral("transfer-encoding")};

// RFC 9110 token characters, for header names.
bool isToken(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                        QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

bool isFieldValue(const QString &value)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t') || u == 0x7f)
            return false;
    }
    return true;
}

Problem readHeaders(const QJsonObject &request, const QString &path, load::RequestSpec &spec)
{
    const QString field = child(path, QStringLiteral("headers"));
    if (!request.contains(QStringLiteral("headers")))
        return std::nullopt;
    if (auto problem = json::expectObject(request.value(QStringLiteral("headers")), field))
        return problem;
    const QJsonObject headers = request.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        const QString headerField = child(field, it.key());
        if (!isToken(it.key()))
            return FieldError{headerField,
                              QStringLiteral("expected a header name (letters, digits and !#$%&'*+-.^_`|~)")};
        if (kReservedHeaders.contains(it.key().toLower()))
            return FieldError{headerField,
                              QStringLiteral("expected no Host, Content-Length or Transfer-Encoding header "
                                             "(the load generator writes them)")};
        if (!it.value().isString() || !isFieldValue(it.value().toString()))
            return FieldError{headerField,
                              QStringLiteral("expected a string without control characters, got %1")
                                  .arg(json::describe(it.value()))};
        spec.headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
    }
    return std::nullopt;
}

bool hasHeader(const load::RequestSpec &spec, const QByteArray &lowerName)
{
    for (const auto &[name, value] : spec.headers) {
        if (name.toLower() == lowerName)
            return true;
    }
    return false;
}

// Compact JSON of any value (QJsonDocument serializes only objects and arrays).
QByteArray compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::variant<load::RequestSpec, FieldError> parseRequest(const QJsonValue &value, const QString &path)
{
    if (auto problem = json::expectObject(value, path))
        return *problem;
    const QJsonObject request = value.toObject();
    if (auto problem =
            json::checkKeys(request, path,
                            {QStringLiteral("method"), QStringLiteral("path"), QStringLiteral("weight"),
                             QStringLiteral("headers"), QStringLiteral("body")}))
        return *problem;
    load::RequestSpec spec;
    QString method = QStringLiteral("GET");
    if (auto problem = json::readChoice(request, path, QStringLiteral("method"), kMethods, method))
        return *problem;
    spec.method = method.toLatin1();

    const QString pathField = child(path, QStringLiteral("path"));
    if (auto problem = json::readString(request, path, QStringLiteral("path"), spec.path, true))
        return *problem;
    if (!spec.path.startsWith(QLatin1Char('/')))
        return FieldError{pathField, QStringLiteral("expected a path starting with '/', got %1")
                                         .arg(json::describe(request.value(QStringLiteral("path"))))};
    const auto parsedPath = load::PathTemplate::parse(spec.path);
    if (auto *error = std::get_if<QString>(&parsedPath))
        return FieldError{pathField, *error};

    if (auto problem =
            json::readNumber(request, path, QStringLiteral("weight"), json::Bound::Positive, spec.weight))
        return *problem;
    if (auto problem = readHeaders(request, path, spec))
        return *problem;

    if (request.contains(QStringLiteral("body"))) {
        const QJsonValue body = request.value(QStringLiteral("body"));
        if (body.isString()) {
            spec.body = body.toString().toUtf8();
        } else {
            spec.body = compactJson(body);
            if (!hasHeader(spec, QByteArrayLiteral("content-type")))
                spec.headers.append(
                    {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        }
    }
    return spec;
}

} // namespace

std::variant<std::vector<load::RequestSpec>, FieldError> parseRequestMix(const QJsonValue &value,
                                                                         const QString &path)
{
    const QString expected =
        QStringLiteral("a non-empty array of requests {\"method\", \"path\", \"weight\", ...}");
    if (value.isUndefined())
        return FieldError{path, QStringLiteral("required: expected ") + expected};
    if (!value.isArray() || value.toArray().isEmpty())
        return FieldError{path, QStringLiteral("expected %1, got %2").arg(expected, json::describe(value))};
    std::vector<load::RequestSpec> mix;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto request = parseRequest(array.at(i), json::element(path, i));
        if (auto *problem = std::get_if<FieldError>(&request))
            return *problem;
        mix.push_back(std::get<load::RequestSpec>(std::move(request)));
    }
    return mix;
}

} // namespace perflab::scenario
