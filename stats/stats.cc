// Hodges-Lehmann estimates with Wilcoxon and Mann-Whitney intervals (see
// stats.h).
#include "stats/stats.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace relu::stats {
namespace {

// Exact distributions up to these sizes; the normal approximation beyond
// (which is within a rank of the exact bound there).
constexpr size_t kExactPairs = 400;
// Above this many pairs the Walsh averages are not listed (n^2 / 2 of them).
constexpr size_t kDirectPairs = 1500;
constexpr size_t kExactTwoSample = 100;

// The standard normal quantile (Acklam's rational approximation, relative
// error below 1.2e-9).
double NormalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  const double low = 0.02425, high = 1 - low;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
            c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > high) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
         q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The largest c with cdf[c] <= tail, or -1 when even cdf[0] exceeds it.
long LargestBelow(const std::vector<double>& cdf, double tail) {
  long c = -1;
  // A relative slack: the CDF is a sum of probabilities and may carry
  // rounding of a few ulps at exactly tail.
  const double limit = tail * (1 + 1e-12);
  for (size_t i = 0; i < cdf.size() && cdf[i] <= limit; ++i) c = long(i);
  return c;
}

// The k-th smallest (0-based) of v, which it reorders.
double KthSmallest(std::vector<double>& v, size_t k) {
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

double Log(double x) {
  if (!(x > 0) || !std::isfinite(x)) {
    throw std::invalid_argument(
        "relu::stats: a sample is not a positive, finite time");
  }
  return std::log(x);
}

// The smallest t in [lo, hi] with count_at_most(t) > k, to the last double:
// bisection on the value (about 64 steps per octave of the range), since
// count_at_most(hi) > k and the count only grows with t.
template <typename Count>
double Bisect(double lo, double hi, size_t k, const Count& count_at_most) {
  for (int step = 0; step < 2000; ++step) {
    const double mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break;
    if (count_at_most(mid) > k) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return count_at_most(lo) > k ? lo : hi;
}

// The k-th smallest (0-based) of the n(n+1)/2 Walsh averages (d[i] + d[j])
// / 2, i <= j, of sorted d, without materialising them: bisection on the
// value, each step counting the averages at or below it in O(n) with two
// pointers. Memory O(n), so a probe's tens of thousands of rounds fit.
double KthWalsh(const std::vector<double>& sorted, size_t k) {
  const size_t n = sorted.size();
  auto count_at_most = [&](double t) {
    size_t count = 0;
    size_t j = n;  // one past the largest j with sorted[i] + sorted[j] <= 2t
    for (size_t i = 0; i < n; ++i) {
      while (j > i && sorted[i] + sorted[j - 1] > 2 * t) --j;
      if (j <= i) break;
      count += j - i;
    }
    return count;
  };
  return Bisect(sorted.front(), sorted.back(), k, count_at_most);
}

// The k-th smallest (0-based) of the differences x[i] - y[j] of sorted x
// and y, by the same bisection: O(m + n) per count.
double KthDifference(const std::vector<double>& x, const std::vector<double>& y,
                     size_t k) {
  auto count_at_most = [&](double t) {
    // For ascending x[i], the y with x[i] - y <= t are a suffix y[j..]
    // whose start j only moves right.
    size_t count = 0, j = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      while (j < y.size() && x[i] - y[j] > t) ++j;
      count += y.size() - j;
    }
    return count;
  };
  return Bisect(x.front() - y.back(), x.back() - y.front(), k, count_at_most);
}

// Hodges-Lehmann and Wilcoxon interval for the location of d (log ratios).
Interval SignedRank(const std::vector<double>& d, double confidence) {
  Interval out;
  const size_t n = d.size();
  out.n = n;
  if (n == 0) return out;
  const size_t m = n * (n + 1) / 2;
  // Up to kDirectPairs the Walsh averages are listed (exact, what the tests
  // compare with scipy); above, found by bisection in O(n) memory.
  std::vector<double> w, sorted;
  std::function<double(size_t)> kth;
  if (n <= kDirectPairs) {
    w.reserve(m);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i; j < n; ++j) w.push_back((d[i] + d[j]) / 2);
    }
    kth = [&w](size_t k) { return KthSmallest(w, k); };
  } else {
    sorted = d;
    std::sort(sorted.begin(), sorted.end());
    kth = [&sorted](size_t k) { return KthWalsh(sorted, k); };
  }
  const double median =
      m % 2 == 1 ? kth(m / 2) : (kth(m / 2 - 1) + kth(m / 2)) / 2;
  out.estimate = std::exp(median);
  const double tail = (1 - confidence) / 2;
  long c;
  if (n <= kExactPairs) {
    c = LargestBelow(SignedRankCdf(n), tail);
  } else {
    const double sigma = std::sqrt(double(n) * (n + 1) * (2 * n + 1) / 24.0);
    c = long(std::floor(double(m) / 2 - 0.5 + NormalQuantile(tail) * sigma));
  }
  if (c < 0) return out;  // too few pairs for this confidence
  // T+ counts the Walsh averages above the shift, so the shifts the test
  // does not reject lie between the (c+1)-th smallest and largest.
  out.lo = std::exp(kth(size_t(c)));
  out.hi = std::exp(kth(m - 1 - size_t(c)));
  out.valid = true;
  return out;
}

}  // namespace

