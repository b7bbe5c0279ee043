// The comparison plan: which pairs a group answers, each once, skipping rows without a time.
#include "stats/plan.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace relu::stats {
namespace {

Descriptor Row(const std::string& family, const std::string& op,
               const std::string& form, const std::string& out = "reuse",
               const std::string& threads = "1", const std::string& isa = "") {
  Descriptor d;
  d.family = family;
  d.op = op;
  d.form = form;
  d.out = out;
  d.threads = threads;
  d.isa = isa;
  d.harness = "ring";
  d.ours = form == "scalar" || form == "eigen" || form == "highway";
  d.in_place = op == "maximum_inplace" || op == "masked_assign" || op == "inplace";
  return d;
}

std::set<std::tuple<size_t, size_t, Why>> AsSet(const std::vector<Comparison>& v) {
  std::set<std::tuple<size_t, size_t, Why>> s;
  for (const Comparison& c : v) s.insert({c.a, c.b, c.why});
  return s;
}

TEST(Plan, CoversTheReportsComparisons) {
  const std::vector<Descriptor> rows = {
      Row("copy", "loadstore", "highway"),                // 0
      Row("copy", "inplace", "highway", "inplace"),       // 1
      Row("relu", "maximum", "scalar"),                   // 2
      Row("relu", "maximum", "highway"),                  // 3
      Row("relu", "maximum", "xnnpack"),                  // 4
      Row("relu", "maximum_inplace", "highway", "inplace"),  // 5
      Row("relu", "abs", "highway"),                      // 6
      Row("relu", "maximum", "highway", "fresh"),         // 7
      Row("relu", "maximum", "highway", "reuse", "2"),    // 8
      Row("relu", "maximum", "highway", "reuse", "1", "SSE4"),  // 9
      Row("relu", "masked_assign", "highway", "inplace"), // 10
  };
  const std::vector<double> t = {1.0, 0.6, 2.0, 1.1, 1.2, 0.7, 1.3,
                                 2.5, 0.8, 1.4, 0.75};
  const auto plan = AsSet(Plan(rows, t));
  // Ceilings: out of place against the two-buffer copy, in place against
  // the in-place copy.
  EXPECT_TRUE(plan.count({3, 0, Why::kCeiling}));
  EXPECT_TRUE(plan.count({5, 1, Why::kCeiling}));
  EXPECT_TRUE(plan.count({10, 1, Why::kCeiling}));
  // Ranking within maximum: scalar and xnnpack against highway (fastest).
  EXPECT_TRUE(plan.count({2, 3, Why::kRank}));
  EXPECT_TRUE(plan.count({4, 3, Why::kRank}));
  // Our best (highway) against the best peer (xnnpack): already a rank pair
  // the other way round, so not repeated.
  EXPECT_FALSE(plan.count({3, 4, Why::kOursVsPeer}));
  // Highway variants against Highway maximum of the same memory kind.
  EXPECT_TRUE(plan.count({6, 3, Why::kVsMaximum}));
  EXPECT_TRUE(plan.count({10, 5, Why::kVsMaximum}));
  EXPECT_TRUE(plan.count({7, 3, Why::kFresh}));
  EXPECT_TRUE(plan.count({8, 3, Why::kThreads}));
  EXPECT_TRUE(plan.count({9, 3, Why::kIsa}));
}

TEST(Plan, NoPairTwiceAndNoRowWithoutATime) {
  const std::vector<Descriptor> rows = {
      Row("copy", "loadstore", "highway"), Row("relu", "maximum", "scalar"),
      Row("relu", "maximum", "highway")};
  const auto plan = Plan(rows, {1.0, 0.0, 1.1});  // scalar errored
  std::set<std::pair<size_t, size_t>> seen;
  for (const Comparison& c : plan) {
    EXPECT_NE(c.a, 1u);
    EXPECT_NE(c.b, 1u);
    EXPECT_TRUE(seen.insert({std::min(c.a, c.b), std::max(c.a, c.b)}).second);
  }
  EXPECT_FALSE(plan.empty());
}

}  // namespace
}  // namespace relu::stats
