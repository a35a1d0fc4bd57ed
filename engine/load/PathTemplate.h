// PathTemplate: a request path with generators (SPEC §6), parsed once, expanded per request.
//
//   /users/{uniform:1..10000}   uniform integer in [1, 10000]
//   /users/{zipf:1..10000}      Zipf-distributed rank in [1, 10000], s = 1.1 (1 the most often)
//   /items/{seq:1..500}         1, 2, ..., 500, 1, ... shared by every connection of a run
//
// Several generators may appear in one path, anywhere (query strings included). Expansion
// allocates nothing when the caller's buffer has room (the hot path of the load generator).
#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <variant>
#include <vector>

namespace perflab::load {

class ZipfSampler; // rejection-inversion sampling (Hörmann & Derflinger), O(1) memory

class PathTemplate
{
public:
    // The error names the template and what was expected, e.g.
    // "path '/u/{zipf:9..1}': expected a..b with a <= b".
    static std::variant<PathTemplate, QString> parse(const QString &path);

    bool isStatic() const; // no generators: expand() always gives the same bytes
    // Appends the expanded path to `out`.
    void expandInto(QByteArray &out, std::mt19937_64 &rng) const;
    QByteArray expand(std::mt19937_64 &rng) const;

private:
    struct Part;
    std::vector<Part> m_parts;
    // {seq} counters are shared by copies (all connections of a run walk one sequence).
    std::vector<std::shared_ptr<std::atomic<std::uint64_t>>> m_sequences;
};

} // namespace perflab::load
