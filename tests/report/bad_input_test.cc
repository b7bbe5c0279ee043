// Bad input: each class gets one line on stderr naming the file, exit 2, and no
// report written or touched.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "report/cli.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::CliRun;
using testing::GbJson;
using testing::GbRow;
using testing::LineCount;
using testing::RunReport;
using testing::ScratchDir;
using testing::WriteFileOrDie;

const std::string kGoodRow =
    GbRow("relu/maximum/highway/f32/n:64/out:reuse", 10);

// Every file under `root` with its bytes: the output a failed run must leave
// exactly as it was, plots included.
std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const std::string rel = std::filesystem::relative(e.path(), root).string();
    files[rel] = e.is_regular_file() ? testing::ReadFileOrDie(e.path().string())
                                     : std::string("<dir>");
  }
  return files;
}

class BadInputTest : public ::testing::Test {
 protected:
  // Writes `text` as bad.json next to a good input and an existing report,
  // runs the CLI on both, and checks the contract common to every class.
  CliRun ExpectRejected(const std::string& text,
                        const std::string& expected_problem,
                        std::vector<std::string> extra_args = {}) {
    WriteFileOrDie(dir_.File("good.json"), GbJson({kGoodRow}));
    WriteFileOrDie(dir_.File("bad.json"), text);
    return ExpectRejectedFile(dir_.File("bad.json"), expected_problem,
                              std::move(extra_args));
  }

