// Output safety: --out must be a regular file or a new path, and the report
// and plots reach their places together or not at all, even when the plot
// script fails, the commit fails or the run is stopped by a signal.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "report/cli.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::DataPath;
using testing::GbJson;
using testing::GbRow;
using testing::LineCount;
using testing::ReadFileOrDie;
using testing::RunReport;
using testing::ScratchDir;
using testing::WriteFileOrDie;

std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = fs::relative(e.path(), root).string();
    if (e.is_symlink()) {
      files[rel] = "<link to " + fs::read_symlink(e.path()).string() + ">";
    } else {
      files[rel] = e.is_regular_file() ? ReadFileOrDie(e.path().string())
                                       : std::string("<dir>");
    }
  }
  return files;
}

// A stand-in for scripts/plot.py: writes every chart the data asks for,
// then does `then` (Python statements; `out` is the plots directory).
std::string FakePlotScript(const ScratchDir& dir, const std::string& then) {
  const std::string path = dir.File("fake_plot.py");
  WriteFileOrDie(path,
                 "import json, os, sys, time\n"
                 "out = sys.argv[2]\n"
                 "charts = json.load(open(sys.argv[1]))['charts']\n"
                 "for c in charts:\n"
                 "    open(os.path.join(out, c['file']), 'w').write('new')\n" +
                     then + "\n");
  return path;
}

class OutputTest : public ::testing::Test {
 protected:
  // A previous run's report and plots, which a failure must leave alone.
  void SetUp() override {
    WriteFileOrDie(dir_.File("report.md"), "previous report\n");
    fs::create_directories(dir_.File("plots"));
    WriteFileOrDie(dir_.File("plots/throughput_f32_maximum.png"), "old png");
    WriteFileOrDie(dir_.File("plots/plot_data.json"), "old data");
  }

  CliRun Run(const std::string& then, const std::string& out_name) {
    PlotConfig plot;
    plot.python = "/usr/bin/python3";
    plot.script = FakePlotScript(dir_, then);
    return RunReport(
        {"--out", dir_.File(out_name), DataPath("sample_cpp.json")}, plot);
  }

  ScratchDir dir_;
};

TEST_F(OutputTest, SuccessReplacesReportAndPlotsAndLeavesNoTemporary) {
  CliRun r = Run("", "report.md");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(ReadFileOrDie(dir_.File("plots/throughput_f32_maximum.png")),
            "new");
  EXPECT_NE(ReadFileOrDie(dir_.File("plots/plot_data.json")), "old data");
  EXPECT_NE(ReadFileOrDie(dir_.File("report.md")), "previous report\n");
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos)
        << e.path();
  }
  EXPECT_FALSE(fs::exists(dir_.File("plots/plot_log.txt")));
}

TEST_F(OutputTest, FailedPlotScriptTouchesNoPlot) {
  // Writes every chart (one truncated), then fails: none of it may replace
  // the old plots, and the report says the plots were not generated.
  const auto plots_before = Snapshot(dir_.File("plots"));
  CliRun r =
      Run("open(os.path.join(out, charts[0]['file']), 'w')\n"
          "sys.exit('matplotlib exploded')",
          "report.md");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("plots not generated"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(dir_.File("plots")), plots_before);
  EXPECT_NE(ReadFileOrDie(dir_.File("report.md")).find("matplotlib exploded"),
            std::string::npos);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"appendix.md", "fake_plot.py",
                                             "plots", "report.md"}));
}

TEST_F(OutputTest, FailedCommitRestoresEveryPlot) {
  // The script turns the report path into a symbolic link once plotting is
  // done; the commit, which checks the path again, must then undo the plots
  // it had already moved.
  const auto plots_before = Snapshot(dir_.File("plots"));
  CliRun r =
      Run("report = os.path.join(os.path.dirname(os.path.dirname("
          "out)), 'report.md')\n"
          "os.remove(report)\n"
          "os.symlink('/dev/null', report)",
          "report.md");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(LineCount(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("output path is a symbolic link"), std::string::npos)
      << r.err;
  EXPECT_EQ(Snapshot(dir_.File("plots")), plots_before);
  EXPECT_EQ(fs::read_symlink(dir_.File("report.md")), "/dev/null");
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos)
        << e.path();
  }
}

