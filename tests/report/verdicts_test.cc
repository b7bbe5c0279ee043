// Noise-aware sections: the noisy-row list, the A/B protocol overhead, tie
// verdicts, why the forms stand where they do, and the in-place replays.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/render.h"
#include "report/so_claims.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbCvRow;
using testing::GbJson;
using testing::GbRow;
using testing::MarkdownTables;

constexpr const char* kCaches =
    R"({"host_name": "h", "num_cpus": 4, "cache_l1d": "32768", "cache_l2": "1048576",
        "cache_llc": "33554432", "cache_source": "sysfs")";

// The files live as long as the test: the model points into them.
struct Parsed {
  ReportData data;
  Model model;
};

Parsed RunOf(const std::vector<std::string>& rows,
             const std::string& extra_context = "") {
  Parsed run;
  const std::string context = std::string(kCaches) + extra_context + "}";
  run.data.files.push_back(
      ParseBenchJson(ParseJsonText(GbJson(rows, context), "s.json"), "s.json"));
  run.model = BuildModel(run.data.files);
  return run;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(NoisyRowsTest, OnlyTheFifteenNoisiestAreListed) {
  std::vector<std::string> rows;
  for (int i = 0; i < 20; ++i) {
    const std::string name =
        "relu/maximum/highway/f32/n:" + std::to_string(1024 * (i + 1));
    rows.push_back(GbRow(name, 100));
    rows.push_back(GbCvRow(name, 0.06 + 0.01 * i));  // 6% .. 25%
  }
  Parsed run = RunOf(rows);
  const std::string md = RenderWarnings(run.data, run.model);
  EXPECT_TRUE(Contains(md, "20 noisy row(s)")) << md;
  EXPECT_TRUE(Contains(md, "… and 5 more (all in the JSON).")) << md;
  auto tables = MarkdownTables(md);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].size(), 2u + 15u);  // header, separator, 15 rows
  EXPECT_EQ(tables[0][2][1], " 25.0% ");  // noisiest first
  EXPECT_EQ(tables[0][16][1], " 11.0% ");
  EXPECT_FALSE(Contains(md, "n:5120 ")) << "the 10% row is not listed";
}

TEST(NoisyRowsTest, AFewNoisyRowsAreAllListedWithoutACount) {
  Parsed run = RunOf({GbRow("relu/maximum/highway/f32/n:1024", 100),
                      GbCvRow("relu/maximum/highway/f32/n:1024", 0.3)});
  const std::string md = RenderWarnings(run.data, run.model);
  EXPECT_EQ(MarkdownTables(md)[0].size(), 3u);
  EXPECT_FALSE(Contains(md, "more (all in the JSON)"));
}

const std::string kBare =
    "/out:reuse/cache:hot/neg:50/harness:bare/manual_time";
const std::string kRing = "/out:reuse/cache:hot/neg:50/manual_time";

TEST(ProtocolOverheadTest, CounterIsShownAndJudgedAgainstTheTarget) {
  Parsed run = RunOf({
      // 16384 f32 = 64 KiB: inside the target's scope, 1.5% meets it.
      GbRow("relu/maximum/scalar/f32/n:16384" + kBare, 1000, "ns",
            R"("protocol_overhead_pct": 1.5)"),
      GbRow("relu/maximum/scalar/f32/n:16384" + kRing, 1100),
      // 8 MiB at 3% misses it.
      GbRow("relu/maximum/eigen/f64/n:1048576" + kBare, 90000, "ns",
            R"("protocol_overhead_pct": 3.0)"),
      // 4 KiB is below the scope, whatever the overhead.
      GbRow("relu/maximum/highway/f32/n:1024" + kBare, 50, "ns",
            R"("protocol_overhead_pct": 40)"),
  });
  const std::string md = RenderHarnessOverhead(run.model);
  EXPECT_TRUE(Contains(md, "alternates protocol batches")) << md;
  EXPECT_TRUE(Contains(md, "under 2.0% at inputs of 64.0 KiB and above"));
  auto t = MarkdownTables(md)[0];
  ASSERT_EQ(t.size(), 5u);
  // Sorted: f32 before f64, scalar before highway... by MeasurementLess.
  EXPECT_EQ(t[2][0], " relu/maximum/scalar/f32 ");
  EXPECT_EQ(t[2][2], " 64.0 KiB ");
  EXPECT_EQ(t[2][3], " 1.00 µs ");
  EXPECT_EQ(t[2][4], " 1.10 µs ");  // the ring row, for reference
  EXPECT_EQ(t[2][5], " +1.5% ");    // the counter, not 1.1 / 1.0 - 1
  EXPECT_EQ(t[2][6], " A/B counter ");
  EXPECT_EQ(t[2][7], " yes ");
  EXPECT_EQ(t[3][0], " relu/maximum/highway/f32 ");
  EXPECT_EQ(t[3][7], " — (below 64.0 KiB) ");
  EXPECT_EQ(t[4][5], " +3.0% ");
  EXPECT_EQ(t[4][7], " **no** ");
  EXPECT_TRUE(Contains(md,
                       "1 of 2 row(s) at inputs of 64.0 KiB and above "
                       "meet the target."))
      << md;
}

