// See PreparedRequest.h.
#include "engine/load/PreparedRequest.h"

#include <algorithm>

namespace perflab::load {

namespace {
bool hasHeader(const RequestSpec &spec, QByteArrayView name)
{
    return std::any_of(spec.headers.begin(), spec.headers.end(), [name](const auto &header) {
        return QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}
} // namespace

QByteArrayView PreparedRequest::bytes(QByteArray &buffer, std::mt19937_64 &rng) const
{
    if (!path)
        return staticBytes;
    const qsizetype longest = prefix.size() + path->maxExpandedSize() + suffix.size();
    if (buffer.capacity() < longest)
        buffer.reserve(longest); // once per connection: expansions never allocate after it
    buffer.truncate(0);          // keeps the capacity
    buffer.append(prefix);
    path->expandInto(buffer, rng);
    buffer.append(suffix);
    return buffer;
}

std::variant<RequestMix, QString> RequestMix::prepare(const HttpTarget &target,
                                                      const std::vector<RequestSpec> &specs)
{
    if (specs.empty())
        return QStringLiteral("the request mix is empty");
    RequestMix mix;
    double total = 0;
    for (const RequestSpec &spec : specs) {
        if (!(spec.weight > 0))
            return QStringLiteral("request '%1': expected a weight > 0").arg(spec.name());
        if (spec.method.isEmpty() || spec.method.contains(' '))
            return QStringLiteral("request '%1': expected an HTTP method").arg(spec.name());
        if (!spec.path.startsWith(QLatin1Char('/')))
            return QStringLiteral("request '%1': expected a path starting with '/'").arg(spec.name());
        auto parsed = PathTemplate::parse(spec.path);
        if (auto *error = std::get_if<QString>(&parsed))
            return *error;
        PathTemplate path = std::get<PathTemplate>(std::move(parsed));

        PreparedRequest prepared;
        prepared.route = spec.name();
        prepared.head = spec.method == "HEAD";
        prepared.prefix = spec.method + ' ' + target.basePath.toUtf8();
        QByteArray suffix = " HTTP/1.1\r\n";
        if (!hasHeader(spec, "host"))
            suffix += "Host: " + target.hostHeader() + "\r\n";
        for (const auto &[name, value] : spec.headers)
            suffix += name + ": " + value + "\r\n";
        const bool methodWithBody = spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
        if ((!spec.body.isEmpty() || methodWithBody) && !hasHeader(spec, "content-length"))
            suffix += "Content-Length: " + QByteArray::number(spec.body.size()) + "\r\n";
        suffix += "\r\n" + spec.body;
        if (path.isStatic()) {
            std::mt19937_64 unused;
            QByteArray staticPath;
            path.expandInto(staticPath, unused);
            prepared.staticBytes = prepared.prefix + staticPath + suffix;
        } else {
            prepared.suffix = suffix;
            prepared.path = std::move(path);
        }
        mix.m_entries.push_back(std::move(prepared));
        total += spec.weight;
        mix.m_cumulativeWeights.push_back(total);
    }
    return mix;
}

int RequestMix::pick(std::mt19937_64 &rng) const
{
    if (m_entries.size() == 1)
        return 0;
    const double total = m_cumulativeWeights.back();
    const double x = std::uniform_real_distribution<double>(0.0, total)(rng);
    const auto it = std::upper_bound(m_cumulativeWeights.begin(), m_cumulativeWeights.end(), x);
    return int(
        std::min<std::ptrdiff_t>(it - m_cumulativeWeights.begin(), std::ptrdiff_t(m_entries.size()) - 1));
}

} // namespace perflab::load