class OutPathTest : public ::testing::Test {
 protected:
  void ExpectRefused(const std::string& out, const std::string& problem) {
    WriteFileOrDie(dir_.File("in.json"),
                   GbJson({GbRow("relu/maximum/highway/f32/n:64", 10)}));
    const auto before = Snapshot(dir_.path());
    CliRun r = RunReport({"--no-plots", "--out", out, dir_.File("in.json")});
    EXPECT_EQ(r.code, kExitBadInput) << r.err;
    EXPECT_EQ(LineCount(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(out + ": " + problem), std::string::npos) << r.err;
    EXPECT_EQ(Snapshot(dir_.path()), before);
  }
  ScratchDir dir_;
};

TEST_F(OutPathTest, SymlinkIsRefusedAndItsTargetUntouched) {
  WriteFileOrDie(dir_.File("target.md"), "keep me\n");
  fs::create_symlink(dir_.File("target.md"), dir_.File("link.md"));
  ExpectRefused(dir_.File("link.md"), "output path is a symbolic link");
  EXPECT_EQ(ReadFileOrDie(dir_.File("target.md")), "keep me\n");
}

TEST_F(OutPathTest, SymlinkToADeviceIsRefused) {
  fs::create_symlink("/dev/full", dir_.File("full.md"));
  ExpectRefused(dir_.File("full.md"), "output path is a symbolic link");
}

TEST_F(OutPathTest, DanglingSymlinkIsRefused) {
  fs::create_symlink(dir_.File("nowhere.md"), dir_.File("dangling.md"));
  ExpectRefused(dir_.File("dangling.md"), "output path is a symbolic link");
  EXPECT_FALSE(fs::exists(dir_.File("nowhere.md")));
}

TEST_F(OutPathTest, CharacterDeviceIsRefused) {
  ExpectRefused("/dev/null", "output path is a character device");
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(OutPathTest, NamedPipeIsRefused) {
  ASSERT_EQ(mkfifo(dir_.File("pipe.md").c_str(), 0600), 0);
  ExpectRefused(dir_.File("pipe.md"), "output path is a named pipe");
}

TEST_F(OutPathTest, DirectoryIsRefused) {
  fs::create_directories(dir_.File("sub"));
  ExpectRefused(dir_.File("sub"), "output path is a directory");
}

TEST_F(OutPathTest, AnInputIsRefused) {
  ExpectRefused(dir_.File("in.json"), "output path is the input");
}

TEST_F(OutPathTest, MissingDirectoryIsRefused) {
  ExpectRefused(dir_.File("nowhere/report.md"), "output directory");
}

// A signal while the plot script runs: the binary removes its staging
// directory, leaves the old report and plots, and dies of the signal.
TEST(InterruptTest, SignalDuringPlottingLeavesNothingBehind) {
  ScratchDir dir;
  WriteFileOrDie(dir.File("report.md"), "previous report\n");
  fs::create_directories(dir.File("plots"));
  WriteFileOrDie(dir.File("plots/throughput_f32_maximum.png"), "old png");
  // The script writes the charts, says so, then waits to be stopped.
  const std::string script =
      FakePlotScript(dir,
                     "open(os.path.join(os.path.dirname(os.path.dirname(out)), "
                     "'plotted'), 'w').write('')\ntime.sleep(60)");
  const std::string in = dir.File("in.json");
  fs::copy_file(DataPath("sample_cpp.json"), in);
  const auto before = Snapshot(dir.path());

  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("RELU_PYTHON", "/usr/bin/python3", 1);
    setenv("RELU_PLOT_SCRIPT", script.c_str(), 1);
    const std::string out = dir.File("report.md");
    execl(RELU_REPORT_BINARY, RELU_REPORT_BINARY, "--out", out.c_str(),
          in.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Generous: a sanitizer build starts slowly.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(dir.File("plotted")) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fs::exists(dir.File("plotted")));
  fs::remove(dir.File("plotted"));
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_EQ(Snapshot(dir.path()), before);
}

}  // namespace
}  // namespace relu::report
