// Argument parsing, loading, and the atomic write of report.md.
#include "report/cli.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "report/so_claims.h"

namespace relu::report {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: relu_report [--out PATH/report.md] [--semantics FILE]... "
    "[--so-claims FILE] [--plots|--no-plots] INPUT.json [INPUT.json ...]";

struct Options {
  std::string out;
  std::vector<std::string> semantics;
  std::string so_claims;
  bool plots = true;
  std::vector<std::string> inputs;
};

// Returns an error message, or "" when the arguments are well formed.
std::string ParseArgs(const std::vector<std::string>& args, Options* o,
                      bool* help) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag, std::string* dst) -> std::string {
      std::string prefix = std::string(flag) + "=";
      if (a.rfind(prefix, 0) == 0) {
        *dst = a.substr(prefix.size());
      } else if (i + 1 < args.size()) {
        *dst = args[++i];
      } else {
        return fmt::format("{} needs a value", flag);
      }
      return dst->empty() ? fmt::format("{} needs a non-empty value", flag)
                          : "";
    };
    auto is = [&](const char* flag) {
      return a == flag || a.rfind(std::string(flag) + "=", 0) == 0;
    };
    std::string problem;
    if (a == "-h" || a == "--help") {
      *help = true;
    } else if (is("--out")) {
      problem = value("--out", &o->out);
    } else if (is("--semantics")) {
      std::string s;
      problem = value("--semantics", &s);
      o->semantics.push_back(s);
    } else if (is("--so-claims")) {
      problem = value("--so-claims", &o->so_claims);
    } else if (a == "--plots") {
      o->plots = true;
    } else if (a == "--no-plots") {
      o->plots = false;
    } else if (a.size() > 1 && a[0] == '-') {
      problem = fmt::format("unknown option {}", a);
    } else {
      o->inputs.push_back(a);
    }
    if (!problem.empty()) return problem;
  }
  if (o->inputs.empty() && !*help) return "no input JSON file given";
  return "";
}

// Removes the temporary file unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  return RunCli(args, out, err, DefaultPlotConfig());
}

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const PlotConfig& plot_config) {
  Options opt;
  bool help = false;
  if (std::string problem = ParseArgs(args, &opt, &help); !problem.empty()) {
    err << "relu_report: " << problem << "\n" << kUsage << "\n";
    return kExitBadInput;
  }
  if (help) {
    out << kUsage << "\n";
    return kExitOk;
  }
  ReportData data;
  std::string report_path;
  try {
    for (const std::string& path : opt.inputs)
      data.files.push_back(LoadBenchFile(path));
    CheckSameMachine(data.files);
    for (const std::string& path : opt.semantics) {
      data.semantics.push_back(LoadSemanticsFile(path));
    }
    if (!opt.so_claims.empty()) data.claims = LoadSoClaims(opt.so_claims);
    report_path =
        opt.out.empty()
            ? (fs::path(opt.inputs.front()).parent_path() / "report.md")
                  .string()
            : opt.out;
    fs::path dir = fs::path(report_path).parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      throw InputError(
          report_path,
          fmt::format("output directory {} does not exist", dir.string()));
    }
    if (fs::is_directory(report_path, ec)) {
      throw InputError(report_path, "output path is a directory");
    }
  } catch (const InputError& e) {
    err << "relu_report: " << e.Line() << "\n";
    return kExitBadInput;
  }

  const Model model = BuildModel(data.files);
  const fs::path dir = fs::path(report_path).parent_path().empty()
                           ? fs::path(".")
                           : fs::path(report_path).parent_path();
  // Claim the temporary file before plotting, so an unwritable directory is
  // reported before anything else is produced.
  std::string tmp =
      (dir / (fs::path(report_path).filename().string() + ".tmpXXXXXX"))
          .string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    err << "relu_report: " << report_path << ": cannot create a file in "
        << dir.string() << ": " << std::strerror(errno) << "\n";
    return kExitBadInput;
  }
  TempFile guard(tmp);
  if (opt.plots) {
    data.plots = RunPlots(model, dir.string(), plot_config);
    if (data.plots.state == PlotOutcome::State::kFailed) {
      err << "relu_report: plots not generated: " << data.plots.reason << "\n";
    }
  }
  std::string text;
  try {
    text = RenderReport(data, model);
  } catch (const std::exception& e) {
    close(fd);
    err << "relu_report: internal error while rendering: " << e.what() << "\n";
    return 1;
  }
  size_t written = 0;
  while (written < text.size()) {
    ssize_t w = write(fd, text.data() + written, text.size() - written);
    if (w < 0) {
      if (errno == EINTR) continue;
      err << "relu_report: " << report_path
          << ": write failed: " << std::strerror(errno) << "\n";
      close(fd);
      return 1;
    }
    written += static_cast<size_t>(w);
  }
  // mkstemp creates 0600; give the report the mode a plain create would.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  if (fsync(fd) != 0 || close(fd) != 0) {
    err << "relu_report: " << report_path
        << ": write failed: " << std::strerror(errno) << "\n";
    return 1;
  }
  if (std::rename(tmp.c_str(), report_path.c_str()) != 0) {
    err << "relu_report: " << report_path << ": cannot rename " << tmp
        << " into place: " << std::strerror(errno) << "\n";
    return 1;
  }
  guard.Release();
  out << "relu_report: wrote " << report_path << "\n";
  return kExitOk;
}

}  // namespace relu::report
