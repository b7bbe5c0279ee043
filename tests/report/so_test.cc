// Issue 5 sections: targets verdicts, semantics-vs-NumPy verdicts,
// StackOverflow rankings and explanations.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "report/so_claims.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbJson;
using testing::GbRow;

constexpr const char* kCaches =
    R"({"host_name": "h", "num_cpus": 4, "cache_l1d": "32768", "cache_l2": "1048576",
        "cache_llc": "33554432", "cache_source": "sysfs"})";

Model ModelOf(const std::vector<std::string>& rows) {
  static std::vector<BenchFile> files;
  files.clear();
  files.push_back(
      ParseBenchJson(ParseJsonText(GbJson(rows, kCaches), "s.json"), "s.json"));
  return BuildModel(files);
}

TEST(TargetsTest, NamesTheGapWhenATargetIsMissed) {
  Model m = ModelOf({
      GbRow("relu/maximum/highway/f32/n:1024", 110),
      GbRow("relu/maximum/xnnpack/f32/n:1024", 100),
      GbRow("copy/memcpy/libc/f32/n:1024", 88),
  });
  std::string md = RenderTargets(m);
  auto tables = testing::MarkdownTables(md);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].size(), 3u);
  const auto& row = tables[0][2];
  EXPECT_EQ(row[3], " maximum ");
  EXPECT_EQ(row[10], " **no** ");   // 110 ns is slower than xnnpack's 100 ns
  EXPECT_EQ(row[11], " **no** ");  // 88 / 110 = 80% of copy
  EXPECT_NE(row[12].find("10.0% slower than maximum/xnnpack"),
            std::string::npos)
      << row[12];
  EXPECT_NE(row[12].find("80.0% of copy, 15.0% short of 95.0%"),
            std::string::npos)
      << row[12];
}

TEST(TargetsTest, MetTargetsSayYes) {
  Model m = ModelOf({
      GbRow("relu/maximum_inplace/highway/f64/n:1024", 99),
      GbRow("relu/maximum/scalar/f64/n:1024", 200),
      GbRow("relu/multiply/numpy/f64/n:1024/protocol:fair", 300),
      GbRow("copy/memcpy/libc/f64/n:1024", 97),
  });
  // One row per variant: maximum (scalar only, no peer), then
  // maximum_inplace. The numpy row is a peer of multiply, not of either.
  auto table = testing::MarkdownTables(RenderTargets(m))[0];
  ASSERT_EQ(table.size(), 4u);
  const auto& maximum = table[2];
  EXPECT_EQ(maximum[3], " maximum ");
  EXPECT_EQ(maximum[6], " — ");           // no peer of maximum
  EXPECT_EQ(maximum[11], " **no** ");     // 97 / 200 of the copy
  const auto& inplace = table[3];
  EXPECT_EQ(inplace[3], " maximum_inplace ");
  EXPECT_NE(inplace[5].find("maximum_inplace/highway 99.0 ns"),
            std::string::npos)
      << inplace[5];
  EXPECT_EQ(inplace[10], " — ");
  EXPECT_EQ(inplace[11], " yes ");
  EXPECT_EQ(inplace[12], " — ");
}

TEST(TargetsTest, ComparesEachVariantWithPeersOfTheSameVariant) {
  // A fast in-place peer must not be held against our out-of-place maximum.
  Model m = ModelOf({
      GbRow("relu/maximum/highway/f32/n:1024", 100),
      GbRow("relu/maximum/xnnpack/f32/n:1024", 120),
      GbRow("relu/maximum_inplace/highway/f32/n:1024", 60),
      GbRow("relu/maximum_inplace/xnnpack/f32/n:1024", 50),
      GbRow("copy/memcpy/libc/f32/n:1024", 90),
  });
  auto table = testing::MarkdownTables(RenderTargets(m))[0];
  ASSERT_EQ(table.size(), 4u);
  EXPECT_NE(table[2][6].find("maximum/xnnpack"), std::string::npos);
  EXPECT_EQ(table[2][10], " yes ");
  EXPECT_NE(table[3][6].find("maximum_inplace/xnnpack"), std::string::npos);
  EXPECT_EQ(table[3][10], " **no** ");
}

