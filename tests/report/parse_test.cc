// Parsing: the name grammar, GB JSON fields and units, non-finite literals,
// semantics bits.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "report/bench_json.h"
#include "report/bench_name.h"
#include "report/semantics.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::GbJson;
using testing::GbRow;

BenchName MustParse(const std::string& name) {
  std::string why;
  auto b = ParseBenchName(name, &why);
  EXPECT_TRUE(b.has_value()) << name << ": " << why;
  return b.value_or(BenchName());
}

std::string WhyNot(const std::string& name) {
  std::string why;
  auto b = ParseBenchName(name, &why);
  EXPECT_FALSE(b.has_value()) << name << " should not parse";
  return why;
}

TEST(BenchNameTest, ReadmeExample) {
  BenchName b = MustParse(
      "relu/maximum/highway/f32/n:1048576/out:reuse/cache:hot/neg:50/"
      "manual_time");
  EXPECT_EQ(b.family, "relu");
  EXPECT_EQ(b.op, "maximum");
  EXPECT_EQ(b.form, "highway");
  EXPECT_EQ(b.dtype, "f32");
  EXPECT_EQ(b.Get("n"), "1048576");
  EXPECT_EQ(b.Get("out"), "reuse");
  EXPECT_EQ(b.Get("harness"), "");
  EXPECT_EQ(b.Elements(), 1048576);
  ASSERT_EQ(b.gbench_segments.size(), 1u);
  EXPECT_EQ(b.Canonical(),
            "relu/maximum/highway/f32/n:1048576/out:reuse/cache:hot/neg:50");
  EXPECT_EQ(b.Canonical("out"),
            "relu/maximum/highway/f32/n:1048576/cache:hot/neg:50");
}

TEST(BenchNameTest, GbenchSuffixesCarryNoMeaning) {
  BenchName b = MustParse(
      "copy/memcpy/libc/f64/n:64/min_time:0.500/repeats:5/iterations:10/"
      "real_time");
  EXPECT_EQ(b.keys.size(), 1u);
  EXPECT_EQ(b.gbench_segments.size(), 4u);
  MustParse("copy/memcpy/libc/f64/n:64/min_time:0.5s/process_time");
}

TEST(BenchNameTest, PythonRowsWithShapeAndProtocol) {
  BenchName b = MustParse(
      "relu/maximum_inplace/numpy/f64/n:25000000/shape:5000x5000/out:inplace/"
      "protocol:replay-inplace-answer");
  EXPECT_EQ(b.Get("protocol"), "replay-inplace-answer");
  EXPECT_EQ(b.Elements(), 25000000);
  BenchName g = MustParse("gen/random/numpy/f64/shape:5000x5000");
  EXPECT_EQ(g.Elements(), 25000000);  // from the shape when n is absent
}

TEST(BenchNameTest, PyBenchFnKeyTellsLibraryCallsApart) {
  BenchName b = MustParse(
      "relu/maximum/torch/f32/n:8/out:reuse/protocol:fair/fn:clamp_min");
  EXPECT_EQ(b.Get("fn"), "clamp_min");
  EXPECT_TRUE(b.Has("protocol"));
  EXPECT_EQ(WhyNot("relu/maximum/torch/f32/fn:Clamp"),
            "bad value 'Clamp' for key 'fn'");
}

TEST(BenchNameTest, RejectsWhatTheGrammarDoesNot) {
  EXPECT_EQ(WhyNot("BM_Foo/8"), "fewer than 4 segments");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f16"), "unknown dtype 'f16'");
  EXPECT_EQ(WhyNot("conv/maximum/highway/f32"), "unknown family 'conv'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/mode:fast"), "unknown key 'mode'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/out:sometimes"),
            "bad value 'sometimes' for key 'out'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/n:12x"),
            "bad value '12x' for key 'n'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/neg:101"),
            "bad value '101' for key 'neg'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/protocol:replay-"),
            "bad value 'replay-' for key 'protocol'");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/n:1/n:2"), "key 'n' repeated");
  EXPECT_EQ(WhyNot("relu/maximum/highway/f32/fast"),
            "segment 'fast' is not key:value");
  EXPECT_EQ(WhyNot("relu/Max|imum/highway/f32"), "bad op 'Max|imum'");
}