double Interval::RelativeHalfWidth() const {
  if (!valid || !(estimate > 0) || !(lo > 0)) {
    return std::numeric_limits<double>::infinity();
  }
  return std::max(hi / estimate, estimate / lo) - 1;
}

std::vector<double> SignedRankCdf(size_t n) {
  const size_t m = n * (n + 1) / 2;
  std::vector<double> p(m + 1, 0.0);
  p[0] = 1;
  size_t top = 0;
  for (size_t i = 1; i <= n; ++i) {
    top += i;
    // Rank i is positive or negative with probability 1/2 each.
    for (size_t t = top; t >= i; --t) p[t] = 0.5 * (p[t] + p[t - i]);
    for (size_t t = std::min(i, top + 1); t-- > 0;) p[t] *= 0.5;
  }
  for (size_t t = 1; t <= m; ++t) p[t] += p[t - 1];
  return p;
}

std::vector<double> MannWhitneyCdf(size_t m, size_t n) {
  // Counts N(i, j, u) of arrangements of i x's and j y's with U = u, by
  // N(i, j, u) = N(i - 1, j, u - j) + N(i, j - 1, u): all additions of
  // positive numbers, so doubles keep their relative precision.
  std::vector<std::vector<double>> prev(m + 1), cur(m + 1);
  for (size_t i = 0; i <= m; ++i) prev[i] = {1.0};  // j = 0: U = 0 only
  for (size_t j = 1; j <= n; ++j) {
    cur[0] = {1.0};
    for (size_t i = 1; i <= m; ++i) {
      std::vector<double>& c = cur[i];
      c.assign(i * j + 1, 0.0);
      const std::vector<double>& left = cur[i - 1];  // N(i - 1, j, .)
      const std::vector<double>& up = prev[i];       // N(i, j - 1, .)
      for (size_t u = 0; u < left.size(); ++u) c[u + j] += left[u];
      for (size_t u = 0; u < up.size(); ++u) c[u] += up[u];
    }
    std::swap(prev, cur);
  }
  std::vector<double> cdf = prev[m];
  double total = 0;
  for (double v : cdf) total += v;
  double sum = 0;
  for (double& v : cdf) {
    sum += v;
    v = sum / total;
  }
  return cdf;
}

Interval RatioOfRatios(const std::vector<double>& ratios, double confidence) {
  std::vector<double> d;
  d.reserve(ratios.size());
  for (double r : ratios) d.push_back(Log(r));
  return SignedRank(d, confidence);
}

Interval PairedRatio(const std::vector<double>& a, const std::vector<double>& b,
                     double confidence) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("relu::stats: paired samples differ in length");
  }
  std::vector<double> d(a.size());
  for (size_t i = 0; i < a.size(); ++i) d[i] = Log(a[i]) - Log(b[i]);
  return SignedRank(d, confidence);
}