  CliRun ExpectRejectedFile(const std::string& bad_path,
                            const std::string& expected_problem,
                            std::vector<std::string> extra_args = {}) {
    WriteFileOrDie(dir_.File("good.json"), GbJson({kGoodRow}));
    WriteFileOrDie(dir_.File("report.md"), "previous report\n");
    // Plots of a previous run, and a plot script that would overwrite them:
    // a rejected input must never reach it.
    std::filesystem::create_directories(dir_.File("plots"));
    WriteFileOrDie(dir_.File("plots/throughput_f32_maximum.png"), "old png");
    WriteFileOrDie(dir_.File("plots/plot_data.json"), "{}");
    WriteFileOrDie(
        dir_.File("plot.py"),
        "import json, sys\n"
        "for c in json.load(open(sys.argv[1]))['charts']:\n"
        "    open(sys.argv[2] + '/' + c['file'], 'w').write('new')\n");
    const auto before = Snapshot(dir_.path());
    std::vector<std::string> args = {"--plots", "--out",
                                     dir_.File("report.md")};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    if (!bad_path.empty()) args.push_back(bad_path);
    args.push_back(dir_.File("good.json"));
    PlotConfig plot;
    plot.python = "/usr/bin/python3";
    plot.script = dir_.File("plot.py");
    CliRun r = RunReport(args, plot);
    EXPECT_EQ(r.code, kExitBadInput) << r.err;
    EXPECT_EQ(LineCount(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("relu_report: ", 0), 0u) << r.err;
    if (!bad_path.empty()) {
      EXPECT_NE(r.err.find(bad_path), std::string::npos)
          << "names the file: " << r.err;
    }
    EXPECT_NE(r.err.find(expected_problem), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    // The existing report and plots are byte-identical and no temporary
    // file is left.
    EXPECT_EQ(Snapshot(dir_.path()), before);
    return r;
  }

  ScratchDir dir_;
};

// The table of crafted bad inputs (issue 17): each one exits 2 with one line
// naming the file, where in it and what is wrong, and leaves the previous
// report and plots byte-identical. Several used to abort (an uncaught
// nlohmann exception), crash (deep nesting) or pass silently (impossible
// values).
enum class Kind { kBench, kSemantics, kClaims };

struct BadCase {
  const char* id;
  Kind kind;
  std::string text;
  std::string expected;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.id; }

// A row of our grammar with GB's fields; `fields` replaces or adds fields
// (JSON values as text), an empty value drops one.
std::string Row(std::map<std::string, std::string> fields = {},
                const std::string& name = "relu/maximum/highway/f32/n:64") {
  std::map<std::string, std::string> f = {{"name", "\"" + name + "\""},
                                          {"run_name", "\"" + name + "\""},
                                          {"run_type", "\"iteration\""},
                                          {"repetitions", "1"},
                                          {"repetition_index", "0"},
                                          {"threads", "1"},
                                          {"iterations", "100"},
                                          {"real_time", "10"},
                                          {"cpu_time", "10"},
                                          {"time_unit", "\"ns\""}};
  for (const auto& [k, v] : fields) f[k] = v;
  std::string out = "{";
  for (const auto& [k, v] : f) {
    if (v.empty()) continue;
    if (out.size() > 1) out += ", ";
    out += "\"" + k + "\": " + v;
  }
  return out + "}";
}

// A time aggregate (or, with unit "percentage", a fraction) of that row.
std::string Agg(const std::string& aggregate, const std::string& real_time,
                const std::string& unit = "time") {
  return Row({{"name", "\"relu/maximum/highway/f32/n:64_" + aggregate + "\""},
              {"run_type", "\"aggregate\""},
              {"aggregate_name", "\"" + aggregate + "\""},
              {"aggregate_unit", "\"" + unit + "\""},
              {"repetitions", "3"},
              {"real_time", real_time},
              {"cpu_time", "1"}});
}

std::string Nest(int levels, const std::string& open, const std::string& inner,
                 const std::string& close) {
  std::string s;
  s.reserve(levels * (open.size() + close.size()) + inner.size());
  for (int i = 0; i < levels; ++i) s += open;
  s += inner;
  for (int i = 0; i < levels; ++i) s += close;
  return s;
}

std::string Ctx(const std::string& extra) {
  return GbJson({kGoodRow},
                R"({"host_name": "h", "num_cpus": 4, )" + extra + "}");
}

const char kSemOk[] =
    R"({"inputs": [{"label": "one", "f32": "0x3f800000", "f64": "0x3ff0000000000000"}], )";
std::string Sem(const std::string& rows) {
  return std::string(kSemOk) + R"("rows": [)" + rows + "]}";
}
std::string SemRow(const std::string& extra) {
  return R"({"variant": "maximum", "form": "scalar", "dtype": "f32", )" +
         extra + "}";
}
const char kSemOut[] = R"("outputs": [{"bits": "0x3f800000", "text": "1"}])";

std::string Claims(const std::string& answer_extra,
                   const std::string& top = R"("shape": [5000, 5000], )") {
  return "{" + top + R"("answers": [{"id": "a", )" + answer_extra + "}]}";
}
const char kTimings[] = R"("timings_ms": {"maximum": 239})";

std::vector<BadCase> BadCases() {
  const std::string row = "benchmarks[0] (\"relu/maximum/highway/f32/n:64\")";
  return {
      // Syntax and shape.
      {"Garbage", Kind::kBench, "not json", "invalid JSON at line 1, column 2"},
      {"TrailingComma", Kind::kBench, GbJson({kGoodRow + ","}),
       "invalid JSON at line 4, column 1 (in benchmarks[1])"},
      {"TrailingGarbage", Kind::kBench, GbJson({kGoodRow}) + "x",
       "invalid JSON at line 5, column 1"},
      {"NulByte", Kind::kBench, std::string("{\"benchmarks\": [\0]}", 19),
       "invalid JSON at line 1, column 17"},
      {"BadUtf8InString", Kind::kBench,
       GbJson({Row({{"label", "\"\xff\xfe\""}})}), "invalid JSON at line 3"},
      {"LoneSurrogate", Kind::kBench, GbJson({Row({{"label", R"("\ud800")"}})}),
       "invalid JSON at line 3"},
      {"TopLevelString", Kind::kBench, "\"benchmarks\"",
       "expected an object with a \"benchmarks\" array, got a string"},
      {"RowIsANumber", Kind::kBench, R"({"benchmarks": [1]})",
       "benchmarks[0] is a number, expected an object"},
      {"RowIsAnArray", Kind::kBench, R"({"benchmarks": [[]]})",
       "benchmarks[0] is an array, expected an object"},
      {"NameIsANumber", Kind::kBench, GbJson({Row({{"name", "7"}})}),
       "benchmarks[0] has no string \"name\""},
      {"DuplicateKeyInARow", Kind::kBench,
       GbJson({Row({{"label", R"("a", "label": "b")"}})}),
       "benchmarks[0].label: duplicate key"},
      {"DuplicateTopLevelKey", Kind::kBench,
       GbJson({kGoodRow}).substr(0, GbJson({kGoodRow}).size() - 2) +
           R"(, "benchmarks": []})",
       "benchmarks: duplicate key"},
      // Numbers beyond a double: these aborted with an uncaught exception.
      {"RealTimeOverflows", Kind::kBench,
       GbJson({Row({{"real_time", "1e309"}})}),
       "number 1e309 at line 3, column"},
      {"CounterOverflows", Kind::kBench,
       GbJson({Row({{"bytes_per_second", "-1e400"}})}),
       "(in benchmarks[0].bytes_per_second) is too large for a double"},
      {"ContextNumberOverflows", Kind::kBench, Ctx(R"("mhz_per_cpu": 2e308)"),
       "(in context.mhz_per_cpu) is too large for a double"},
      // Nesting: these overflowed the stack.
      {"DeepArrayInARow", Kind::kBench,
       GbJson({Row({{"label", Nest(100000, "[", "", "]")}})}),
       "JSON nested deeper than 64 levels"},
      {"DeepObjectInContext", Kind::kBench,
       Ctx(R"("x": )" + Nest(100000, R"({"a": )", "1", "}")),
       "nested deeper than 64 levels at line 1, column"},
      {"DeepUnderAnIgnoredKey", Kind::kBench,
       R"({"x": )" + Nest(100000, "[", "", "]") + "}",
       "JSON nested deeper than 64 levels at line 1, column 70 (in "
       "x[0][0]"},
      // Types of row fields.
      {"RunTypeUnknown", Kind::kBench, GbJson({Row({{"run_type", "\"x\""}})}),
       row + ": unknown run_type \"x\""},
      {"AggregateUnitUnknown", Kind::kBench,
       GbJson({Agg("mean", "10", "furlongs")}), "unknown aggregate_unit"},
      {"ErrorFlagIsAString", Kind::kBench,
       GbJson({Row({{"error_occurred", "\"yes\""}})}),
       "\"error_occurred\" is a string, expected true or false"},
      {"RealTimeIsNull", Kind::kBench, GbJson({Row({{"real_time", "null"}})}),
       "real_time is not a finite number"},
      {"RealTimeIsAnObject", Kind::kBench, GbJson({Row({{"real_time", "{}"}})}),
       "\"real_time\" is an object, expected a number"},
      {"RealTimeWithoutUnit", Kind::kBench, GbJson({Row({{"time_unit", ""}})}),
       "real_time without a time_unit"},
      {"NoRealTime", Kind::kBench, GbJson({Row({{"real_time", ""}})}),
       "no \"real_time\""},
      // Impossible values, each once ranked or printed as if measured.
      {"NegativeTime", Kind::kBench, GbJson({Row({{"real_time", "-3"}})}),
       row + ": real_time -3 ns is not a positive time"},
      {"ZeroTime", Kind::kBench, GbJson({Row({{"real_time", "0"}})}),
       "real_time 0 ns is not a positive time"},
      {"AbsurdTime", Kind::kBench,
       GbJson({Row({{"real_time", "1e308"}, {"time_unit", "\"s\""}})}),
       "real_time 1e+308 s is longer than 1e6 s"},
      {"NegativeCpuTime", Kind::kBench, GbJson({Row({{"cpu_time", "-1"}})}),
       "cpu_time -1 ns is negative"},
      {"ZeroMedian", Kind::kBench, GbJson({kGoodRow, Agg("median", "0")}),
       "real_time 0 ns is not a positive time"},
      {"NegativeStddev", Kind::kBench, GbJson({kGoodRow, Agg("stddev", "-1")}),
       "is a negative deviation"},
      {"NegativeCv", Kind::kBench,
       GbJson({kGoodRow, Agg("cv", "-0.5", "percentage")}),
       "cv -0.5 is not a plausible fraction"},
      {"AbsurdCv", Kind::kBench,
       GbJson({kGoodRow, Agg("cv", "1e300", "percentage")}),
       "cv 1e+300 is not a plausible fraction"},
      {"RepetitionsAbsurd", Kind::kBench,
       GbJson({Row({{"repetitions", "1e300"}})}),
       "\"repetitions\" is 1e+300, expected a whole number from 0 to 1e9"},
      {"RepetitionsFractional", Kind::kBench,
       GbJson({Row({{"repetitions", "2.5"}})}),
       "\"repetitions\" is 2.5, expected a whole number"},
      {"IterationsNegative", Kind::kBench,
       GbJson({Row({{"iterations", "-1"}})}),
       "\"iterations\" is -1, expected a whole number from 0"},
      {"IterationsBeyondGbCap", Kind::kBench,
       GbJson({Row({{"iterations", "10000000000"}})}),
       "\"iterations\" is 10000000000"},
      {"ThreadsZero", Kind::kBench, GbJson({Row({{"threads", "0"}})}),
       "\"threads\" is 0, expected a whole number from 1 to 1e9"},
      {"RepetitionIndexString", Kind::kBench,
       GbJson({Row({{"repetition_index", "\"0\""}})}),
       "\"repetition_index\" is a string (\"0\"), expected a number"},
      {"ShapeOverflows", Kind::kBench,
       GbJson({Row({}, "relu/maximum/numpy/f64/shape:9999999999x9999999999")}),
       "element count of shape:9999999999x9999999999 is impossible"},
      {"NOverflows", Kind::kBench,
       GbJson({Row({}, "relu/maximum/highway/f32/n:99999999999999999999")}),
       "element count of n:99999999999999999999 is impossible"},
      {"NegativeBytesPerSecond", Kind::kBench,
       GbJson({Row({{"bytes_per_second", "-1"}})}),
       "\"bytes_per_second\" is -1, expected a non-negative number"},
      {"WsBytesString", Kind::kBench,
       GbJson({Row({{"ws_bytes", "\"4 KiB\""}})}),
       "\"ws_bytes\" is a string (\"4 KiB\"), expected a number"},
      // Context types: a wrong one aborted, or failed while rendering.
      {"CacheLevelString", Kind::kBench,
       Ctx(R"("caches": [{"type": "Data", "level": "1", "size": 32768}])"),
       "context.caches[0].level is a string (\"1\"), expected a whole number"},
      {"CacheLevelNull", Kind::kBench,
       Ctx(R"("caches": [{"type": "Data", "level": null}])"),
       "context.caches[0].level is null"},
      {"CacheLevelHuge", Kind::kBench, Ctx(R"("caches": [{"level": 1e300}])"),
       "context.caches[0].level is a number (1e+300)"},
      {"CacheTypeNumber", Kind::kBench, Ctx(R"("caches": [{"type": 1}])"),
       "context.caches[0].type is a number (1), expected a string"},
      {"CacheSharingFraction", Kind::kBench,
       Ctx(R"("caches": [{"num_sharing": 0.5}])"),
       "context.caches[0].num_sharing is a number (0.5)"},
      {"CachesNotAnArray", Kind::kBench, Ctx(R"("caches": {})"),
       "context.caches is an object, expected an array"},
      {"CacheEntryNotAnObject", Kind::kBench, Ctx(R"("caches": [3])"),
       "context.caches[0] is a number (3), expected an object"},
      {"BuildTypeNumber", Kind::kBench, Ctx(R"("library_build_type": 5)"),
       "context.library_build_type is a number (5), expected a string"},
      {"NumCpusString", Kind::kBench,
       GbJson({kGoodRow}, R"({"host_name": "h", "num_cpus": "4"})"),
       "context.num_cpus is a string (\"4\")"},
      {"HostNameNull", Kind::kBench,
       GbJson({kGoodRow}, R"({"host_name": null})"),
       "context.host_name is null, expected a string"},
      {"ScalingString", Kind::kBench, Ctx(R"("cpu_scaling_enabled": "no")"),
       "context.cpu_scaling_enabled is a string (\"no\"), expected true or "
       "false"},
      {"LoadAvgString", Kind::kBench, Ctx(R"("load_avg": [1, "x"])"),
       "context.load_avg[1] is a string (\"x\"), expected a number"},
      {"CacheL1dObject", Kind::kBench, Ctx(R"("cache_l1d": {})"),
       "context.cache_l1d is an object, expected a positive byte count"},
      {"CacheLlcNotANumber", Kind::kBench, Ctx(R"("cache_llc": "32 MiB")"),
       "context.cache_llc is a string (\"32 MiB\")"},
      // Semantics files.
      {"SemanticsArray", Kind::kSemantics, "[]", "not a semantics file"},
      {"SemanticsFnNumber", Kind::kSemantics,
       Sem(SemRow(std::string(kSemOut) + R"(, "fn": 3)")),
       "rows[0].fn is a number, expected a string"},
      {"SemanticsBadBits", Kind::kSemantics,
       Sem(SemRow(R"("outputs": [{"bits": "0x3f80", "text": "1"}])")),
       "rows[0].outputs[0]: bad bits \"0x3f80\" for f32"},
      {"SemanticsOutputsCount", Kind::kSemantics,
       Sem(SemRow(R"("outputs": [])")),
       "\"outputs\" must be an array of 1 entries"},
      {"SemanticsNumberOverflow", Kind::kSemantics,
       Sem(SemRow(std::string(kSemOut) + R"(, "x": 1e999)")),
       "(in rows[0].x) is too large for a double"},
      {"SemanticsDeep", Kind::kSemantics, Nest(100000, R"({"a": )", "1", "}"),
       "JSON nested deeper than 64 levels"},
      // Claims files.
      {"ClaimsProtocolNumber", Kind::kClaims,
       Claims(std::string(R"("protocol": 7, )") + kTimings),
       "answers[0].protocol is a number (7), expected a string"},
      {"ClaimsClaimNull", Kind::kClaims,
       Claims(std::string(R"("claim": null, )") + kTimings),
       "answers[0].claim is null, expected a string"},
      {"ClaimsNegativeTiming", Kind::kClaims,
       Claims(R"("timings_ms": {"maximum": -5})"),
       "timings_ms.maximum is -5, expected a positive time"},
      {"ClaimsZeroTiming", Kind::kClaims,
       Claims(R"("timings_ms": {"maximum": 0})"),
       "timings_ms.maximum is 0, expected a positive time"},
      {"ClaimsTimingOverflows", Kind::kClaims,
       Claims(R"("timings_ms": {"maximum": 1e400})"),
       "(in answers[0].timings_ms.maximum) is too large for a double"},
      {"ClaimsStddevString", Kind::kClaims,
       Claims(std::string(kTimings) + R"(, "stddev_ms": {"maximum": "3"})"),
       "answers[0].stddev_ms.maximum is a string (\"3\"), expected a number"},
      {"ClaimsShapeOverflows", Kind::kClaims,
       Claims(kTimings, R"("shape": [4294967296, 4294967296], )"),
       "the product of \"shape\" exceeds 2^56 elements"},
      {"ClaimsShapeNegative", Kind::kClaims,
       Claims(kTimings, R"("shape": [-1, 5], )"),
       "shape[0] is a number (-1), expected a positive integer"},
      {"ClaimsVariantNumber", Kind::kClaims,
       Claims(kTimings, R"("variants": {"maximum": 1}, )"),
       "variants.maximum is a number (1), expected a string"},
      {"ClaimsDtypeNumber", Kind::kClaims, Claims(kTimings, R"("dtype": 64, )"),
       "dtype is a number (64), expected a string"},
      {"ClaimsDeep", Kind::kClaims, Nest(100000, "[", "", "]"),
       "JSON nested deeper than 64 levels"},
  };
}

class BadInputTable : public BadInputTest,
                      public ::testing::WithParamInterface<BadCase> {};

TEST_P(BadInputTable, ExitsTwoWithOneLineAndTouchesNothing) {
  const BadCase& c = GetParam();
  switch (c.kind) {
    case Kind::kBench:
      ExpectRejected(c.text, c.expected);
      break;
    case Kind::kSemantics: {
      WriteFileOrDie(dir_.File("sem.json"), c.text);
      CliRun r = ExpectRejectedFile("", c.expected,
                                    {"--semantics", dir_.File("sem.json")});
      EXPECT_NE(r.err.find(dir_.File("sem.json") + ": "), std::string::npos);
      break;
    }
    case Kind::kClaims: {
      WriteFileOrDie(dir_.File("claims.json"), c.text);
      CliRun r = ExpectRejectedFile("", c.expected,
                                    {"--so-claims", dir_.File("claims.json")});
      EXPECT_NE(r.err.find(dir_.File("claims.json") + ": "), std::string::npos);
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Crafted, BadInputTable,
                         ::testing::ValuesIn(BadCases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return std::string(info.param.id);
                         });

TEST(BadInputTableSize, AtLeastFortyCases) {
  EXPECT_GE(BadCases().size(), 40u);
}

TEST_F(BadInputTest, MissingFile) {
  ExpectRejectedFile(dir_.File("absent.json"),
                     "cannot open: No such file or directory");
}

TEST_F(BadInputTest, DirectoryIsNamedAsSuch) {
  // It used to read as an "empty file".
  std::filesystem::create_directories(dir_.File("dir.json"));
  ExpectRejectedFile(dir_.File("dir.json"), "is a directory, not a JSON file");
}

TEST_F(BadInputTest, SemanticsDirectoryIsNamedAsSuch) {
  std::filesystem::create_directories(dir_.File("semdir"));
  ExpectRejectedFile("", "semdir: is a directory, not a JSON file",
                     {"--semantics", dir_.File("semdir")});
}

TEST_F(BadInputTest, EmptyFile) { ExpectRejected("", "empty file"); }

TEST_F(BadInputTest, WhitespaceOnlyFileIsEmpty) {
  ExpectRejected(" \n\t\n", "empty file");
}

TEST_F(BadInputTest, InvalidJsonNamesLineAndColumn) {
  ExpectRejected("{\"context\": {},\n \"benchmarks\": [,]}",
                 "invalid JSON at line 2, column 17");
}

TEST_F(BadInputTest, TruncatedJson) {
  ExpectRejected("{\"benchmarks\": [{\"name\": \"x\"",
                 "invalid JSON at line 1");
}

TEST_F(BadInputTest, WrongShapeTopLevelArray) {
  ExpectRejected(
      "[1, 2]", "expected an object with a \"benchmarks\" array, got an array");
}

TEST_F(BadInputTest, WrongShapeNoBenchmarksKey) {
  ExpectRejected(R"({"context": {}, "runs": []})", "no \"benchmarks\" array");
}

TEST_F(BadInputTest, WrongShapeBenchmarksNotAnArray) {
  ExpectRejected(R"({"benchmarks": {"name": "x"}})",
                 "\"benchmarks\" is an object");
}

TEST_F(BadInputTest, WrongShapeRowWithoutName) {
  ExpectRejected(GbJson({R"({"real_time": 1, "time_unit": "ns"})"}),
                 "benchmarks[0] has no string \"name\"");
}

TEST_F(BadInputTest, WrongShapeContextNotAnObject) {
  ExpectRejected(R"({"context": "x", "benchmarks": [{"name": "a"}]})",
                 "\"context\" is a string");
}

TEST_F(BadInputTest, NoBenchmarks) {
  ExpectRejected(R"({"context": {}, "benchmarks": []})", "no benchmarks");
}

TEST_F(BadInputTest, UnknownTimeUnit) {
  ExpectRejected(GbJson({GbRow("relu/maximum/highway/f32/n:64", 1, "fs")}),
                 "unknown time_unit \"fs\"");
}

TEST_F(BadInputTest, NonNumericTime) {
  ExpectRejected(
      GbJson({R"({"name": "relu/abs/scalar/f32/n:8", "real_time": "fast",
                             "cpu_time": 1, "time_unit": "ns"})"}),
      "\"real_time\" is a string (\"fast\"), expected a number");
}

TEST_F(BadInputTest, NonNumericCounter) {
  ExpectRejected(GbJson({GbRow("relu/abs/scalar/f32/n:8", 1, "ns",
                               R"("ws_bytes": "4 KiB")")}),
                 "\"ws_bytes\" is a string");
}

TEST_F(BadInputTest, NonNumericIterations) {
  ExpectRejected(
      GbJson({R"({"name": "relu/abs/scalar/f32/n:8", "iterations": [1],
                             "real_time": 1, "cpu_time": 1, "time_unit": "ns"})"}),
      "\"iterations\" is an array");
}

TEST_F(BadInputTest, MixedHosts) {
  ExpectRejected(GbJson({kGoodRow}, R"({"host_name": "other", "num_cpus": 4})"),
                 "host_name \"h\" differs from \"other\"");
}

TEST_F(BadInputTest, MixedCpuCounts) {
  ExpectRejected(GbJson({kGoodRow}, R"({"host_name": "h", "num_cpus": 64})"),
                 "num_cpus 4 differs from 64");
}

TEST_F(BadInputTest, BadSemanticsFile) {
  WriteFileOrDie(dir_.File("sem.json"), R"({"inputs": []})");
  ExpectRejectedFile("", "sem.json: not a semantics file",
                     {"--semantics", dir_.File("sem.json")});
}

TEST_F(BadInputTest, BadClaimsFile) {
  WriteFileOrDie(
      dir_.File("claims.json"),
      R"({"answers": [{"id": "a", "timings_ms": {"maximum": "fast"}}]})");
  ExpectRejectedFile(
      "", "claims.json: answers[0] (\"a\"): timings_ms.maximum is not a number",
      {"--so-claims", dir_.File("claims.json")});
}

TEST_F(BadInputTest, OutputDirectoryMissing) {
  WriteFileOrDie(dir_.File("good.json"), GbJson({kGoodRow}));
  CliRun r = RunReport({"--no-plots", "--out", dir_.File("nowhere/report.md"),
                        dir_.File("good.json")});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_EQ(LineCount(r.err), 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST(UsageTest, NoInputIsAUsageError) {
  CliRun r = RunReport({"--no-plots"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("no input JSON file given"), std::string::npos);
}

TEST(UsageTest, UnknownOptionIsAUsageError) {
  CliRun r = RunReport({"--fast", "x.json"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("unknown option --fast"), std::string::npos);
}

TEST(UsageTest, OptionWithoutValue) {
  CliRun r = RunReport({"x.json", "--out"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("--out needs a value"), std::string::npos);
}

TEST(UsageTest, HelpExitsZero) {
  CliRun r = RunReport({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("usage: relu_report"), std::string::npos);
}

TEST(CliTest, DefaultOutputIsNextToTheFirstInput) {
  ScratchDir dir;
  WriteFileOrDie(dir.File("in.json"), GbJson({kGoodRow}));
  CliRun r = RunReport({"--no-plots", dir.File("in.json")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "relu_report: wrote " + dir.File("report.md") + "\n");
  // The report and its appendix (context, every row, the glossary).
  EXPECT_EQ(dir.List(),
            (std::vector<std::string>{"appendix.md", "in.json", "report.md"}));
  EXPECT_NE(testing::ReadFileOrDie(dir.File("report.md"))
                .find("# ReLU, measured fairly"),
            std::string::npos);
  EXPECT_NE(testing::ReadFileOrDie(dir.File("appendix.md")).find("# Appendix"),
            std::string::npos);
}

TEST(CliTest, SuccessReplacesAnExistingReport) {
  ScratchDir dir;
  WriteFileOrDie(dir.File("in.json"), GbJson({kGoodRow}));
  WriteFileOrDie(dir.File("r.md"), "old\n");
  CliRun r = RunReport(
      {"--no-plots", "--out=" + dir.File("r.md"), dir.File("in.json")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(testing::ReadFileOrDie(dir.File("r.md")), "old\n");
  EXPECT_EQ(dir.List(),
            (std::vector<std::string>{"in.json", "r.appendix.md", "r.md"}));
}

// The real binary, as scripts call it: exit statuses survive the process.
int RunBinary(const std::string& args, const std::string& err_path) {
  std::string cmd = std::string(RELU_REPORT_BINARY) + " " + args +
                    " >/dev/null 2>" + err_path;
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(BinaryTest, ExitStatusesOfTheRealProgram) {
  ScratchDir dir;
  WriteFileOrDie(dir.File("in.json"), GbJson({kGoodRow}));
  WriteFileOrDie(dir.File("bad.json"), "{");
  EXPECT_EQ(RunBinary("--no-plots " + dir.File("in.json"), dir.File("err.txt")),
            0);
  EXPECT_EQ(
      RunBinary("--no-plots " + dir.File("bad.json"), dir.File("err.txt")), 2);
  std::string err = testing::ReadFileOrDie(dir.File("err.txt"));
  EXPECT_EQ(LineCount(err), 1) << err;
  EXPECT_NE(err.find("bad.json: invalid JSON at line 1"), std::string::npos)
      << err;
  EXPECT_EQ(RunBinary("", dir.File("err.txt")), 2);
}

}  // namespace
}  // namespace relu::report
