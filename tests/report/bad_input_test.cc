// Bad input: each class gets one line on stderr naming the file, exit 2, and no
// report written or touched.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
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
    auto before = dir_.List();
    std::vector<std::string> args = {"--no-plots", "--out",
                                     dir_.File("report.md")};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    if (!bad_path.empty()) args.push_back(bad_path);
    args.push_back(dir_.File("good.json"));
    CliRun r = RunReport(args);
    EXPECT_EQ(r.code, kExitBadInput) << r.err;
    EXPECT_EQ(LineCount(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("relu_report: ", 0), 0u) << r.err;
    if (!bad_path.empty()) {
      EXPECT_NE(r.err.find(bad_path), std::string::npos)
          << "names the file: " << r.err;
    }
    EXPECT_NE(r.err.find(expected_problem), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    // The existing report is untouched and no temporary file is left.
    EXPECT_EQ(testing::ReadFileOrDie(dir_.File("report.md")),
              "previous report\n");
    EXPECT_EQ(dir_.List(), before);
    return r;
  }

  ScratchDir dir_;
};

TEST_F(BadInputTest, MissingFile) {
  ExpectRejectedFile(dir_.File("absent.json"),
                     "cannot open: No such file or directory");
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
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"in.json", "report.md"}));
  EXPECT_NE(testing::ReadFileOrDie(dir.File("report.md"))
                .find("# ReLU benchmark report"),
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
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"in.json", "r.md"}));
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