Interval UnpairedRatio(const std::vector<double>& a,
                       const std::vector<double>& b, double confidence) {
  Interval out;
  const size_t m = a.size(), n = b.size();
  out.n = std::min(m, n);
  if (m == 0 || n == 0) return out;
  std::vector<double> la, lb;
  for (double x : a) la.push_back(Log(x));
  for (double y : b) lb.push_back(Log(y));
  const size_t total = m * n;
  // Up to kDirectDiffs the differences are listed; above, the k-th is found
  // by bisection in O(m + n) memory, as KthWalsh does for one sample.
  std::vector<double> w;
  std::function<double(size_t)> kth;
  if (total <= kDirectPairs * kDirectPairs / 2) {
    w.reserve(total);
    for (double x : la) {
      for (double y : lb) w.push_back(x - y);
    }
    kth = [&w](size_t k) { return KthSmallest(w, k); };
  } else {
    std::sort(la.begin(), la.end());
    std::sort(lb.begin(), lb.end());
    kth = [&la, &lb](size_t k) { return KthDifference(la, lb, k); };
  }
  const double median = total % 2 == 1
                            ? kth(total / 2)
                            : (kth(total / 2 - 1) + kth(total / 2)) / 2;
  out.estimate = std::exp(median);
  const double tail = (1 - confidence) / 2;
  long c;
  if (m <= kExactTwoSample && n <= kExactTwoSample) {
    c = LargestBelow(MannWhitneyCdf(m, n), tail);
  } else {
    const double sigma = std::sqrt(double(m) * n * (m + n + 1) / 12.0);
    c = long(
        std::floor(double(total) / 2 - 0.5 + NormalQuantile(tail) * sigma));
  }
  if (c < 0) return out;
  out.lo = std::exp(kth(size_t(c)));
  out.hi = std::exp(kth(total - 1 - size_t(c)));
  out.valid = true;
  return out;
}

Interval Median(std::vector<double> x, double confidence) {
  Interval out;
  const size_t n = x.size();
  out.n = n;
  if (n == 0) return out;
  std::sort(x.begin(), x.end());
  out.estimate = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
  // P(Binomial(n, 1/2) <= j), from log-factorials so large n cannot
  // underflow.
  const double tail = (1 - confidence) / 2;
  double cdf = 0;
  long j = -1;
  for (size_t k = 0; k < n; ++k) {
    cdf += std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) -
                    std::lgamma(double(n - k) + 1) - double(n) * std::log(2.0));
    if (cdf > tail * (1 + 1e-12)) break;
    j = long(k);
  }
  if (j < 0) return out;
  // The median lies below x_(j+1) with probability P(B <= j) and above
  // x_(n-j) likewise (1-based order statistics).
  out.lo = x[size_t(j)];
  out.hi = x[n - 1 - size_t(j)];
  out.valid = true;
  return out;
}

size_t CountOutliers(const std::vector<double>& x) {
  if (x.size() < 4) return 0;
  std::vector<double> l;
  for (double v : x) l.push_back(Log(v));
  std::sort(l.begin(), l.end());
  auto quantile = [&](double q) {  // linear interpolation, as NumPy's default
    const double pos = q * double(l.size() - 1);
    const size_t i = size_t(pos);
    const double f = pos - double(i);
    return i + 1 < l.size() ? l[i] + f * (l[i + 1] - l[i]) : l[i];
  };
  const double q1 = quantile(0.25), q3 = quantile(0.75), iqr = q3 - q1;
  size_t count = 0;
  for (double v : l) count += (v < q1 - 1.5 * iqr || v > q3 + 1.5 * iqr);
  return count;
}

Verdict Against(const Interval& interval, double line) {
  if (!interval.valid) return Verdict::kUnknown;
  if (interval.hi < line) return Verdict::kBelow;
  if (interval.lo > line) return Verdict::kAbove;
  return Verdict::kTie;
}

}  // namespace relu::stats
