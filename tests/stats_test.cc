// The interval computations: exact null distributions, Hodges-Lehmann
// estimates, and verdicts that an outlier cannot flip.
//
// tests/python/test_py_bench.py (StatsAgainstScipyTest) checks the same
// functions against scipy.
#include "stats/stats.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace relu::stats {
namespace {

TEST(Stats, SignedRankCdfSmallCasesByHand) {
  // n = 3: the 8 sign patterns give T+ = 0,1,2,3,3,4,5,6.
  const std::vector<double> cdf = SignedRankCdf(3);
  ASSERT_EQ(cdf.size(), 7u);
  EXPECT_DOUBLE_EQ(cdf[0], 1.0 / 8);
  EXPECT_DOUBLE_EQ(cdf[2], 3.0 / 8);
  EXPECT_DOUBLE_EQ(cdf[3], 5.0 / 8);
  EXPECT_DOUBLE_EQ(cdf[6], 1.0);
}

TEST(Stats, MannWhitneyCdfSmallCasesByHand) {
  // m = n = 2: the 6 arrangements give U = 0,1,2,2,3,4.
  const std::vector<double> cdf = MannWhitneyCdf(2, 2);
  ASSERT_EQ(cdf.size(), 5u);
  EXPECT_DOUBLE_EQ(cdf[0], 1.0 / 6);
  EXPECT_DOUBLE_EQ(cdf[2], 4.0 / 6);
  EXPECT_DOUBLE_EQ(cdf[4], 1.0);
}

TEST(Stats, TooFewPairsGiveNoInterval) {
  // Five pairs cannot reach 95% (P(T+ = 0) = 1/32 > 2.5%); six can.
  const std::vector<double> five(5, 1.0), six(6, 1.0);
  EXPECT_FALSE(RatioOfRatios(five).valid);
  EXPECT_TRUE(RatioOfRatios(six).valid);
}

TEST(Stats, PairedRatioOfAConstantFactor) {
  std::vector<double> a, b;
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  for (int i = 0; i < 40; ++i) {
    const double t = 1e-3 * noise(rng);  // the machine's drift, shared
    b.push_back(t);
    a.push_back(1.25 * t);
  }
  const Interval r = PairedRatio(a, b);
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.estimate, 1.25, 1e-12);
  EXPECT_NEAR(r.lo, 1.25, 1e-12);
  EXPECT_NEAR(r.hi, 1.25, 1e-12);
  EXPECT_EQ(Against(r), Verdict::kAbove);
}

// Pairing is the point: drift that moves both contenders alike vanishes
// from the ratio, while comparing the same samples unpaired cannot resolve
// a 2% difference under 10% drift.
TEST(Stats, PairingRemovesSharedDrift) {
  std::vector<double> a, b;
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> drift(0.8, 1.2), jitter(0.995, 1.005);
  for (int i = 0; i < 30; ++i) {
    const double t = drift(rng);
    a.push_back(1.02 * t * jitter(rng));
    b.push_back(t * jitter(rng));
  }
  EXPECT_EQ(Against(PairedRatio(a, b)), Verdict::kAbove);
  EXPECT_EQ(Against(UnpairedRatio(a, b)), Verdict::kTie);
  EXPECT_LT(PairedRatio(a, b).RelativeHalfWidth(), 0.01);
}

// One wild sample (a stall of the shared machine) among 20 moves the
// interval by at most a rank: a clear 10% win stays a win, and a tie stays
// a tie, where a mean-and-CV rule had called the win a tie.
TEST(Stats, AnOutlierDoesNotFlipAVerdict) {
  std::vector<double> win, tie;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> jitter(0.98, 1.02);
  for (int i = 0; i < 20; ++i) {
    win.push_back(0.9 * jitter(rng));
    tie.push_back(jitter(rng));
  }
  const Verdict win_before = Against(RatioOfRatios(win));
  const Verdict tie_before = Against(RatioOfRatios(tie));
  win[7] = 3.2;  // a 3.2x stall in one round
  tie[7] = 3.2;
  EXPECT_EQ(win_before, Verdict::kBelow);
  EXPECT_EQ(Against(RatioOfRatios(win)), Verdict::kBelow);
  EXPECT_EQ(tie_before, Verdict::kTie);
  EXPECT_EQ(Against(RatioOfRatios(tie)), Verdict::kTie);
  EXPECT_EQ(CountOutliers(win), 1u);
}

