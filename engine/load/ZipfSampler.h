// ZipfSampler: Zipf-distributed ranks 1..n (P(k) proportional to 1/k^s) in O(1) memory and
// O(1) expected time, for the {zipf:a..b} path generator (PathTemplate.h).
//
// The algorithm is rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-inversion to
// generate variates from monotone discrete distributions", 1996), as implemented by Apache
// Commons Math's ZipfDistribution.ZipfRejectionInversionSampler / Commons RNG's
// RejectionInversionZipfSampler: it inverts the integral of a continuous hat function and
// accepts almost every draw (k = 1 and k = 2 are always accepted), so no table of n
// probabilities is needed and n may be 1e9 or more (exact while n < 2^53).
#pragma once

#include <cstdint>
#include <random>

namespace perflab::load {

class ZipfSampler
{
public:
    // n >= 1 elements, exponent s > 0 (PathTemplate uses 1.1).
    ZipfSampler(std::int64_t n, double exponent);

    // A rank in [1, n]; 1 is the most frequent. Const and lock-free: the state is the rng's.
    std::int64_t sample(std::mt19937_64 &rng) const;

    std::int64_t size() const { return m_n; }
    double exponent() const { return m_exponent; }

private:
    double h(double x) const;         // 1 / x^s
    double hIntegral(double x) const; // H(x) = (x^(1-s) - 1) / (1 - s), log x for s = 1
    double hIntegralInverse(double x) const;

    std::int64_t m_n;
    double m_exponent;
    double m_hIntegralX1; // H(1.5) - 1
    double m_hIntegralN;  // H(n + 0.5)
    double m_s;           // the squeeze: k - x <= s accepts without evaluating H
};

} // namespace perflab::load