TEST(TargetsTest, ComparesPythonPeersWithOurKernelsUnderTheirHarness) {
  // Numba beats our C++-ring time but not our kernel called from the same
  // Python harness, which is the comparison that counts.
  const std::string tail = "/f64/n:1024/out:reuse/cache:hot/neg:50";
  Model m = ModelOf({
      GbRow("relu/maximum/highway" + tail, 100),
      GbRow("relu/maximum/numba" + tail + "/protocol:fair", 90),
      GbRow("relu/maximum/highway" + tail + "/harness:python/protocol:fair",
            85),
      GbRow("relu/maximum/eigen" + tail + "/harness:python/protocol:fair", 95),
      GbRow("copy/memcpy/libc/f64/n:1024", 97),
  });
  auto table = testing::MarkdownTables(RenderTargets(m))[0];
  ASSERT_EQ(table.size(), 4u);
  const auto& ring = table[2];
  EXPECT_EQ(ring[4], " ring ");
  EXPECT_NE(ring[5].find("maximum/highway 100 ns"), std::string::npos)
      << ring[5];
  EXPECT_EQ(ring[6], " — ");  // no C++ peer
  EXPECT_EQ(ring[11], " yes ");  // 97% of copy
  const auto& python = table[3];
  EXPECT_EQ(python[4], " python ");
  EXPECT_NE(python[5].find("maximum/highway 85.0 ns"), std::string::npos)
      << python[5];
  EXPECT_NE(python[6].find("maximum/numba 90.0 ns"), std::string::npos);
  EXPECT_EQ(python[10], " yes ");
  EXPECT_EQ(python[9], " — ");  // copies run in the ring only

  // The Summary compares the Python peer with the same row.
  auto summary = testing::MarkdownTables(RenderSummary(m))[0];
  EXPECT_NE(summary[2][5].find("harness:python: highway 85.0 ns"),
            std::string::npos)
      << summary[2][5];
  EXPECT_EQ(summary[2][8], " yes ");
}

TEST(TargetsTest, SaysSoWhenAPythonPeerHasNoOursUnderItsHarness) {
  const std::string tail = "/f64/n:1024/out:reuse/cache:hot/neg:50";
  Model m = ModelOf({
      GbRow("relu/maximum/highway" + tail, 100),
      GbRow("relu/maximum/numba" + tail + "/protocol:fair", 90),
  });
  auto table = testing::MarkdownTables(RenderTargets(m))[0];
  ASSERT_EQ(table.size(), 4u);
  const auto& python = table[3];
  EXPECT_EQ(python[10], " **no** ");
  EXPECT_NE(python[12].find("no harness:python row of ours"),
            std::string::npos)
      << python[12];
}

TEST(HighwayVariantsTest, ALargerWorkingSetInALowerLevelIsNotAMiss) {
  // L1 is 32 KiB here: maximum's 16 KiB fits it, broadcast_zeros' 48 KiB
  // does not, so 2x is L2's bandwidth rather than the code.
  Model m = ModelOf({
      GbRow("relu/maximum/highway/f32/n:2048", 100, "ns", R"("ws_bytes": 16384)"),
      GbRow("relu/broadcast_zeros/highway/f32/n:2048", 200, "ns",
            R"("ws_bytes": 49152)"),
      GbRow("relu/abs/highway/f32/n:2048", 200, "ns", R"("ws_bytes": 16384)"),
  });
  auto table = testing::MarkdownTables(RenderHighwayVariants(m))[0];
  // Rows of the L1 class first (n = 2048 also represents L2 here, where
  // only broadcast_zeros' row lies).
  ASSERT_GE(table.size(), 4u);
  EXPECT_EQ(table[2][1], " L1 ");
  EXPECT_EQ(table[2][4], " abs ");
  // Same level: a miss, and at L1 the arithmetic is named as its cause.
  EXPECT_EQ(table[2][8],
            " **no**: bound by arithmetic at L1: three vector operations per "
            "vector to maximum's two ");
  EXPECT_EQ(table[3][4], " broadcast_zeros ");
  EXPECT_EQ(table[3][8],
            " not comparable: its working set (48.0 KiB) is in L2, maximum's "
            "in L1 ");
}

TEST(HighwayVariantsTest, RatiosToMaximumAgainstTheirBounds) {
  Model m = ModelOf({
      GbRow("relu/maximum/highway/f32/n:1024", 100),
      GbRow("relu/multiply/highway/f32/n:1024", 105),         // within 1.10x
      GbRow("relu/abs/highway/f32/n:1024", 125),              // beyond 1.10x
      GbRow("relu/broadcast_zeros/highway/f32/n:1024", 150),  // within 1.65x
      GbRow("relu/abs/scalar/f32/n:1024", 500),  // not Highway: ignored
  });
  auto table = testing::MarkdownTables(RenderHighwayVariants(m))[0];
  ASSERT_EQ(table.size(), 5u);
  EXPECT_EQ(table[2][4], " multiply ");
  EXPECT_EQ(table[2][8], " yes ");
  EXPECT_EQ(table[3][4], " abs ");
  EXPECT_EQ(table[3][6], " 1.25× ");
  EXPECT_NE(table[3][8].find("**no**: bound by arithmetic at L1"),
            std::string::npos)
      << table[3][8];
  EXPECT_EQ(table[4][4], " broadcast_zeros ");
  EXPECT_EQ(table[4][7], " 1.65× ");
  EXPECT_EQ(table[4][8], " yes ");
}

