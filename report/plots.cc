// Plot data for scripts/plot.py, and running it without a shell so paths need
// no quoting.
#include "report/plots.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "report/staged_output.h"

extern char** environ;

namespace relu::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string LastLine(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, end - start + 1);
}

}  // namespace

PlotConfig DefaultPlotConfig() {
  PlotConfig c;
  if (const char* p = std::getenv("RELU_PYTHON"); p != nullptr && *p)
    c.python = p;
#ifdef RELU_DEFAULT_PLOT_SCRIPT
  c.script = RELU_DEFAULT_PLOT_SCRIPT;
#endif
  if (const char* s = std::getenv("RELU_PLOT_SCRIPT"); s != nullptr && *s)
    c.script = s;
  return c;
}

PlotOutcome RunPlots(const Model& model, int64_t so_elements,
                     const std::string& report_dir, const PlotConfig& config) {
  PlotOutcome out;
  out.state = PlotOutcome::State::kFailed;
  json data = BuildPlotData(model, so_elements);
  if (data["charts"].empty()) {
    out.reason =
        "no relu rows with bytes_per_second at the main conditions to plot";
    return out;
  }
  if (access(config.python.c_str(), X_OK) != 0) {
    out.reason =
        fmt::format("cannot run {}: {}", config.python, std::strerror(errno));
    return out;
  }
  if (config.script.empty() || access(config.script.c_str(), R_OK) != 0) {
    out.reason = fmt::format("plot script {} not found", config.script);
    return out;
  }
  std::error_code ec;
  const fs::path dir = fs::path(report_dir) / "plots";
  fs::create_directories(dir, ec);
  if (ec) {
    out.reason =
        fmt::format("cannot create {}: {}", dir.string(), ec.message());
    return out;
  }
  const fs::path data_path = fs::path(report_dir) / kPlotDataFile;
  const fs::path log_path = dir / "plot_log.txt";
  {
    std::ofstream f(data_path);
    f << data.dump(1) << "\n";
    if (!f) {
      out.reason = fmt::format("cannot write {}", data_path.string());
      return out;
    }
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args = {config.python, config.script,
                                   data_path.string(), dir.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, config.python.c_str(), &actions, nullptr,
                       argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    out.reason =
        fmt::format("cannot start {}: {}", config.python, std::strerror(rc));
    return out;
  }
  int status = 0;
  bool stopped = false;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    // Interrupted: stop the script too, then let the caller clean up.
    if (InterruptSignal() != 0 && !stopped) {
      kill(pid, SIGTERM);
      stopped = true;
    }
  }
  if (stopped) {
    out.reason = "interrupted";
    return out;
  }
  std::ifstream log(log_path);
  std::stringstream log_text;
  log_text << log.rdbuf();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string last = LastLine(log_text.str());
    out.reason = fmt::format("{} {} failed{}{}", config.python, config.script,
                             last.empty() ? "" : ": ", last);
    return out;
  }
  for (const json& chart : data["charts"]) {
    const std::string file = chart["file"].get<std::string>();
    if (!fs::exists(dir / file)) {
      out.reason = fmt::format("{} did not write {}", config.script, file);
      out.charts.clear();
      return out;
    }
    out.charts.push_back({chart["title"].get<std::string>(), "plots/" + file});
  }
  fs::remove(log_path, ec);
  out.state = PlotOutcome::State::kDone;
  return out;
}

}  // namespace relu::report
