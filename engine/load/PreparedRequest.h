// PreparedRequest: one request-mix entry turned into wire bytes once, before the run.
//
// A static path gives the complete request once (`staticBytes`, shared read-only by every
// client thread); a templated one keeps the bytes before and after the path, and each send
// expands the path between them into the connection's own reused buffer (no allocation once
// that buffer has grown). RequestMix picks entries by weight from precomputed cumulative
// weights with the client thread's own generator.
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/load/PathTemplate.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <random>
#include <variant>
#include <vector>

namespace perflab::load {

struct PreparedRequest
{
    QString route; // RequestSpec::name()
    bool head = false;
    QByteArray staticBytes; // the whole request, when the path is static
    QByteArray prefix;      // "GET /base" when templated
    QByteArray suffix;      // " HTTP/1.1\r\nHost: ...\r\n\r\n" + body
    std::optional<PathTemplate> path;

    bool isStatic() const { return !path.has_value(); }
    // The request bytes: staticBytes, or prefix + expansion + suffix written into `buffer`.
    QByteArrayView bytes(QByteArray &buffer, std::mt19937_64 &rng) const;
};

class RequestMix
{
public:
    // An error names the entry that is wrong.
    static std::variant<RequestMix, QString> prepare(const HttpTarget &target,
                                                     const std::vector<RequestSpec> &specs);

    int size() const { return int(m_entries.size()); }
    const PreparedRequest &entry(int i) const { return m_entries[std::size_t(i)]; }
    int pick(std::mt19937_64 &rng) const;

private:
    std::vector<PreparedRequest> m_entries;
    std::vector<double> m_cumulativeWeights;
};

} // namespace perflab::load