TEST(HighwayVariantsTest, NamesThePoolWindowWhenBroadcastZerosFillsTheLevel) {
  // L2 is 1 MiB. f64, n = 32768: broadcast_zeros' 768 KiB plus the
  // restore's 256 KiB pool window reach it. At n = 524288 (LLC, 32 MiB)
  // 12 + 4 MiB do not, and a miss there stays a bare "no". Multiply misses
  // outside L1: no cause.
  Model m = ModelOf({
      GbRow("relu/maximum/highway/f64/n:32768", 100, "ns",
            R"("ws_bytes": 524288)"),
      GbRow("relu/broadcast_zeros/highway/f64/n:32768", 180, "ns",
            R"("ws_bytes": 786432)"),
      GbRow("relu/multiply/highway/f64/n:32768", 130, "ns",
            R"("ws_bytes": 524288)"),
      GbRow("relu/maximum/highway/f64/n:524288", 100, "ns",
            R"("ws_bytes": 8388608)"),
      GbRow("relu/broadcast_zeros/highway/f64/n:524288", 180, "ns",
            R"("ws_bytes": 12582912)"),
  });
  auto table = testing::MarkdownTables(RenderHighwayVariants(m))[0];
  std::map<std::string, std::string> within;  // "n op" -> verdict cell
  for (size_t r = 2; r < table.size(); ++r) {
    within[table[r][2] + table[r][4]] = table[r][8];
  }
  EXPECT_EQ(within[" 32768  broadcast_zeros "],
            " **no**: its working set (768 KiB) and the restore's pool "
            "window (256 KiB) come to 1.00 MiB, at or over the L2 (1.00 MiB); "
            "maximum's come to 768 KiB ");
  EXPECT_EQ(within[" 32768  multiply "], " **no** ");
  EXPECT_EQ(within[" 524288  broadcast_zeros "], " **no** ");
}

SemanticsFile Sem(const std::string& text) {
  return ParseSemanticsText(text, "sem.json");
}

TEST(SemanticsVsNumpyTest, AnyNanMatchesButSignedZerosDoNot) {
  const std::string inputs = R"("inputs": [
      {"label": "nan", "f32": "0x7fc00000", "f64": "0x7ff8000000000000"},
      {"label": "-0", "f32": "0x80000000", "f64": "0x8000000000000000"}])";
  std::vector<SemanticsFile> files = {Sem("{" + inputs + R"(, "rows": [
      {"variant": "maximum", "form": "highway", "dtype": "f32",
       "outputs": [{"bits": "0xffc00001", "text": "-nan"}, {"bits": "0x80000000", "text": "-0"}]},
      {"variant": "multiply", "form": "eigen", "dtype": "f32",
       "outputs": [{"bits": "0x7fc00000", "text": "nan"}, {"bits": "0x00000000", "text": "0"}]}]})"),
                                      Sem("{" + inputs + R"(, "rows": [
      {"variant": "maximum", "form": "numpy", "dtype": "f32",
       "outputs": [{"bits": "0x7fc00000", "text": "nan"}, {"bits": "0x80000000", "text": "-0"}]},
      {"variant": "multiply", "form": "numpy", "dtype": "f32",
       "outputs": [{"bits": "0x7fc00000", "text": "nan"}, {"bits": "0x80000000", "text": "-0"}]}]})")};
  auto t = testing::MarkdownTables(RenderSemanticsVsNumpy(files))[0];
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[2][0], " maximum ");
  EXPECT_EQ(t[2][2], " agree ");
  EXPECT_EQ(t[3][2], " **differ** ");
  EXPECT_EQ(t[3][4], " eigen (-0: 0 vs -0) ");
}

