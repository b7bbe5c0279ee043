// Argument parsing, loading, and the transactional write of report.md and
// its plots.
#include "report/cli.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "report/so_claims.h"
#include "report/staged_output.h"

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

// Throws InputError when the report would overwrite one of its own inputs.
void CheckNotAnInput(const std::string& report_path, const Options& o) {
  struct stat out;
  if (stat(report_path.c_str(), &out) != 0) return;  // a new file
  std::vector<std::string> inputs = o.inputs;
  inputs.insert(inputs.end(), o.semantics.begin(), o.semantics.end());
  if (!o.so_claims.empty()) inputs.push_back(o.so_claims);
  for (const std::string& in : inputs) {
    struct stat st;
    if (stat(in.c_str(), &st) == 0 && st.st_dev == out.st_dev &&
        st.st_ino == out.st_ino) {
      throw InputError(report_path,
                       fmt::format("output path is the input {}", in));
    }
  }
}

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
    if (std::string problem = OutputPathProblem(report_path);
        !problem.empty()) {
      throw InputError(report_path, problem);
    }
    CheckNotAnInput(report_path, opt);
  } catch (const InputError& e) {
    err << "relu_report: " << e.Line() << "\n";
    return kExitBadInput;
  }

  // Everything is written into a staging directory beside the report and
  // moved into place at the end; any return before that leaves the old
  // report and plots byte for byte as they were. The guard is declared
  // first so that a signal is re-raised only after the staging is gone.
  InterruptGuard interrupt_guard;
  StagedOutput staged;
  if (std::string problem = staged.Begin(report_path); !problem.empty()) {
    err << "relu_report: " << report_path << ": " << problem << "\n";
    return kExitBadInput;
  }
  auto interrupted = [&] {
    if (InterruptSignal() == 0) return false;
    err << "relu_report: " << report_path << ": interrupted by signal "
        << InterruptSignal() << "; nothing was replaced\n";
    return true;
  };
  std::string text;
  std::vector<std::string> outputs;
  try {
    const Model model = BuildModel(data.files);
    if (opt.plots) {
      data.plots = RunPlots(model, staged.dir(), plot_config);
      if (data.plots.state == PlotOutcome::State::kFailed &&
          InterruptSignal() == 0) {
        err << "relu_report: plots not generated: " << data.plots.reason
            << "\n";
      }
    }
    if (interrupted()) return 1;
    text = RenderReport(data, model);
  } catch (const std::exception& e) {
    err << "relu_report: internal error while rendering: " << e.what() << "\n";
    return 1;
  }
  if (data.plots.state == PlotOutcome::State::kDone) {
    for (const PlotChart& chart : data.plots.charts) {
      outputs.push_back(chart.file);
    }
    outputs.push_back(kPlotDataFile);
  }
  if (std::string problem = staged.WriteReport(text); !problem.empty()) {
    err << "relu_report: " << report_path << ": " << problem << "\n";
    return 1;
  }
  if (interrupted()) return 1;
  if (std::string problem = staged.Commit(outputs); !problem.empty()) {
    err << "relu_report: " << report_path << ": " << problem << "\n";
    return 1;
  }
  out << "relu_report: wrote " << report_path << "\n";
  return kExitOk;
}

}  // namespace relu::report
