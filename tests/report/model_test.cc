// Model: every sample kept, paired and unpaired comparisons, older runs'
// keys and aggregates, size classes, duplicates across inputs.
#include "report/model.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/bench_json.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbJson;
using testing::GbRounds;
using testing::GbRow;

constexpr const char* kCaches =
    R"({"host_name": "h", "num_cpus": 4, "cache_l1d": "32768", "cache_l2": "1048576",
        "cache_llc": "33554432", "cache_source": "sysfs"})";

Model ModelOf(const std::string& text) {
  static std::vector<BenchFile> files;  // rows must outlive the model
  files.clear();
  files.push_back(ParseBenchJson(ParseJsonText(text, "m.json"), "m.json"));
  return BuildModel(files);
}

const Measurement& Named(const Model& m, const std::string& prefix) {
  for (const Measurement& x : m.measurements) {
    if (x.run_name.rfind(prefix, 0) == 0) return x;
  }
  ADD_FAILURE() << "no row " << prefix;
  return m.measurements.front();
}

const std::string kHwy = "relu/maximum/highway/f64/n:1024/state:producer";
const std::string kEigen = "relu/maximum/eigen/f64/n:1024/state:producer";

TEST(ModelTest, EveryRepetitionIsASampleAndTheTimeIsTheirMedian) {
  Model m = ModelOf(GbJson({GbRounds(kHwy, {10, 40, 12, 11, 13})}));
  ASSERT_EQ(m.measurements.size(), 1u);
  const Measurement& x = m.measurements[0];
  EXPECT_EQ(x.samples_ns.size(), 5u);
  EXPECT_DOUBLE_EQ(x.time_ns, 12);
  EXPECT_TRUE(x.paired);
  EXPECT_EQ(x.outliers, 1u);  // the 40
}

TEST(ModelTest, RowsOfOneGroupCompareRoundByRound) {
  // Round 3 was slow for both: paired, it cancels; the ratio is 1.1 exactly.
  std::vector<double> a, b;
  for (int i = 0; i < 12; ++i) {
    const double slow = i == 3 ? 5.0 : 1.0;
    b.push_back(100 * slow * (1 + 0.01 * (i % 3)));
    a.push_back(b.back() * 1.1);
  }
  Model m = ModelOf(GbJson({GbRounds(kHwy, a), GbRounds(kEigen, b)}));
  const Comparison c = Compare(Named(m, kHwy), Named(m, kEigen));
  EXPECT_EQ(c.kind, Comparison::Kind::kPaired);
  EXPECT_NEAR(c.ratio.estimate, 1.1, 1e-9);
  EXPECT_NEAR(c.ratio.lo, 1.1, 1e-9);
  EXPECT_NEAR(c.ratio.hi, 1.1, 1e-9);
  EXPECT_EQ(Against(c), Verdict::kAbove);
}

TEST(ModelTest, RowsOfDifferentGroupsCompareUnpaired) {
  // Different states are different groups: their rounds are not shared.
  const std::string dram = "relu/maximum/highway/f64/n:1024/state:dram";
  Model m = ModelOf(GbJson({GbRounds(kHwy, {100, 101, 102, 99, 100, 103}),
                            GbRounds(dram, {200, 201, 199, 202, 198, 200})}));
  const Comparison c = Compare(Named(m, dram), Named(m, kHwy));
  EXPECT_EQ(c.kind, Comparison::Kind::kUnpaired);
  EXPECT_GT(c.ratio.lo, 1.9);
  EXPECT_LT(c.ratio.hi, 2.1);
}

TEST(ModelTest, OneOutlierDoesNotFlipAPairedVerdict) {
  // a is 5% faster in every round but one, where a stall made it 3x slower.
  std::vector<double> a, b;
  for (int i = 0; i < 20; ++i) {
    b.push_back(1000 + 7 * (i % 5));
    a.push_back(i == 7 ? 3 * b.back() : 0.95 * b.back());
  }
  Model m = ModelOf(GbJson({GbRounds(kHwy, a), GbRounds(kEigen, b)}));
  const Comparison c = Compare(Named(m, kHwy), Named(m, kEigen));
  EXPECT_EQ(Against(c), Verdict::kBelow) << c.ratio.lo << " " << c.ratio.hi;
  EXPECT_NEAR(c.ratio.estimate, 0.95, 0.01);
  EXPECT_EQ(Named(m, kHwy).outliers, 1u);
}