TEST(StackOverflowTest, RankingsAndInPlaceExplanationComeFromTheRun) {
  const std::string n = "n:25000000/shape:5000x5000";
  Model m = ModelOf({
      GbRow("relu/maximum/numpy/f64/" + n + "/out:fresh/protocol:replay-a", 200,
            "ms"),
      GbRow("relu/maximum_inplace/numpy/f64/" + n +
                "/out:inplace/protocol:replay-a",
            20, "ms", R"("label": "reported:row", "neg_pct_at_start": 50)"),
      GbRow("relu/maximum/numpy/f64/" + n +
                "/out:fresh/cache:hot/neg:50/protocol:fair",
            90, "ms"),
      GbRow("relu/maximum/numpy/f64/" + n +
                "/out:reuse/cache:hot/neg:50/protocol:fair",
            45, "ms"),
      GbRow("relu/maximum_inplace/numpy/f64/" + n +
                "/out:inplace/cache:hot/neg:50/protocol:fair",
            40, "ms"),
      GbRow("relu/maximum/highway/f64/n:25000000/out:reuse", 34, "ms"),
  });
  SoClaims claims =
      ParseSoClaimsText(R"({"shape": [5000, 5000], "answers": [{"id": "a",
      "timings_ms": {"maximum": 240, "maximum_inplace": 38}}]})",
                        "c.json");
  std::string md = RenderStackOverflow(claims, m);
  auto t = testing::MarkdownTables(md)[0];
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[2][0], " maximum ");
  EXPECT_EQ(t[2][1], " 240 ms · #2 · 6.32× ");
  EXPECT_EQ(t[2][2], " 200 ms · #2 · 10.00× ");
  EXPECT_EQ(t[2][3], " 90.0 ms · #2 · 2.25× (out:fresh) ");
  EXPECT_EQ(t[2][4], " 34.0 ms · #1 · 1.00× (highway) ");
  EXPECT_EQ(t[3][2], " 20.0 ms · #1 · 1.00× (row) ");
  EXPECT_EQ(t[3][3], " 40.0 ms · #1 · 1.00× (out:inplace) ");
  EXPECT_NE(md.find("fair ÷ replay = 2.00×: reuse flattered it"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("x held 50.0% negatives before the first timed call"),
            std::string::npos);
  EXPECT_NE(md.find("maximum 90.0 ms with a fresh output vs 45.0 ms into a "
                    "reused one (2.00×)"),
            std::string::npos);
  EXPECT_NE(md.find("Claimed: maximum_inplace, maximum. Replayed: "
                    "maximum_inplace, maximum "
                    "(same order as claimed)"),
            std::string::npos);
}

TEST(StackOverflowTest, GenerationShareIsMeasured) {
  const std::string n = "n:25000000/shape:5000x5000";
  Model m = ModelOf({
      GbRow("gen/random/numpy/f64/" + n + "/protocol:replay-g", 100, "ms"),
      GbRow("relu/multiply/numpy/f64/" + n + "/out:fresh/protocol:replay-g",
            250, "ms"),
      GbRow("relu/maximum/numpy/f64/" + n + "/out:fresh/protocol:replay-g", 200,
            "ms"),
  });
  SoClaims claims =
      ParseSoClaimsText(R"({"shape": [5000, 5000], "answers": [{"id": "g",
      "timings_ms": {"baseline_generation": 425, "multiply": 596, "maximum": 682}}]})",
                        "c.json");
  std::string md = RenderStackOverflow(claims, m);
  EXPECT_NE(
      md.find("np.random.random alone takes 100 ms here (claimed: 425 ms)"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("40.0% of multiply's 250 ms (the ReLU itself: 150 ms)"),
            std::string::npos);
  EXPECT_NE(md.find("Generation is larger than the whole spread between the "
                    "methods (50.0 ms)"),
            std::string::npos);
  EXPECT_NE(md.find("| baseline (generation alone) | 425 ms | 100 ms |"),
            std::string::npos);
}

TEST(StackOverflowTest, WithoutClaimsTheSectionSaysSo) {
  Model m = ModelOf({GbRow("relu/maximum/highway/f32/n:8", 1)});
  EXPECT_NE(
      RenderStackOverflow(std::nullopt, m).find("No claims file was given"),
      std::string::npos);
}

TEST(ModelNotesTest, InputsThatCountBytesDifferentlyAreFlagged) {
  static std::vector<BenchFile> files;
  files.clear();
  // C++ counts one buffer for an in-place call; the other input counts read +
  // write.
  files.push_back(ParseBenchJson(
      ParseJsonText(
          GbJson({GbRow("relu/maximum_inplace/highway/f32/n:1000/out:inplace",
                        100, "ns", R"("bytes_per_second": 4e10)")}),
          "cpp.json"),
      "cpp.json"));
  files.push_back(ParseBenchJson(
      ParseJsonText(GbJson({GbRow("relu/maximum_inplace/numpy/f32/n:1000/"
                                  "out:inplace/protocol:fair/fn:relu",
                                  200, "ns", R"("bytes_per_second": 4e10)")}),
                    "py.json"),
      "py.json"));
  Model m = BuildModel(files);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("cpp.json counts 4000 bytes per call"),
            std::string::npos)
      << m.notes[0];
  EXPECT_NE(m.notes[0].find("py.json counts 8000"), std::string::npos)
      << m.notes[0];
}

}  // namespace
}  // namespace relu::report