TEST(ProtocolOverheadTest, CounterIsTheMedianOverRepetitions) {
  const std::string name = "relu/maximum/highway/f32/n:65536" + kBare;
  Parsed run = RunOf({
      GbRow(name, 1000, "ns", R"("protocol_overhead_pct": 1.0)"),
      GbRow(name, 1010, "ns", R"("protocol_overhead_pct": 9.0)"),
      GbRow(name, 990, "ns", R"("protocol_overhead_pct": 2.5)"),
  });
  auto t = MarkdownTables(RenderHarnessOverhead(run.model))[0];
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2][5], " +2.5% ");
  EXPECT_EQ(t[2][7], " **no** ");
}

TEST(ProtocolOverheadTest, WithoutTheCounterTheRingRatioStandsIn) {
  Parsed run = RunOf({
      GbRow("relu/maximum/highway/f32/n:65536" + kBare, 1000),
      GbRow("relu/maximum/highway/f32/n:65536" + kRing, 1010),
  });
  const std::string md = RenderHarnessOverhead(run.model);
  auto t = MarkdownTables(md)[0];
  EXPECT_EQ(t[2][5], " +1.0% ");
  EXPECT_EQ(t[2][6], " ring ÷ bare − 1 (separate rows) ");
  EXPECT_EQ(t[2][7], " yes ");
  EXPECT_TRUE(Contains(md, "1 row(s) lack the protocol_overhead_pct counter"));
}

TEST(VerdictTest, DifferencesInsideTheNoiseAreTies) {
  Measurement a, b;
  a.time_ns = 100;
  b.time_ns = 104;
  Noise none = ComparisonNoise(a, b);
  EXPECT_FALSE(none.measured);
  EXPECT_DOUBLE_EQ(none.fraction, kDefaultNoise);
  EXPECT_EQ(Meets(100, 104, none), Verdict::kYes);    // 3.8% apart > 2%
  EXPECT_EQ(Meets(100, 101.5, none), Verdict::kTie);  // 1.5% < 2%
  EXPECT_EQ(Meets(104, 100, none), Verdict::kNo);
  b.cv = 0.08;
  Noise measured = ComparisonNoise(a, b);
  EXPECT_TRUE(measured.measured);
  EXPECT_DOUBLE_EQ(measured.fraction, 0.08);
  EXPECT_EQ(Meets(100, 104, measured), Verdict::kTie);
  EXPECT_EQ(Meets(104, 100, measured), Verdict::kTie);
  EXPECT_EQ(VerdictText(Verdict::kTie, measured),
            "tie (within noise: CV 8.0%)");
  // Two measured CVs below 2%: the larger of them, not the 2% default.
  a.cv = 0.005;
  b.cv = 0.01;
  EXPECT_DOUBLE_EQ(ComparisonNoise(a, b).fraction, 0.01);
  EXPECT_EQ(Meets(100, 101.5, ComparisonNoise(a, b)), Verdict::kYes);
}