TEST(Stats, MedianIntervalCoversTheMiddleOrderStatistics) {
  std::vector<double> x;
  for (int i = 1; i <= 11; ++i) x.push_back(i);
  const Interval m = Median(x);
  ASSERT_TRUE(m.valid);
  EXPECT_EQ(m.estimate, 6);
  // n = 11: P(B <= 1) = 12/2048 <= 2.5% < P(B <= 2): the 2nd and 10th.
  EXPECT_EQ(m.lo, 2);
  EXPECT_EQ(m.hi, 10);
}

TEST(Stats, NormalApproximationMeetsTheExactBoundary) {
  // Just past the exact range the bounds must not jump: compare 400 (exact)
  // and 401 (normal) pairs of the same data.
  std::vector<double> r;
  std::mt19937 rng(4);
  std::lognormal_distribution<double> dist(0.0, 0.05);
  for (int i = 0; i < 401; ++i) r.push_back(dist(rng));
  const Interval big = RatioOfRatios(r);
  r.pop_back();
  const Interval exact = RatioOfRatios(r);
  EXPECT_NEAR(big.lo / exact.lo, 1.0, 0.002);
  EXPECT_NEAR(big.hi / exact.hi, 1.0, 0.002);
}

// Probes keep tens of thousands of rounds; above 1500 pairs the quantiles
// of the n^2 / 2 Walsh averages (and m * n differences) are found by
// bisection instead of being listed. Both must give the listed answer.
double Quantile(std::vector<double> v, size_t k) {
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

TEST(Stats, LargeSamplesMatchTheListedWalshAverages) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> noise(0.0, 0.05);
  const size_t n = 1601;  // above the listing limit, odd: one median
  std::vector<double> a(n), b(n), d(n);
  for (size_t i = 0; i < n; ++i) {
    b[i] = 100 * noise(rng);
    a[i] = 1.07 * b[i] * noise(rng);
    d[i] = std::log(a[i]) - std::log(b[i]);
  }
  std::vector<double> walsh;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i; j < n; ++j) walsh.push_back((d[i] + d[j]) / 2);
  }
  const size_t m = walsh.size();
  const Interval got = PairedRatio(a, b);
  ASSERT_TRUE(got.valid);
  EXPECT_NEAR(std::log(got.estimate), Quantile(walsh, m / 2), 1e-12);
  const double sigma = std::sqrt(double(n) * (n + 1) * (2 * n + 1) / 24.0);
  const size_t c =
      size_t(std::floor(double(m) / 2 - 0.5 - 1.959963984540054 * sigma));
  EXPECT_NEAR(std::log(got.lo), Quantile(walsh, c), 1e-12);
  EXPECT_NEAR(std::log(got.hi), Quantile(walsh, m - 1 - c), 1e-12);
}

TEST(Stats, LargeUnpairedSamplesMatchTheListedDifferences) {
  std::mt19937_64 rng(9);
  std::lognormal_distribution<double> noise(0.0, 0.05);
  std::vector<double> a(1201), b(1101);
  for (double& x : a) x = 130 * noise(rng);
  for (double& y : b) y = 100 * noise(rng);
  std::vector<double> diffs;
  for (double x : a) {
    for (double y : b) diffs.push_back(std::log(x) - std::log(y));
  }
  const size_t total = diffs.size();
  const Interval got = UnpairedRatio(a, b);
  ASSERT_TRUE(got.valid);
  ASSERT_EQ(total % 2, 1u);  // one median
  EXPECT_NEAR(std::log(got.estimate), Quantile(diffs, total / 2), 1e-12);
  const double sigma =
      std::sqrt(double(a.size()) * b.size() * (a.size() + b.size() + 1) / 12.0);
  const size_t c =
      size_t(std::floor(double(total) / 2 - 0.5 - 1.959963984540054 * sigma));
  EXPECT_NEAR(std::log(got.lo), Quantile(diffs, c), 1e-12);
  EXPECT_NEAR(std::log(got.hi), Quantile(diffs, total - 1 - c), 1e-12);
}

TEST(Stats, RejectsImpossibleTimes) {
  EXPECT_THROW(RatioOfRatios({1.0, 0.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(PairedRatio({1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(UnpairedRatio({1.0}, {-1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace relu::stats
