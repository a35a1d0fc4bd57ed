// PathTemplate: a request path with generators (a scenario's "path"), parsed once, expanded per
// request.
//
//   /users/{uniform:1..10000}   uniform integer in [1, 10000]
//   /users/{zipf:1..10000}      Zipf-distributed rank in [1, 10000], s = 1.1 (1 the most often)
//   /items/{seq:1..500}         1, 2, ..., 500, 1, ... shared by every connection of a run
//
// Several generators may appear in one path, anywhere (query strings included). Expansion
// allocates nothing when the caller's buffer has room (the hot path of the load generator):
// reuse one buffer with out.truncate(0) (QByteArray::clear() would drop its capacity).
//
// Bounds are integers from -10^15 to 10^15 (so every range size is exact in a double, which
// the Zipf sampler computes in). Text outside the braces is copied as it is; a '}' without
// '{' is literal. Spaces and control characters are rejected: they would break the request
// line (percent-encode them, e.g. %20).
#pragma once

#include "engine/load/ZipfSampler.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <variant>
#include <vector>

namespace perflab::load {

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
    // The longest expansion (every generator at its widest number): reserve this much once
    // and expandInto() never allocates.
    qsizetype maxExpandedSize() const;

private:
    enum class Generator { Literal, Uniform, Zipf, Seq };
    // Defined here (not only in the .cpp) so that the implicit copy and destructor of
    // PathTemplate can be generated wherever a template is copied.
    struct Part
    {
        Generator generator = Generator::Literal;
        QByteArray literal;   // Literal
        std::int64_t low = 0; // the generators' inclusive range
        std::int64_t high = 0;
        std::optional<ZipfSampler> zipf; // Zipf: ranks 1..high-low+1
        std::size_t sequence = 0;        // Seq: index into m_sequences
    };
    std::vector<Part> m_parts;
    // {seq} counters are shared by copies (all connections of a run walk one sequence).
    std::vector<std::shared_ptr<std::atomic<std::uint64_t>>> m_sequences;
};

} // namespace perflab::load