TEST(VerdictTest, TargetsCallATieAndSayWhyInTheGap) {
  const std::string peer = "relu/maximum/xnnpack/f32/n:1024";
  const std::string copy = "copy/memcpy/libc/f32/n:1024";
  Parsed run = RunOf({
      GbRow("relu/maximum/highway/f32/n:1024", 100),
      GbRow(peer, 104),
      GbCvRow(peer, 0.08),
      // 93% of copy: 2.2% short of the target time, inside a 3% CV.
      GbRow(copy, 93),
      GbCvRow(copy, 0.03),
  });
  auto row = MarkdownTables(RenderTargets(run.model))[0][2];
  EXPECT_EQ(row[10], " tie (within noise: CV 8.0%) ");
  EXPECT_EQ(row[11], " tie (within noise: CV 3.0%) ");
  EXPECT_TRUE(Contains(row[12],
                       "ties maximum/xnnpack: 3.8% faster, within "
                       "noise (CV 8.0%)"))
      << row[12];
  EXPECT_TRUE(Contains(row[12],
                       "93.0% of copy against the 95.0% target, "
                       "within noise (CV 3.0%)"))
      << row[12];
}

TEST(VerdictTest, TargetsOutsideTheNoiseStayYesAndNo) {
  Parsed run = RunOf({
      GbRow("relu/maximum/highway/f32/n:1024", 100),
      GbRow("relu/maximum/xnnpack/f32/n:1024", 96),  // 4.2% faster than ours
      GbRow("copy/memcpy/libc/f32/n:1024", 93),      // no CV: 2% assumed
  });
  auto row = MarkdownTables(RenderTargets(run.model))[0][2];
  EXPECT_EQ(row[10], " **no** ");
  EXPECT_EQ(row[11], " **no** ");
  EXPECT_TRUE(Contains(row[12], "4.2% slower than maximum/xnnpack")) << row[12];
}

TEST(VerdictTest, SummaryStatesTheVerdictAgainstThePeer) {
  const std::string peer = "relu/maximum/xnnpack/f32/n:1024";
  Parsed run = RunOf(
      {GbRow("relu/maximum/highway/f32/n:1024", 100), GbRow(peer, 101.5)});
  auto t = MarkdownTables(RenderSummary(run.model))[0];
  ASSERT_EQ(t[0][8], " ours ≥ peer ");
  EXPECT_EQ(t[2][8], " tie (within noise: 2.0% assumed, no CV) ");
}

// Sign rows at one size: scalar branches (neg:50 30% slower than both
// ends), eigen is flat, highway is 30% slower at neg:50 but too noisy.
std::vector<std::string> SignRows() {
  std::vector<std::string> rows;
  auto add = [&](const std::string& form, double t50, double t0, double t100) {
    const std::string base = "relu/maximum/" + form + "/f32/n:1024/out:reuse";
    rows.push_back(GbRow(base + "/neg:50", t50));
    rows.push_back(GbRow(base + "/neg:0", t0));
    rows.push_back(GbRow(base + "/neg:100", t100));
  };
  add("scalar", 130, 100, 100);
  add("eigen", 100, 99, 101);
  add("highway", 130, 100, 100);
  rows.push_back(
      GbCvRow("relu/maximum/highway/f32/n:1024/out:reuse/neg:50", 0.5));
  rows.push_back(GbRow("copy/memcpy/libc/f32/n:1024", 80));
  return rows;
}

TEST(WhyFormsTest, SignSensitivityComesFromTheNegRows) {
  Parsed run = RunOf(SignRows());
  const std::string md = RenderWhyForms(run.data, run.model);
  auto t = MarkdownTables(md)[0];
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[2][3], " scalar ");
  EXPECT_EQ(t[2][4], " 100 ns ");
  EXPECT_EQ(t[2][5], " 130 ns ");
  EXPECT_EQ(t[2][7],
            " **branches on the data (neg:50 1.30× neg:0, 1.30× neg:100)** ");
  EXPECT_EQ(t[2][8], " 1.00× ");  // as fast as Highway
  EXPECT_EQ(t[2][9], " 61.5% ");  // 80 / 130
  EXPECT_EQ(t[3][7], " no dependence (neg:50 1.01× neg:0, 0.99× neg:100) ");
  EXPECT_EQ(t[3][8], " 1.30× ");
  EXPECT_TRUE(Contains(t[4][7], "inconclusive")) << t[4][7];
  EXPECT_TRUE(Contains(md,
                       "these forms branch on the data, so at 50% "
                       "negatives they pay branch mispredictions: "
                       "maximum/scalar"))
      << md;
  EXPECT_TRUE(Contains(md,
                       "the time of 1 of 3 form(s) with sign rows does "
                       "not depend on the sign mix"))
      << md;
  EXPECT_TRUE(Contains(md, "eigen runs at 1.30× to 1.30× of Highway's speed"));
}

