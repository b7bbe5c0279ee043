// Model: reduction of repetitions, derived working sets, size classes, default
// conditions.
#include "report/model.h"

#include <gtest/gtest.h>

#include <string>

#include "report/bench_json.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbJson;
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

std::string Agg(const std::string& run, const std::string& agg, double value,
                const std::string& unit = "time") {
  return "{\"name\": \"" + run + "_" + agg + "\", \"run_name\": \"" + run +
         "\", \"run_type\": \"aggregate\", \"aggregate_name\": \"" + agg +
         "\", \"aggregate_unit\": \"" +
         (unit == "time" ? "time" : "percentage") +
         "\", \"repetitions\": 3, \"threads\": 1, \"iterations\": 3, "
         "\"real_time\": " +
         std::to_string(value) + ", \"cpu_time\": 1, \"time_unit\": \"us\"" +
         (agg == "median" ? ", \"bytes_per_second\": 7e9" : "") + "}";
}

TEST(ModelTest, RepetitionsUseTheMedianAggregateAndItsCv) {
  const std::string run = "relu/maximum/highway/f32/n:1024/out:reuse";
  Model m = ModelOf(
      GbJson({GbRow(run, 10, "us"), GbRow(run, 11, "us"), GbRow(run, 30, "us"),
              Agg(run, "mean", 17), Agg(run, "median", 11),
              Agg(run, "stddev", 11.3), Agg(run, "cv", 0.66, "pct")}));
  ASSERT_EQ(m.measurements.size(), 1u);
  const Measurement& x = m.measurements[0];
  EXPECT_DOUBLE_EQ(x.time_ns, 11000);
  EXPECT_DOUBLE_EQ(*x.cv, 0.66);
  EXPECT_EQ(x.repetitions, 3);
  EXPECT_EQ(x.basis, "median");
  EXPECT_DOUBLE_EQ(*x.bytes_per_second, 7e9);  // the median row's counters
}

TEST(ModelTest, RepetitionsWithoutAggregatesAreReducedToTheirMedian) {
  const std::string run = "relu/maximum/highway/f32/n:1024/out:reuse";
  Model m = ModelOf(GbJson({GbRow(run, 10), GbRow(run, 40), GbRow(run, 12)}));
  const Measurement& x = m.measurements[0];
  EXPECT_DOUBLE_EQ(x.time_ns, 12);
  ASSERT_TRUE(x.cv.has_value());
  EXPECT_GT(*x.cv, kNoisyCv);
}

TEST(ModelTest, SingleRunHasNoCv) {
  Model m = ModelOf(GbJson({GbRow("relu/abs/scalar/f64/n:8", 5)}));
  EXPECT_FALSE(m.measurements[0].cv.has_value());
  EXPECT_EQ(m.measurements[0].basis, "single run");
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

TEST(ModelTest, MissingWsBytesIsDerivedFromNDtypeAndPolicy) {
  Model m = ModelOf(GbJson({
      GbRow("relu/maximum/numpy/f64/n:100/out:reuse/protocol:fair", 1),
      GbRow("relu/maximum_inplace/numpy/f64/n:100/out:inplace/protocol:fair",
            1),
      GbRow("relu/broadcast_zeros/numpy/f32/n:100/out:fresh/protocol:fair", 1),
      GbRow("relu/masked_assign/numpy/f32/n:100", 1),
      GbRow("relu/maximum/highway/f32/n:100", 1, "ns", R"("ws_bytes": 12345)"),
  }));
  EXPECT_DOUBLE_EQ(*m.measurements[0].ws_bytes, 1600);  // in + out
  EXPECT_DOUBLE_EQ(*m.measurements[1].ws_bytes, 800);   // in place: one buffer
  EXPECT_DOUBLE_EQ(*m.measurements[2].ws_bytes, 1200);  // in + out + zeros
  EXPECT_DOUBLE_EQ(*m.measurements[3].ws_bytes,
                   400);  // in-place variant, no out key
  EXPECT_TRUE(m.measurements[0].ws_derived);
  EXPECT_DOUBLE_EQ(*m.measurements[4].ws_bytes, 12345);
  EXPECT_FALSE(m.measurements[4].ws_derived);
}

TEST(ModelTest, MissingBytesPerSecondComesFromTheSameOpAtTheSameN) {
  // The suite counts ws_bytes per call; a Python row of the same op, dtype
  // and n moves the same bytes, whatever its time.
  Model m = ModelOf(GbJson({
      GbRow("relu/maximum/highway/f32/n:1000", 100, "ns",
            R"("bytes_per_second": 8e10)"),
      GbRow("relu/maximum/numpy/f32/n:1000/protocol:fair", 400),
  }));
  EXPECT_FALSE(m.measurements[0].bps_derived);
  EXPECT_TRUE(m.measurements[1].bps_derived);
  EXPECT_DOUBLE_EQ(*m.measurements[1].bytes_per_second, 2e10);
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
  EXPECT_NE(m.caches.source.find("caches"), std::string::npos);
}

TEST(ModelTest, DefaultConditions) {
  std::string why;
  auto d = [&](const std::string& n) {
    return IsDefaultCondition(*ParseBenchName(n, &why));
  };
  EXPECT_TRUE(d("relu/maximum/highway/f32/n:8"));
  EXPECT_TRUE(d(
      "relu/maximum/highway/f32/n:8/out:reuse/cache:hot/neg:50/harness:ring"));
  EXPECT_TRUE(
      d("relu/maximum_inplace/numpy/f32/n:8/out:inplace/protocol:fair"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/out:fresh"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/cache:cold"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/neg:0"));
  EXPECT_FALSE(d("relu/maximum/highway/f32/n:8/harness:bare"));
  EXPECT_FALSE(d("relu/maximum/numpy/f64/n:8/protocol:replay-first-answer"));
}

TEST(ModelTest, CopyReferenceIsTheFastestCopyAtThatN) {
  Model m = ModelOf(GbJson({
      GbRow("copy/memcpy/libc/f32/n:64/out:reuse", 30),
      GbRow("copy/loadstore/highway/f32/n:64/out:reuse", 20),
      GbRow("copy/stream/highway/f32/n:64/out:reuse/cache:cold",
            5),                                          // not default
      GbRow("copy/memcpy/libc/f32/n:128/out:reuse", 1),  // other n
      GbRow("copy/memcpy/libc/f64/n:64/out:reuse", 1),   // other dtype
  }));
  const Measurement* c = CopyReference(m, "f32", 64);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name.op, "loadstore");
}

TEST(ModelTest, RepresentativeSizeIsTheBestCoveredNInEachClass) {
  Model m = ModelOf(GbJson(
      {
          GbRow("relu/maximum/highway/f32/n:64", 1),
          GbRow("relu/maximum/scalar/f32/n:64", 1),
          GbRow("relu/maximum/highway/f32/n:128", 1),
          GbRow("relu/maximum/highway/f32/n:1048576", 1),
      },
      kCaches));
  auto reps = RepresentativeSizes(m, "f32");
  EXPECT_EQ(reps.at(SizeClass::kL1), 64);
  EXPECT_EQ(reps.at(SizeClass::kLlc), 1048576);
  EXPECT_EQ(reps.count(SizeClass::kL2), 0u);
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

}  // namespace
}  // namespace relu::report