TEST(ModelTest, OverlappingSamplesAreATie) {
  std::vector<double> a, b;
  for (int i = 0; i < 20; ++i) {
    a.push_back(100 + ((i * 7) % 11));
    b.push_back(100 + ((i * 5) % 11));
  }
  Model m = ModelOf(GbJson({GbRounds(kHwy, a), GbRounds(kEigen, b)}));
  EXPECT_EQ(Against(Compare(Named(m, kHwy), Named(m, kEigen))), Verdict::kTie);
}

TEST(ModelTest, AggregatesOnlyGiveAPointWithoutInterval) {
  // Older runs kept GB's aggregates only.
  const std::string run = "relu/maximum/highway/f32/n:1024/out:reuse/cache:hot";
  auto agg = [&](const char* name, double v) {
    return fmt::format(
        R"({{"name": "{0}_{1}", "run_name": "{0}", "run_type": "aggregate",)"
        R"( "aggregate_name": "{1}", "repetitions": 3, "threads": 1,)"
        R"( "iterations": 3, "real_time": {2}, "cpu_time": {2}, "time_unit": "us"}})",
        run, name, v);
  };
  Model m = ModelOf(GbJson({agg("mean", 17), agg("median", 11)}));
  const Measurement& x = Named(m, run);
  EXPECT_DOUBLE_EQ(x.time_ns, 11000);
  EXPECT_TRUE(x.samples_ns.empty());
  EXPECT_FALSE(x.time_ci.valid);
}

TEST(ModelTest, OlderRunsKeysMapOntoTheVocabulary) {
  std::string why;
  auto eff = [&](const std::string& name, const char* key) {
    auto b = ParseBenchName(name, &why);
    EXPECT_TRUE(b.has_value()) << why;
    return b ? Effective(*b, key) : "";
  };
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8/cache:hot", "state"), "producer");
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8/cache:cold", "state"), "dram");
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8/harness:bare", "state"),
            "resident");
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8/harness:bare", "harness"),
            "gbench");
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8", "state"), "producer");
  EXPECT_EQ(eff("relu/maximum/highway/f32/n:8", "threads"), "1");
  EXPECT_EQ(eff("relu/maximum_inplace/highway/f32/n:8", "out"), "inplace");
  EXPECT_EQ(eff("relu/maximum/numpy/f32/n:8", "harness"), "python");
  EXPECT_EQ(eff("copy/inplace/highway/f32/n:8", "out"), "inplace");
}

TEST(ModelTest, DefaultConditions) {
  std::string why;
  auto d = [&](const std::string& n) {
    return IsDefaultCondition(*ParseBenchName(n, &why));
  };
  EXPECT_TRUE(d("relu/maximum/highway/f32/n:8"));
  EXPECT_TRUE(
      d("relu/maximum/highway/f32/n:8/out:reuse/state:producer/neg:50/"
        "threads:1"));
  EXPECT_TRUE(d("relu/maximum/highway/f32/n:8/out:reuse/cache:hot/neg:50"));
  EXPECT_TRUE(
      d("relu/maximum_inplace/numpy/f32/n:8/out:inplace/protocol:fair"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/out:fresh"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/state:dram"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/cache:cold"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/neg:0"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/threads:2"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/isa:SSE4"));
  EXPECT_FALSE(d("relu/maximum/numpy/f64/n:8/protocol:replay-first-answer"));
}