BenchFile ParseText(const std::string& text) {
  return ParseBenchJson(ParseJsonText(text, "t.json"), "t.json");
}

TEST(BenchJsonTest, TimesAreNormalisedToNanoseconds) {
  BenchFile f = ParseText(
      GbJson({GbRow("a/b/c/f32", 1.5, "ms"), GbRow("a/b/c/f32", 2, "us"),
              GbRow("a/b/c/f32", 3, "s"), GbRow("a/b/c/f32", 4, "ns")}));
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_DOUBLE_EQ(*f.rows[0].real_ns, 1.5e6);
  EXPECT_DOUBLE_EQ(*f.rows[1].real_ns, 2e3);
  EXPECT_DOUBLE_EQ(*f.rows[2].real_ns, 3e9);
  EXPECT_DOUBLE_EQ(*f.rows[3].real_ns, 4);
  EXPECT_DOUBLE_EQ(*f.rows[0].cpu_ns, 1.5e6);
}

TEST(BenchJsonTest, CvAggregatesHoldAFractionNotATime) {
  BenchFile f = ParseText(
      GbJson({R"({"name": "x_cv", "run_name": "x", "run_type": "aggregate",
      "aggregate_name": "cv", "aggregate_unit": "percentage", "repetitions": 3, "threads": 1,
      "iterations": 3, "real_time": 0.07, "cpu_time": 0.07, "time_unit": "ms"})"}));
  EXPECT_TRUE(f.rows[0].percentage);
  EXPECT_DOUBLE_EQ(*f.rows[0].real_raw, 0.07);
  EXPECT_FALSE(f.rows[0].real_ns.has_value());
}

TEST(BenchJsonTest, CountersAreExtraNumericFields) {
  BenchFile f = ParseText(GbJson({GbRow(
      "a/b/c/f32", 1, "ns",
      R"("bytes_per_second": 2.5e9, "ws_bytes": 4096, "label": "x", "some_flag": true)")}));
  EXPECT_DOUBLE_EQ(f.rows[0].counters.at("bytes_per_second"), 2.5e9);
  EXPECT_DOUBLE_EQ(f.rows[0].counters.at("ws_bytes"), 4096);
  EXPECT_EQ(f.rows[0].counters.count("some_flag"), 0u);
  EXPECT_EQ(f.rows[0].label, "x");
}

TEST(BenchJsonTest, GbNonFiniteLiteralsAreAccepted) {
  // GB prints NaN and Infinity bare; they are not JSON but must not reject the
  // file.
  BenchFile f = ParseText(GbJson({GbRow(
      "a/b/c/f32", 1, "ns",
      R"("bytes_per_second": Infinity, "x": -Infinity, "y": NaN, "label": "NaN Infinity")")}));
  EXPECT_EQ(f.rows[0].counters.count("bytes_per_second"), 0u);
  EXPECT_EQ(f.rows[0].label, "NaN Infinity");  // strings untouched
}

TEST(BenchJsonTest, NonFiniteTimeOnATimedRowIsAnError) {
  try {
    ParseText(R"({"benchmarks": [{"name": "a/b/c/f32", "iterations": 1,
        "real_time": NaN, "cpu_time": 1, "time_unit": "ns"}]})");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("real_time is not a finite number"),
              std::string::npos)
        << e.what();
  }
}

TEST(BenchJsonTest, ErrorsKeepTheOriginalLineAndColumn) {
  // The NaN before the error shortens nothing: the column is the file's own.
  const std::string text = "{\"benchmarks\": [\n  {\"x\": NaN, \"y\": tru}\n]}";
  try {
    ParseJsonText(text, "t.json");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("line 2, column 22"),
              std::string::npos)
        << e.what();
  }
}

