// The streamed JSON reader: the same rows as the whole-document parse, GB's
// non-finite literals across read blocks, and positions past the first block.
#include "report/json_input.h"

#include <gtest/gtest.h>

#include <string>

#include "report/bench_json.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::DataPath;
using testing::GbJson;
using testing::GbRow;
using testing::ReadFileOrDie;
using testing::ScratchDir;
using testing::WriteFileOrDie;

void ExpectSameFile(const BenchFile& a, const BenchFile& b) {
  EXPECT_EQ(a.context, b.context);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_EQ(a.rows[i].name, b.rows[i].name);
    EXPECT_EQ(a.rows[i].real_ns, b.rows[i].real_ns);
    EXPECT_EQ(a.rows[i].counters, b.rows[i].counters);
  }
}

TEST(JsonInputTest, StreamedAndWholeDocumentParsesAgreeOnTheSamples) {
  for (const char* name : {"sample_cpp.json", "sample_py.json",
                           "suite_sample.json", "gbench_test1_run1.json"}) {
    SCOPED_TRACE(name);
    const std::string path = DataPath(name);
    const std::string text = ReadFileOrDie(path);
    ExpectSameFile(LoadBenchFile(path),
                   ParseBenchJson(ParseJsonText(text, path), path));
    ExpectSameFile(LoadBenchFile(path), ParseBenchJsonText(text, path));
  }
}

// Pads a GB file so that `at` bytes in, the next text starts: the file
// source reads 1 MiB blocks, and a literal may straddle two.
std::string PaddedTo(size_t at, const std::string& tail) {
  std::string head = "{\"context\": {\"pad\": \"";
  head.append(at - head.size() - 4, 'x');
  return head + "\"},\n" + tail;
}

TEST(JsonInputTest, NonFiniteLiteralAcrossTheReadBlockIsNull) {
  ScratchDir dir;
  const size_t kBlock = size_t{1} << 20;
  const std::string tail = "\"benchmarks\": [" +
                           GbRow("relu/maximum/highway/f32/n:64", 10, "ns",
                                 R"("x": -Infinity, "bytes_per_second": NaN)") +
                           "]}";
  // Each literal starting a few bytes before the end of the first block.
  for (const char* literal : {"-Infinity", "NaN"}) {
    for (size_t before : {1, 2, 3, 5, 8}) {
      SCOPED_TRACE(std::string(literal) + " " + std::to_string(before));
      WriteFileOrDie(dir.File("f.json"),
                     PaddedTo(kBlock - tail.find(literal) - before, tail));
      BenchFile f = LoadBenchFile(dir.File("f.json"));
      ASSERT_EQ(f.rows.size(), 1u);
      EXPECT_EQ(f.rows[0].counters.count("x"), 0u);
      EXPECT_EQ(f.rows[0].counters.count("bytes_per_second"), 0u);
    }
  }
}

TEST(JsonInputTest, ErrorPositionsPastTheFirstBlockAreTheFiles) {
  ScratchDir dir;
  const size_t kBlock = size_t{1} << 20;
  // Line 2, right after the padding line; the error is at the ']' that
  // ends "tru", and the NaN before it on that line shortens nothing.
  const std::string text =
      PaddedTo(kBlock + 100, "\"x\": [NaN, tru], \"benchmarks\": []}");
  WriteFileOrDie(dir.File("f.json"), text);
  try {
    LoadBenchFile(dir.File("f.json"));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "invalid JSON at line 2, column 15 (in x[1])"),
              std::string::npos)
        << e.what();
  }
}

TEST(JsonInputTest, PathNamesKeysAndIndicesAndShortensDeepOnes) {
  JsonPath path;
  EXPECT_EQ(path.Text(), "");
  path.Push(false);
  path.SetKey("benchmarks");
  path.Push(true);
  path.ValueDone();
  path.ValueDone();
  path.Push(false);
  path.SetKey("odd key");
  EXPECT_EQ(path.Text(), "benchmarks[2][\"odd key\"]");
  for (int i = 0; i < 20; ++i) path.Push(true);
  EXPECT_EQ(path.Text(), "benchmarks[2][\"odd key\"][0][0][0]...[0][0][0]");
}

TEST(JsonInputTest, NestingUpToTheLimitIsFine) {
  std::string ok =
      GbJson({GbRow("relu/maximum/highway/f32/n:64", 10, "ns",
                    R"("x": )" + std::string(61, '[') + std::string(61, ']'))});
  EXPECT_EQ(ParseBenchJsonText(ok, "t.json").rows.size(), 1u);
  std::string deep =
      GbJson({GbRow("relu/maximum/highway/f32/n:64", 10, "ns",
                    R"("x": )" + std::string(62, '[') + std::string(62, ']'))});
  EXPECT_THROW(ParseBenchJsonText(deep, "t.json"), InputError);
}

TEST(JsonInputTest, ZeroCvStddevAndErroredRowsAreFine) {
  // A cv is a fraction and may be 0; a deviation may be 0; an errored row
  // carries GB's zeros.
  BenchFile f = ParseBenchJsonText(
      GbJson({GbRow("relu/maximum/highway/f32/n:64", 10),
              testing::GbCvRow("relu/maximum/highway/f32/n:64", 0),
              R"({"name": "relu/abs/highway/f32/n:64", "error_occurred": true,
                  "error_message": "wrong result", "iterations": 0,
                  "real_time": 0, "cpu_time": 0, "time_unit": "ns"})"}),
      "t.json");
  EXPECT_EQ(f.rows.size(), 3u);
  EXPECT_TRUE(f.rows[2].error);
}

}  // namespace
}  // namespace relu::report
