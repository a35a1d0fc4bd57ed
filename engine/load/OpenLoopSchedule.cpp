// See OpenLoopSchedule.h.
#include "engine/load/OpenLoopSchedule.h"

#include <algorithm>
#include <cmath>

namespace perflab::load {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}

double OpenLoopSchedule::Piece::count() const
{
    if (std::isinf(durationS))
        return (rate0 > 0 || rate1 > 0) ? kInfinity : 0.0;
    return (rate0 + rate1) / 2.0 * durationS;
}

double OpenLoopSchedule::Piece::countAt(double tS) const
{
    if (std::isinf(durationS) || rate0 == rate1)
        return rate0 * tS;
    const double t = std::min(tS, durationS);
    return rate0 * t + (rate1 - rate0) * t * t / (2.0 * durationS);
}

double OpenLoopSchedule::Piece::timeFor(double n) const
{
    if (std::isinf(durationS) || rate0 == rate1)
        return n / rate0;
    // r0 t + a t^2 = n with a = (r1 - r0) / 2D. t = 2n / (r0 + sqrt(r0^2 + 4an)) is the
    // positive root without the cancellation of (-r0 + sqrt(..)) / 2a when a is small.
    const double a = (rate1 - rate0) / (2.0 * durationS);
    const double disc = std::max(0.0, rate0 * rate0 + 4.0 * a * n);
    const double denominator = rate0 + std::sqrt(disc);
    return denominator > 0 ? 2.0 * n / denominator : 0.0;
}

void OpenLoopSchedule::setModel(const LoadModel &model, std::int64_t atNs)
{
    // Cut the current schedule at atNs: what was intended before stays.
    const double base = m_pieces.empty() ? 0.0 : countBefore(atNs);
    while (!m_pieces.empty() && m_pieces.back().startNs >= atNs)
        m_pieces.pop_back();
    if (!m_pieces.empty()) {
        Piece &last = m_pieces.back();
        const double elapsedS = double(atNs - last.startNs) / 1e9;
        if (elapsedS < last.durationS) {
            // A ramp cut short ends at the rate it had reached.
            if (!std::isinf(last.durationS))
                last.rate1 = last.rate0 + (last.rate1 - last.rate0) * elapsedS / last.durationS;
            last.durationS = elapsedS;
        }
    }

    std::int64_t start = atNs;
    double count = base;
    auto append = [&](double durationS, double r0, double r1) {
        Piece piece{start, durationS, std::max(0.0, r0), std::max(0.0, r1), count};
        m_pieces.push_back(piece);
        if (!std::isinf(durationS)) {
            count += piece.count();
            start += std::int64_t(std::llround(durationS * 1e9));
        }
    };
    switch (model.kind) {
    case LoadModelKind::Closed:
        append(kInfinity, 0, 0);
        break;
    case LoadModelKind::Open:
        append(kInfinity, model.rate, model.rate);
        break;
    case LoadModelKind::Stages: {
        double previous = 0;
        for (const Stage &stage : model.stages) {
            if (stage.durationS > 0)
                append(stage.durationS, previous, stage.rate);
            previous = stage.rate;
        }
        append(kInfinity, previous, previous); // the last stage's rate holds (LoadModel::rateAt)
        break;
    }
    }
}

double OpenLoopSchedule::countBefore(std::int64_t ns) const
{
    for (auto it = m_pieces.rbegin(); it != m_pieces.rend(); ++it) {
        if (ns >= it->startNs)
            return it->baseCount + it->countAt(double(ns - it->startNs) / 1e9);
    }
    return m_pieces.empty() ? 0.0 : m_pieces.front().baseCount;
}

std::int64_t OpenLoopSchedule::intendedNs(std::uint64_t index) const
{
    const double x = double(index);
    // Usually the last piece: search from the end.
    for (auto it = m_pieces.rbegin(); it != m_pieces.rend(); ++it) {
        if (x < it->baseCount && it + 1 != m_pieces.rend())
            continue;
        const double n = std::max(0.0, x - it->baseCount);
        if (n >= it->count())
            return kNever; // past a finite piece with nothing after, or a zero-rate tail
        if (std::isinf(it->durationS) || it->rate0 == it->rate1) {
            // Constant rate: n * 1e9 / r is exact for integer n and "round" rates.
            return it->startNs + std::int64_t(std::llround(n * 1e9 / it->rate0));
        }
        return it->startNs + std::int64_t(std::llround(it->timeFor(n) * 1e9));
    }
    return kNever;
}

void OpenLoopSchedule::dropBefore(std::uint64_t index)
{
    const double x = double(index);
    std::size_t drop = 0;
    while (drop + 1 < m_pieces.size() && m_pieces[drop + 1].baseCount <= x)
        ++drop;
    if (drop > 0)
        m_pieces.erase(m_pieces.begin(), m_pieces.begin() + std::ptrdiff_t(drop));
}

} // namespace perflab::load
