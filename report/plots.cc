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

json BuildPlotData(const Model& model) {
  json charts = json::array();
  for (const std::string& dtype : Dtypes(model)) {
    // variant -> form -> n -> measurement, at the main tables' conditions.
    std::map<std::string,
             std::map<std::string, std::map<int64_t, const Measurement*>>>
        by;
    for (const Measurement& m : model.measurements) {
      if (!m.ok() || m.name.family != "relu" || m.name.dtype != dtype ||
          !m.elements || !m.GBps() || !m.ws_bytes ||
          !IsDefaultCondition(m.name)) {
        continue;
      }
      auto& slot = by[m.name.op][m.name.form][*m.elements];
      if (slot == nullptr || m.time_ns < slot->time_ns) slot = &m;
    }
    std::vector<std::string> variants;
    for (const auto& [v, _] : by) variants.push_back(v);
    std::stable_sort(variants.begin(), variants.end(),
                     [](const auto& a, const auto& b) {
                       return VariantOrder(a) < VariantOrder(b);
                     });
    for (const std::string& variant : variants) {
      const auto& forms = by[variant];
      std::vector<std::string> form_names;
      for (const auto& [f, _] : forms) form_names.push_back(f);
      std::stable_sort(form_names.begin(), form_names.end(),
                       [](const auto& a, const auto& b) {
                         return FormOrder(a) < FormOrder(b);
                       });
      json series = json::array();
      std::map<int64_t, double> ws_of_n;  // where each n sits on the x axis
      for (const std::string& form : form_names) {
        json x = json::array(), y = json::array();
        for (const auto& [n, m] : forms.at(form)) {
          x.push_back(*m->ws_bytes);
          y.push_back(*m->GBps());
          ws_of_n.emplace(n, *m->ws_bytes);
        }
        series.push_back(
            {{"label", form}, {"peer", IsPeerForm(form)}, {"x", x}, {"y", y}});
      }
      json cx = json::array(), cy = json::array(), cl = json::array();
      for (const auto& [n, ws] : ws_of_n) {
        const Measurement* copy = CopyReference(model, dtype, n);
        if (copy == nullptr || !copy->GBps()) continue;
        cx.push_back(ws);
        cy.push_back(*copy->GBps());
        cl.push_back(copy->name.op + "/" + copy->name.form);
      }
      json vlines = json::array();
      if (model.caches.l1d)
        vlines.push_back({{"x", *model.caches.l1d}, {"label", "L1d"}});
      if (model.caches.l2)
        vlines.push_back({{"x", *model.caches.l2}, {"label", "L2"}});
      if (model.caches.llc)
        vlines.push_back({{"x", *model.caches.llc}, {"label", "LLC"}});
      charts.push_back({
          {"file", fmt::format("throughput_{}_{}.png", dtype, variant)},
          {"title", fmt::format("relu/{} {}: throughput against working set",
                                variant, dtype)},
          {"xlabel", "working set of one call (bytes, log scale)"},
          {"ylabel", "GB/s (bytes_per_second)"},
          {"series", series},
          {"ceiling",
           {{"label", "fastest copy (ceiling)"},
            {"x", cx},
            {"y", cy},
            {"methods", cl}}},
          {"vlines", vlines},
      });
    }
  }
  return json{{"charts", charts}};
}

PlotOutcome RunPlots(const Model& model, const std::string& report_dir,
                     const PlotConfig& config) {
  PlotOutcome out;
  out.state = PlotOutcome::State::kFailed;
  json data = BuildPlotData(model);
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
