// UslFit: the Universal Scalability Law fitted to a closed-loop concurrency sweep,
//   X(N) = λ N / (1 + σ (N - 1) + κ N (N - 1)),
// throughput X at concurrency N; λ the throughput of one client alone (no contention), σ the
// share of work that serialises (contention: queueing for a shared resource), κ the cost of
// keeping N workers coherent with each other (crosstalk: it grows with N², and past a peak
// throughput falls as concurrency rises).
//
// Fitted by least squares on N / X(N) rather than on X: with no think time N / X(N) is the
// mean response time R(N) (Little's law), and R(N) = (1 + σ (N - 1) + κ N (N - 1)) / λ is
// linear in a = 1/λ, b = σ/λ, c = κ/λ, so three normal equations give the fit directly,
// without iterations or starting values. (Least squares on R weights each point by the
// response time it measured, the quantity the load generator times directly.)
//
// The peak: when κ > 0 and σ < 1, dX/dN = 0 at N* = sqrt((1 - σ) / κ), X(N*) the most the
// service can give; with κ <= 0 there is none within the model (X levels off towards λ / σ).
#pragma once

#include <optional>
#include <vector>

namespace perflab::knee {

struct UslPoint
{
    double concurrency = 0; // N >= 1
    double throughput = 0;  // X(N) > 0, responses per second
};

struct UslFit
{
    double lambda = 0;                     // req/s of one client alone
    double sigma = 0;                      // contention
    double kappa = 0;                      // coherency
    double rSquared = 0;                   // of the fitted X against the measured X
    std::optional<double> peakConcurrency; // N*, when κ > 0 and σ < 1
    std::optional<double> peakThroughput;  // X(N*)

    double throughputAt(double concurrency) const;
};

// nullopt with fewer than three distinct concurrencies of positive throughput, or when the
// normal equations are singular, or the fitted λ is not positive.
std::optional<UslFit> fitUsl(const std::vector<UslPoint> &points);

} // namespace perflab::knee
