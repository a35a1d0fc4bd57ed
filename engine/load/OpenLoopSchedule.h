// OpenLoopSchedule: the intended send times of an open-loop load run, as pure arithmetic (no
// sockets, no clock), so that the coordinated-omission bookkeeping can be tested exactly.
//
// The rate over time is a list of pieces, each a linear ramp r0 -> r1 over its duration (a
// constant rate is a ramp with r0 == r1; the last piece lasts for ever). N(t), the number of
// requests intended before t, integrates the rate; request j (counted from 0 over every client
// thread) is intended at the t where N(t) = j. A constant rate thus gives start + j / rate
// exactly; a ramp solves the quadratic r0 t + (r1 - r0) t^2 / 2D = n (in a form that stays
// exact as r1 -> r0).
//
// Client thread i of T sends requests i, i + T, i + 2T, ...: together they make the one
// global schedule, and no two threads send at the same instant.
//
// setModel() at time t keeps everything intended before t (requests already waiting keep
// their intended times) and continues from N(t) with the new model's rate, from t.
#pragma once

#include "engine/load/LoadPlan.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace perflab::load {

class OpenLoopSchedule
{
public:
    static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

    // Open: `rate` from `atNs` on. Stages: the stages from `atNs`, then the last stage's rate
    // holds (as LoadModel::rateAt). Closed: rate 0.
    void setModel(const LoadModel &model, std::int64_t atNs);

    // When request `index` is intended (ns on the caller's clock), kNever if the rate stays 0.
    std::int64_t intendedNs(std::uint64_t index) const;
    // Requests intended before `ns` (fractional: the integral of the rate).
    double countBefore(std::int64_t ns) const;
    // Forgets the pieces that end before request `index` (callers past them never look back).
    void dropBefore(std::uint64_t index);
    bool isEmpty() const { return m_pieces.empty(); }

private:
    struct Piece
    {
        std::int64_t startNs = 0;
        double durationS = 0; // +inf for the last
        double rate0 = 0;
        double rate1 = 0;
        double baseCount = 0;            // N at startNs
        double count() const;            // requests intended within the piece
        double countAt(double tS) const; // within the piece, tS from its start
        double timeFor(double n) const;  // inverse of countAt
    };

    std::vector<Piece> m_pieces;
};

} // namespace perflab::load
