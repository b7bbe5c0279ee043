// Intervals for timing comparisons: Hodges-Lehmann estimates with distribution-free 95% confidence intervals.
//
// A verdict is a ratio with an interval. Contenders timed in the same rounds
// are compared by their per-round ratios (paired: the machine's slow
// stretches hit both alike); rows from different processes by all their
// samples (unpaired). Both work on log times, so a ratio's interval is the
// exponential of a shift's, and both are rank-based: one wild sample moves
// the interval by at most one rank, never decides it. The same code serves
// the suite (when to stop sampling), the report (verdicts) and the Python
// harness (through the C interface).
#ifndef RELU_STATS_STATS_H_
#define RELU_STATS_STATS_H_

#include <cstddef>
#include <vector>

namespace relu::stats {

inline constexpr double kConfidence = 0.95;

struct Interval {
  double estimate = 0;  // the point estimate (a ratio, or a time)
  double lo = 0, hi = 0;
  size_t n = 0;        // samples (pairs) it rests on
  bool valid = false;  // false below the smallest n that can give a 95% CI
  // The larger of hi / estimate and estimate / lo, minus one: the interval's
  // relative half-width (0.02 means +-2%).
  double RelativeHalfWidth() const;
};

// Paired ratio a / b from per-round samples a[i], b[i] (same length, all
// positive): Hodges-Lehmann estimate of the median of log(a[i] / b[i]) and
// the Wilcoxon signed-rank confidence interval (exact up to 400 pairs, then
// the normal approximation), exponentiated.
Interval PairedRatio(const std::vector<double>& a, const std::vector<double>& b,
                     double confidence = kConfidence);

// The same for already formed per-round ratios.
Interval RatioOfRatios(const std::vector<double>& ratios,
                       double confidence = kConfidence);

// Unpaired ratio of typical values of a and b (samples of two processes):
// Hodges-Lehmann shift of log a against log b and the Mann-Whitney
// confidence interval (exact while both have at most 100 samples).
Interval UnpairedRatio(const std::vector<double>& a,
                       const std::vector<double>& b,
                       double confidence = kConfidence);

// The median of x with its distribution-free interval from order statistics
// (binomial).
Interval Median(std::vector<double> x, double confidence = kConfidence);

// Samples outside Tukey's fences (1.5 interquartile ranges beyond the
// quartiles) of log x: shown beside a row, never used to drop it.
size_t CountOutliers(const std::vector<double>& x);

enum class Verdict { kBelow, kAbove, kTie, kUnknown };
// Where an interval lies against a line (1.0 for "faster or slower", 0.95
// for "at least 95% of the copy"): entirely below, entirely above, or a tie
// when it contains the line. kUnknown for an invalid interval.
Verdict Against(const Interval& interval, double line = 1.0);

// The exact null distribution of the Wilcoxon signed-rank statistic T+ for n
// pairs: P(T+ <= t) for t = 0 .. n(n+1)/2. Exposed for tests.
std::vector<double> SignedRankCdf(size_t n);
// The exact null distribution of the Mann-Whitney U for sizes m, n:
// P(U <= u) for u = 0 .. m*n. Exposed for tests.
std::vector<double> MannWhitneyCdf(size_t m, size_t n);

}  // namespace relu::stats

#endif  // RELU_STATS_STATS_H_
