// See Router.h.
#include "engine/http/Router.h"

#include "engine/http/RequestValidation.h"

#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <charconv>

namespace perflab::http {

namespace {

std::vector<QByteArrayView> splitPath(QByteArrayView path)
{
    std::vector<QByteArrayView> parts;
    qsizetype start = 1; // paths start with '/'
    while (start <= path.size()) {
        qsizetype slash = path.indexOf('/', start);
        if (slash < 0)
            slash = path.size();
        parts.push_back(path.sliced(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

// The segments of a request path without a heap allocation: templated matching runs on every
// request to /users/{id} and friends. Longer paths than any pattern simply don't match.
struct PathSegments
{
    static constexpr size_t kMax = 32;
    std::array<QByteArrayView, kMax> parts;
    size_t count = 0;
    bool tooMany = false;
};

PathSegments splitRequestPath(QByteArrayView path)
{
    PathSegments segments;
    qsizetype start = 1; // paths start with '/'
    while (start <= path.size()) {
        qsizetype slash = path.indexOf('/', start);
        if (slash < 0)
            slash = path.size();
        if (segments.count == PathSegments::kMax) {
            segments.tooMany = true;
            break;
        }
        segments.parts[segments.count++] = path.sliced(start, slash - start);
        start = slash + 1;
    }
    return segments;
}

bool parseInt(QByteArrayView raw, qint64 &out)
{
    // std::from_chars reports values beyond qint64 as out of range (found by the fuzzer: a
    // 19-digit id overflowed the hand-rolled loop) and takes no '+', which FastAPI accepts.
    if (!raw.isEmpty() && raw[0] == '+') {
        raw = raw.sliced(1);
        if (raw.isEmpty() || raw[0] == '-')
            return false;
    }
    if (raw.isEmpty())
        return false;
    qint64 value = 0;
    const char *end = raw.data() + raw.size();
    const auto [stop, error] = std::from_chars(raw.data(), end, value);
    if (error != std::errc() || stop != end)
        return false;
    out = value;
    return true;
}

HttpResponse intParsingError(QByteArrayView name, QByteArrayView raw)
{
    // As FastAPI answers for `user_id: int`.
    return unprocessable(QJsonArray{validationIssue(
        QStringLiteral("int_parsing"), QJsonArray{QStringLiteral("path"), QString::fromUtf8(name)},
        QStringLiteral("Input should be a valid integer, unable to parse string as an integer"),
        QString::fromUtf8(raw))});
}

} // namespace

int Router::add(Method method, QByteArrayView patternText, Handler handler)
{
    Pattern parsed;
    QByteArray label;
    for (QByteArrayView part : splitPath(patternText)) {
        Segment segment;
        label += '/';
        if (part.startsWith('{') && part.endsWith('}')) {
            QByteArrayView inner = part.sliced(1, part.size() - 2);
            qsizetype colon = inner.indexOf(':');
            segment.isParam = true;
            segment.text = (colon < 0 ? inner : inner.first(colon)).toByteArray();
            segment.isInt = colon >= 0 && inner.sliced(colon + 1) == "int";
            label += '{' + segment.text + '}';
        } else {
            segment.text = part.toByteArray();
            label += segment.text;
        }
        parsed.segments.push_back(std::move(segment));
    }
    parsed.label = label;

    const int routeId = int(m_routes.size());
    m_routes.push_back({method, methodName(method).toByteArray(), label, std::move(handler)});

    for (Pattern &existing : m_patterns) {
        if (existing.label == label) {
            existing.methods.emplace_back(method, routeId);
            return routeId;
        }
    }
    parsed.methods.emplace_back(method, routeId);
    const bool literal = std::none_of(parsed.segments.begin(), parsed.segments.end(),
                                      [](const Segment &s) { return s.isParam; });
    m_patterns.push_back(std::move(parsed));
    if (literal)
        m_literal.emplace(label.toStdString(), m_patterns.size() - 1);
    else
        m_templated.push_back(m_patterns.size() - 1);
    return routeId;
}

RouteMatch Router::dispatch(const Pattern &pattern, HttpRequest &request) const
{
    RouteMatch result;
    // HEAD is answered by the GET route when there is no explicit HEAD route.
    int getRoute = -1;
    for (const auto &[method, id] : pattern.methods) {
        if (method == request.method) {
            result.kind = RouteMatch::Kind::Found;
            result.routeId = id;
            break;
        }
        if (method == Method::Get)
            getRoute = id;
    }
    if (result.kind != RouteMatch::Kind::Found && request.method == Method::Head && getRoute >= 0) {
        result.kind = RouteMatch::Kind::Found;
        result.routeId = getRoute;
    }
    if (result.kind != RouteMatch::Kind::Found) {
        QByteArray allow;
        for (const auto &[method, id] : pattern.methods) {
            if (!allow.isEmpty())
                allow += ", ";
            allow += methodName(method).toByteArray();
            if (method == Method::Get)
                allow += ", HEAD";
        }
        result.kind = RouteMatch::Kind::MethodNotAllowed;
        result.allow = allow;
        result.errorResponse = HttpResponse::error(405, QStringLiteral("Method Not Allowed"));
        result.errorResponse.addHeader("Allow", allow);
        return result;
    }
    request.routeId = result.routeId;
    for (PathParam &param : request.pathParams) {
        for (const Segment &segment : pattern.segments) {
            if (segment.isParam && segment.text == param.name && segment.isInt &&
                !parseInt(param.raw, param.intValue)) {
                result.kind = RouteMatch::Kind::InvalidParam;
                result.errorResponse = intParsingError(param.name, param.raw);
                return result;
            }
        }
    }
    return result;
}

RouteMatch Router::match(HttpRequest &request) const
{
    std::string_view path(request.path.data(), size_t(request.path.size()));
    if (auto it = m_literal.find(path); it != m_literal.end())
        return dispatch(m_patterns[it->second], request);

    const PathSegments segments = splitRequestPath(request.path);
    const auto &parts = segments.parts;
    for (size_t index : m_templated) {
        if (segments.tooMany)
            break;
        const Pattern &pattern = m_patterns[index];
        if (pattern.segments.size() != segments.count)
            continue;
        bool matches = true;
        for (size_t i = 0; i < segments.count && matches; ++i) {
            const Segment &segment = pattern.segments[i];
            matches = segment.isParam ? !parts[i].isEmpty() : parts[i] == QByteArrayView(segment.text);
        }
        if (!matches)
            continue;
        request.pathParams.clear();
        for (size_t i = 0; i < segments.count; ++i) {
            if (pattern.segments[i].isParam)
                request.pathParams.push_back({pattern.segments[i].text, parts[i], 0});
        }
        return dispatch(pattern, request);
    }
    RouteMatch notFound;
    notFound.errorResponse = HttpResponse::error(404, QStringLiteral("Not Found"));
    return notFound;
}

} // namespace perflab::http
