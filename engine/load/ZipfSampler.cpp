// Rejection-inversion Zipf sampling: a line-by-line port of Apache Commons Math 3.6's
// ZipfDistribution.ZipfRejectionInversionSampler (Apache License 2.0), with int64 ranks.
#include "engine/load/ZipfSampler.h"

#include <algorithm>
#include <cmath>

namespace perflab::load {

namespace {

// log1p(x) / x, continuous at 0 (a Taylor series near it avoids 0/0).
double helper1(double x)
{
    if (std::abs(x) > 1e-8)
        return std::log1p(x) / x;
    return 1.0 - x * (0.5 - x * (1.0 / 3.0 - x * 0.25));
}

// expm1(x) / x, continuous at 0.
double helper2(double x)
{
    if (std::abs(x) > 1e-8)
        return std::expm1(x) / x;
    return 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + x * 0.25));
}

// A double uniform in [0, 1) from the top 53 bits: the same on every standard library, unlike
// std::uniform_real_distribution, so seeded test figures do not depend on the platform.
double uniform01(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * 0x1.0p-53;
}

} // namespace

ZipfSampler::ZipfSampler(std::int64_t n, double exponent)
    : m_n(std::max<std::int64_t>(n, 1)), m_exponent(exponent)
{
    m_hIntegralX1 = hIntegral(1.5) - 1.0;
    m_hIntegralN = hIntegral(double(m_n) + 0.5);
    m_s = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
}

std::int64_t ZipfSampler::sample(std::mt19937_64 &rng) const
{
    for (;;) {
        // u is uniform in (hIntegralX1, hIntegralN].
        const double u = m_hIntegralN + uniform01(rng) * (m_hIntegralX1 - m_hIntegralN);
        const double x = hIntegralInverse(u);
        std::int64_t k = std::int64_t(x + 0.5);
        k = std::clamp<std::int64_t>(k, 1, m_n);
        // The first test (the squeeze) accepts most draws without another log/exp; the second
        // is the exact rejection test of the hat function.
        if (double(k) - x <= m_s || u >= hIntegral(double(k) + 0.5) - h(double(k)))
            return k;
    }
}

double ZipfSampler::h(double x) const
{
    return std::exp(-m_exponent * std::log(x));
}

double ZipfSampler::hIntegral(double x) const
{
    const double logX = std::log(x);
    return helper2((1.0 - m_exponent) * logX) * logX;
}

double ZipfSampler::hIntegralInverse(double x) const
{
    double t = x * (1.0 - m_exponent);
    // t may fall a hair below -1 through rounding; log1p would then give NaN.
    if (t < -1.0)
        t = -1.0;
    return std::exp(helper1(t) * x);
}

} // namespace perflab::load