TEST(BenchJsonTest, OldSchemaWithoutRunTypeIsIteration) {
  BenchFile f = ParseText(R"({"benchmarks": [{"name": "BM_x", "iterations": 1,
      "real_time": 5, "cpu_time": 5, "time_unit": "ns"}]})");
  EXPECT_EQ(f.rows[0].run_type, RunType::kIteration);
  EXPECT_EQ(f.rows[0].run_name, "BM_x");
}

TEST(SemanticsTest, CorrectReluOnEdgeBits) {
  // f32
  EXPECT_TRUE(IsCorrectRelu(0x7fc00000, 0xffc00001, "f32"));  // NaN -> any NaN
  EXPECT_FALSE(
      IsCorrectRelu(0x7fc00000, 0x00000000, "f32"));  // NaN -> 0 is wrong
  EXPECT_TRUE(IsCorrectRelu(0x80000000, 0x80000000, "f32"));  // -0 -> -0
  EXPECT_TRUE(IsCorrectRelu(0x80000000, 0x00000000, "f32"));  // -0 -> +0
  EXPECT_TRUE(IsCorrectRelu(0xff800000, 0x80000000, "f32"));  // -inf -> -0
  EXPECT_FALSE(
      IsCorrectRelu(0xff800000, 0x7fc00000, "f32"));  // -inf -> NaN is wrong
  EXPECT_TRUE(IsCorrectRelu(0x00000001, 0x00000001, "f32"));  // denormal kept
  EXPECT_FALSE(IsCorrectRelu(0x00000001, 0x00000000,
                             "f32"));  // flushed denormal is wrong
  EXPECT_FALSE(
      IsCorrectRelu(0x3fc00000, 0x3fc00001, "f32"));  // x > 0 must be x exactly
  // f64
  EXPECT_TRUE(IsCorrectRelu(0x7ff8000000000000, 0x7ff8000000000000, "f64"));
  EXPECT_TRUE(IsCorrectRelu(0xbff8000000000000, 0x0000000000000000, "f64"));
  EXPECT_FALSE(IsCorrectRelu(0xbff8000000000000, 0xbff8000000000000, "f64"));
  EXPECT_TRUE(IsCorrectRelu(0x7ff0000000000000, 0x7ff0000000000000, "f64"));
}

TEST(SemanticsTest, NumpyAgreementTreatsNansAlike) {
  EXPECT_TRUE(SameResult(0x7fc00000, 0xffc00000, "f32"));
  EXPECT_FALSE(SameResult(0x80000000, 0x00000000, "f32"));  // -0 vs +0 differ
  EXPECT_TRUE(SameResult(0x7ff8000000000001, 0xfff8000000000000, "f64"));
}

TEST(SemanticsTest, RejectsOutputsThatDoNotMatchInputs) {
  EXPECT_THROW(
      ParseSemanticsText(R"({"inputs": [{"label": "a", "f32": "0x00000000",
      "f64": "0x0000000000000000"}], "rows": [{"variant": "maximum", "form": "scalar",
      "dtype": "f32", "outputs": []}]})",
                         "s.json"),
      InputError);
  EXPECT_THROW(ParseSemanticsText(R"({"inputs": [{"label": "a", "f32": "0x0",
      "f64": "0x0000000000000000"}], "rows": []})",
                                  "s.json"),
               InputError);
}

}  // namespace
}  // namespace relu::report

namespace relu::report {
namespace {

TEST(SemanticsTest, FnTellsTwoRowsOfOneFormApart) {
  SemanticsFile f = ParseSemanticsText(
      R"({"inputs": [{"label": "one", "f32": "0x3f800000", "f64": "0x3ff0000000000000"}],
          "rows": [{"variant": "maximum", "form": "torch", "dtype": "f32", "fn": "relu",
                    "outputs": [{"bits": "0x3f800000", "text": "1"}]},
                   {"variant": "maximum", "form": "torch", "dtype": "f32",
                    "outputs": [{"bits": "0x3f800000", "text": "1"}]}]})",
      "s.json");
  EXPECT_EQ(f.rows[0].FormLabel(), "torch/fn:relu");
  EXPECT_EQ(f.rows[1].FormLabel(), "torch");
}

}  // namespace
}  // namespace relu::report