TEST(WhyFormsTest, BuildFactsOnlyForGcc12Native) {
  Parsed gcc = RunOf(
      SignRows(),
      R"j(, "compiler": "g++ 12.2.0", "cxx_flags_native": "-march=native (scalar and Eigen forms only)")j");
  const std::string yes = RenderWhyForms(gcc.data, gcc.model);
  EXPECT_TRUE(Contains(yes, "**A fact about the build, not a measurement**"));
  EXPECT_TRUE(Contains(yes, "so Eigen's multiply runs element by element."));

  Parsed clang = RunOf(
      SignRows(),
      R"(, "compiler": "clang 15.0.6", "cxx_flags_native": "-march=native")");
  const std::string no = RenderWhyForms(clang.data, clang.model);
  EXPECT_FALSE(Contains(no, "element by element")) << no;
  EXPECT_TRUE(Contains(no, "were established for g++ 12 -march=native only"));
  EXPECT_TRUE(Contains(no, "compiler: clang 15.0.6"));

  Parsed generic = RunOf(SignRows(), R"(, "compiler": "g++ 12.2.0")");
  EXPECT_FALSE(Contains(RenderWhyForms(generic.data, generic.model),
                        "element by element"));
}

Model SoModel(Parsed* run, double inplace_replay_ms, double last_neg) {
  const std::string n = "n:25000000/shape:5000x5000";
  *run = RunOf({
      GbRow(
          "relu/maximum_inplace/numpy/f64/" + n +
              "/out:inplace/protocol:replay-a",
          inplace_replay_ms, "ms",
          R"("label": "reported:row", "neg_pct_at_start": 50, "neg_pct_last_call": )" +
              std::to_string(last_neg)),
      GbRow("relu/maximum_inplace/numpy/f64/" + n +
                "/out:inplace/cache:hot/neg:50/protocol:fair",
            40, "ms"),
  });
  return run->model;
}

const SoClaims kClaims = ParseSoClaimsText(
    R"({"shape": [5000, 5000], "answers": [{"id": "a",
    "timings_ms": {"maximum_inplace": 38}}]})",
    "c.json");

TEST(InPlaceReplayTest, OnlyTheFirstCallSawNegativesAndReuseFlattered) {
  Parsed run;
  const std::string md = RenderStackOverflow(kClaims, SoModel(&run, 2.5, 0));
  EXPECT_TRUE(Contains(md,
                       "Only the first timed call saw negatives: x held "
                       "50.0% negatives before the first timed call and "
                       "0% before the last."))
      << md;
  EXPECT_TRUE(Contains(md,
                       "fair ÷ replay = 16.00×: reuse flattered it: the "
                       "replay is 16.00× faster"))
      << md;
  EXPECT_FALSE(Contains(md, "the replay's calls see data with negatives"));
}

TEST(InPlaceReplayTest, WithinTwentyPercentReuseDidNotFlatterMuch) {
  Parsed run;
  const std::string md = RenderStackOverflow(kClaims, SoModel(&run, 36, 0));
  EXPECT_TRUE(Contains(md,
                       "NumPy's in-place maximum costs about the same on "
                       "rectified data, so reuse did not flatter it much"))
      << md;
  EXPECT_FALSE(Contains(md, "flattered it:"));
}

TEST(InPlaceReplayTest, FreshDataEveryCallIsNotCalledRectified) {
  Parsed run;
  const std::string md = RenderStackOverflow(kClaims, SoModel(&run, 38, 50));
  EXPECT_TRUE(Contains(md, "Every timed call had data of its own")) << md;
  EXPECT_FALSE(Contains(md, "rectified data")) << md;
  EXPECT_FALSE(Contains(md, "Only the first timed call"));
}

}  // namespace
}  // namespace relu::report
