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

TEST(PlotDataTest, OneChartPerDtypeAndVariantWithCopyCeiling) {
  std::vector<BenchFile> files = {LoadBenchFile(DataPath("sample_cpp.json"))};
  Model model = BuildModel(files);
  nlohmann::json data = BuildPlotData(model);
  const auto& charts = data["charts"];
  ASSERT_EQ(charts.size(), 12u);  // 6 variants x 2 dtypes
  const auto& c = charts[0];
  EXPECT_EQ(c["file"], "throughput_f32_maximum.png");
  // scalar, eigen, highway, xnnpack, onednn, in that order.
  ASSERT_EQ(c["series"].size(), 5u);
  EXPECT_EQ(c["series"][0]["label"], "scalar");
  EXPECT_EQ(c["series"][3]["peer"], true);
  // Four sizes per line, x ascending; the ceiling has one point per size.
  EXPECT_EQ(c["series"][2]["x"].size(), 4u);
  EXPECT_LT(c["series"][2]["x"][0].get<double>(),
            c["series"][2]["x"][1].get<double>());
  EXPECT_EQ(c["ceiling"]["x"].size(), 4u);
  EXPECT_EQ(c["vlines"].size(), 3u);
  // The ceiling is the fastest copy: never below what memcpy alone reaches.
  for (size_t i = 0; i < c["ceiling"]["y"].size(); ++i) {
    EXPECT_GT(c["ceiling"]["y"][i].get<double>(), 0);
  }
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
  EXPECT_NE(md.find("Not generated: cannot run /nonexistent/python3"),
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
  for (const char* f :
       {"plots/throughput_f32_maximum.png", "plots/throughput_f64_abs.png"}) {
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
