// See UslFit.h.
#include "engine/knee/UslFit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace perflab::knee {

namespace {

using Matrix3 = std::array<std::array<double, 3>, 3>;

double determinant(const Matrix3 &m)
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

// Cramer's rule: three unknowns, and a singular system says so through the determinant.
std::optional<std::array<double, 3>> solve(const Matrix3 &m, const std::array<double, 3> &rhs)
{
    const double det = determinant(m);
    double scale = 0;
    for (const auto &row : m)
        for (double v : row)
            scale = std::max(scale, std::abs(v));
    if (!(std::abs(det) > 1e-10 * scale * scale * scale))
        return std::nullopt;
    std::array<double, 3> x{};
    for (int col = 0; col < 3; ++col) {
        Matrix3 replaced = m;
        for (int row = 0; row < 3; ++row)
            replaced[std::size_t(row)][std::size_t(col)] = rhs[std::size_t(row)];
        x[std::size_t(col)] = determinant(replaced) / det;
    }
    return x;
}

} // namespace

double UslFit::throughputAt(double n) const
{
    const double denominator = 1 + sigma * (n - 1) + kappa * n * (n - 1);
    return denominator > 0 ? lambda * n / denominator : 0;
}

std::optional<UslFit> fitUsl(const std::vector<UslPoint> &points)
{
    std::vector<UslPoint> kept;
    std::set<double> distinct;
    double maxN = 1;
    for (const UslPoint &p : points) {
        if (!(p.throughput > 0) || !(p.concurrency >= 1) || !std::isfinite(p.throughput + p.concurrency))
            continue;
        kept.push_back(p);
        distinct.insert(p.concurrency);
        maxN = std::max(maxN, p.concurrency);
    }
    if (distinct.size() < 3)
        return std::nullopt;
    // Columns scaled to at most 1, so that the normal equations stay well conditioned for any
    // range of N (N (N - 1) at N = 64 is 4032, squared 1.6e7 beside the 1s of the first column).
    const std::array<double, 3> scale{1.0, maxN - 1, maxN * (maxN - 1)};
    Matrix3 normal{};
    std::array<double, 3> rhs{};
    for (const UslPoint &p : kept) {
        const double n = p.concurrency;
        const std::array<double, 3> row{1.0, (n - 1) / scale[1], n * (n - 1) / scale[2]};
        const double responseTime = n / p.throughput;
        for (std::size_t i = 0; i < 3; ++i) {
            for (std::size_t j = 0; j < 3; ++j)
                normal[i][j] += row[i] * row[j];
            rhs[i] += row[i] * responseTime;
        }
    }
    const auto solution = solve(normal, rhs);
    if (!solution)
        return std::nullopt;
    const double a = (*solution)[0];
    const double b = (*solution)[1] / scale[1];
    const double c = (*solution)[2] / scale[2];
    if (!(a > 0))
        return std::nullopt;
    UslFit fit;
    fit.lambda = 1 / a;
    fit.sigma = b / a;
    fit.kappa = c / a;
    if (fit.kappa > 0 && fit.sigma < 1) {
        const double peak = std::sqrt((1 - fit.sigma) / fit.kappa);
        fit.peakConcurrency = peak;
        fit.peakThroughput = fit.throughputAt(peak);
    }
    double mean = 0;
    for (const UslPoint &p : kept)
        mean += p.throughput;
    mean /= double(kept.size());
    double residual = 0, total = 0;
    for (const UslPoint &p : kept) {
        residual += std::pow(p.throughput - fit.throughputAt(p.concurrency), 2);
        total += std::pow(p.throughput - mean, 2);
    }
    fit.rSquared = total > 0 ? 1 - residual / total : 1;
    return fit;
}

} // namespace perflab::knee
