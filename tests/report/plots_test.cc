// Plots: the data handed to scripts/plot.py, and the report when Python or
// matplotlib is missing.
#include "report/plots.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "report/bench_json.h"
#include "report/cli.h"
#include "report/model.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

using testing::DataPath;
using testing::ReadFileOrDie;
using testing::RunReport;
using testing::ScratchDir;
using testing::WriteFileOrDie;

TEST(PlotDataTest, SweepsWithIntervalsAndTheCeilingOfTheSameBytes) {
  // An older run: four sizes per dtype, the question's shape from Python.
  std::vector<BenchFile> files = {LoadBenchFile(DataPath("sample_cpp.json")),
                                  LoadBenchFile(DataPath("sample_py.json"))};
  Model model = BuildModel(files);
  nlohmann::json data = BuildPlotData(model, 5000 * 5000);
  std::vector<std::string> names;
  for (const auto& c : data["charts"]) names.push_back(c["file"]);
  // The question's shape first, then each dtype's sweeps (f64 first).
  ASSERT_GE(names.size(), 5u);
  EXPECT_EQ(names[0], "stackoverflow_f64.png");
  EXPECT_EQ(names[1], "throughput_f64_maximum.png");
  EXPECT_EQ(names[2], "throughput_f64_maximum_inplace.png");
  const auto& c = data["charts"][1];
  ASSERT_GE(c["series"].size(), 3u);
  EXPECT_EQ(c["series"][0]["label"], "scalar");
  EXPECT_EQ(c["series"][0]["owner"], "ours");
  // Each point: x, GB/s, and the interval's ends around it.
  for (const auto& s : c["series"]) {
    double last = 0;
    for (const auto& p : s["points"]) {
      EXPECT_GT(p[0].get<double>(), last);
      last = p[0].get<double>();
      EXPECT_LE(p[2].get<double>(), p[1].get<double>());
      EXPECT_GE(p[3].get<double>(), p[1].get<double>());
    }
  }
  EXPECT_GE(c["ceiling"]["points"].size(), 4u);
  EXPECT_EQ(c["vlines"].size(), 3u);
  // Bars: NumPy as the answers wrote it, each with its own bytes' copy.
  const auto& bars = data["charts"][0]["bars"];
  ASSERT_GE(bars.size(), 6u);
  for (size_t i = 1; i < bars.size(); ++i) {
    if (bars[i]["form"] == "numpy" && bars[i - 1]["form"] == "numpy") {
      EXPECT_GE(bars[i]["ms"].get<double>(), bars[i - 1]["ms"].get<double>());
    }
  }
}

TEST(PlotDataTest, TheFixtureRunDrawsTheScalingOfTwoThreads) {
  std::vector<BenchFile> files = {LoadBenchFile(DataPath("run_bench.json"))};
  Model model = BuildModel(files);
  nlohmann::json data = BuildPlotData(model, 40 * 50);
  bool scaling = false;
  for (const auto& c : data["charts"]) {
    if (c["kind"] != "scaling") continue;
    scaling = true;
    bool copy = false;
    for (const auto& s : c["series"]) copy |= s["form"] == "copy";
    EXPECT_TRUE(copy) << "the copy's speed-up is the ceiling";
  }
  EXPECT_TRUE(scaling);
}

TEST(PlotRunTest, MissingPythonIsReportedAndTheReportStillWritten) {
  ScratchDir dir;
  PlotConfig config;
  config.python = "/nonexistent/python3";
  config.script = RELU_REPORT_PLOT_SCRIPT;
  auto r = RunReport(
      {"--plots", "--out", dir.File("report.md"), DataPath("sample_cpp.json")},
      config);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("plots not generated: cannot run /nonexistent/python3"),
            std::string::npos)
      << r.err;
  std::string md = ReadFileOrDie(dir.File("report.md"));
  EXPECT_NE(md.find("Not drawn: cannot run /nonexistent/python3"),
            std::string::npos);
}

TEST(PlotRunTest, MissingMatplotlibIsReportedWithPythonsReason) {
  ScratchDir dir;
  // A stand-in interpreter that fails as Python does without matplotlib.
  const std::string fake = dir.File("python3");
  WriteFileOrDie(fake,
                 "#!/bin/sh\necho \"ModuleNotFoundError: No module named "
                 "'matplotlib'\" >&2\n"
                 "exit 1\n");
  chmod(fake.c_str(), 0755);
  PlotConfig config;
  config.python = fake;
  config.script = RELU_REPORT_PLOT_SCRIPT;
  auto r = RunReport(
      {"--out", dir.File("report.md"), DataPath("sample_cpp.json")}, config);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string md = ReadFileOrDie(dir.File("report.md"));
  EXPECT_NE(md.find("No module named 'matplotlib'"), std::string::npos);
  EXPECT_FALSE(
      std::filesystem::exists(dir.File("plots/throughput_f32_maximum.png")));
}

TEST(PlotRunTest, DebianMatplotlibDrawsEveryChart) {
  if (access("/usr/bin/python3", X_OK) != 0 ||
      std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 with matplotlib (python3-matplotlib) is "
                    "not installed";
  }
  ScratchDir dir;
  PlotConfig config;
  config.script = RELU_REPORT_PLOT_SCRIPT;
  auto r = RunReport(
      {"--out", dir.File("report.md"), DataPath("sample_cpp.json")}, config);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  std::string md = ReadFileOrDie(dir.File("report.md"));
  for (const char* f : {"plots/throughput_f32_maximum.png",
                        "plots/throughput_f64_maximum_inplace.png"}) {
    EXPECT_NE(md.find(std::string("](") + f + ")"), std::string::npos) << f;
    ASSERT_TRUE(std::filesystem::exists(dir.File(f))) << f;
    // A PNG, not an empty file.
    std::string png = ReadFileOrDie(dir.File(f));
    ASSERT_GT(png.size(), 1000u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
  }
}

}  // namespace
}  // namespace relu::report