TEST(ModelTest, SizeClassesCompareWorkingSetsWithCaches) {
  Model m =
      ModelOf(GbJson({GbRow("relu/maximum/highway/f32/n:8", 1)}, kCaches));
  const CacheSizes& c = m.caches;
  EXPECT_EQ(c.Classify(32768), SizeClass::kL1);
  EXPECT_EQ(c.Classify(32769), SizeClass::kL2);
  EXPECT_EQ(c.Classify(1048576), SizeClass::kL2);
  EXPECT_EQ(c.Classify(33554432), SizeClass::kLlc);
  EXPECT_EQ(c.Classify(33554433), SizeClass::kDram);
  EXPECT_EQ(c.Classify(std::nullopt), SizeClass::kUnknown);
  EXPECT_NE(c.source.find("sysfs"), std::string::npos);
}

TEST(ModelTest, CachesFallBackOnGoogleBenchmarksList) {
  Model m =
      ModelOf(GbJson({GbRow("relu/maximum/highway/f32/n:8", 1)}, R"({"caches": [
      {"type": "Data", "level": 1, "size": 49152, "num_sharing": 2},
      {"type": "Instruction", "level": 1, "size": 32768, "num_sharing": 2},
      {"type": "Unified", "level": 2, "size": 2097152, "num_sharing": 2},
      {"type": "Unified", "level": 3, "size": 100663296, "num_sharing": 64}]})"));
  EXPECT_DOUBLE_EQ(*m.caches.l1d, 49152);
  EXPECT_DOUBLE_EQ(*m.caches.l2, 2097152);
  EXPECT_DOUBLE_EQ(*m.caches.llc, 100663296);
}

TEST(ModelTest, ErroredAndSkippedRowsAreKeptAsSuch) {
  Model m = ModelOf(GbJson(
      {GbRow("relu/abs/scalar/f64/n:8", 0, "ns",
             R"("error_occurred": true, "error_message": "boom")"),
       R"({"name": "relu/abs/eigen/f64/n:8", "run_type": "iteration", "skipped": true,
           "skip_message": "no AVX"})"}));
  ASSERT_EQ(m.measurements.size(), 2u);
  EXPECT_EQ(m.measurements[0].status, Status::kError);
  EXPECT_EQ(m.measurements[0].message, "boom");
  EXPECT_EQ(m.measurements[1].status, Status::kSkipped);
  EXPECT_EQ(m.measurements[1].message, "no AVX");
}

TEST(ModelTest, DuplicateBenchmarksAcrossInputsAreNoted) {
  static std::vector<BenchFile> files;
  files.clear();
  const std::string text = GbJson({GbRow("relu/maximum/highway/f32/n:64", 1)});
  files.push_back(ParseBenchJson(ParseJsonText(text, "a.json"), "a.json"));
  files.push_back(ParseBenchJson(ParseJsonText(text, "b.json"), "b.json"));
  Model m = BuildModel(files);
  EXPECT_EQ(m.measurements.size(), 1u);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("b.json"), std::string::npos);
}

TEST(ModelTest, NewKeysParseByTheirKindInTheVocabulary) {
  std::string why;
  EXPECT_TRUE(ParseBenchName("relu/leaky/highway/f32/n:8/alpha:0.01", &why))
      << why;
  EXPECT_TRUE(ParseBenchName("relu/maximum/highway/f32/n:8/isa:AVX3_DL", &why))
      << why;
  EXPECT_TRUE(ParseBenchName("relu/maximum/highway/f32/n:8/threads:2", &why))
      << why;
  EXPECT_TRUE(
      ParseBenchName("relu/maximum/highway/f32/n:8/harness:gbench", &why))
      << why;
  EXPECT_FALSE(ParseBenchName("relu/maximum/highway/f32/n:8/threads:0", &why));
  EXPECT_NE(why.find("threads"), std::string::npos);
  EXPECT_FALSE(ParseBenchName("relu/maximum/highway/f32/n:8/state:warm", &why));
  EXPECT_FALSE(ParseBenchName("relu/leaky/highway/f32/n:8/alpha:nan", &why));
  EXPECT_FALSE(
      ParseBenchName("relu/maximum/highway/f32/n:8/cache:lukewarm", &why));
  // threads is ours, not Google Benchmark's segment: it stays in the name.
  auto b = ParseBenchName("relu/maximum/highway/f32/n:8/threads:2", &why);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->Get("threads"), "2");
}

}  // namespace
}  // namespace relu::report
