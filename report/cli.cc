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
#include "report/sections/machines.h"
#include "report/semantics.h"
#include "report/so_claims.h"
#include "report/staged_output.h"

namespace relu::report {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: relu_report [--out PATH/report.md] [--semantics FILE]... "
    "[--so-claims FILE] [--probe FILE] [--plots|--no-plots] INPUT.json "
    "[INPUT.json ...]\n"
    "       relu_report --out PATH.md --machine RUN_DIR --machine RUN_DIR ...\n"
    "       relu_report --diff RUN_A RUN_B   (a RUN is a directory holding "
    "bench.json and/or py.json)\n"
    "       relu_report --machine-slug INPUT.json   (the directory name of "
    "this machine's runs under reports/)";

struct Options {
  std::string out;
  std::vector<std::string> semantics;
  std::string so_claims;
  std::string probe;
  bool plots = true;
  std::vector<std::string> inputs;
  std::vector<std::string> machines;  // --machine: one run directory each
  bool diff = false;                  // --diff RUN_A RUN_B
  bool slug = false;                  // --machine-slug INPUT.json
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
    } else if (is("--probe")) {
      problem = value("--probe", &o->probe);
    } else if (is("--machine")) {
      std::string m;
      problem = value("--machine", &m);
      o->machines.push_back(m);
    } else if (a == "--diff") {
      o->diff = true;
    } else if (a == "--machine-slug") {
      o->slug = true;
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
  if (*help) return "";
  if (o->slug) {
    if (o->inputs.size() != 1 || o->diff || !o->machines.empty()) {
      return "--machine-slug takes exactly one JSON file";
    }
    return "";
  }
  if (o->diff) {
    if (o->inputs.size() != 2 || !o->machines.empty()) {
      return "--diff takes exactly two run directories";
    }
    return "";
  }
  if (!o->machines.empty()) {
    if (!o->inputs.empty())
      return "--machine takes run directories, not JSON files";
    if (o->machines.size() < 2)
      return "--machine needs at least two run directories";
    if (o->out.empty()) return "--machine needs --out";
    return "";
  }
  if (o->inputs.empty()) return "no input JSON file given";
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

// The appendix beside the report: "appendix.md" for "report.md", else
// "<name>.appendix.md".
std::string AppendixName(const std::string& report_path) {
  const std::string stem = fs::path(report_path).stem().string();
  return stem == "report" ? "appendix.md" : stem + ".appendix.md";
}

}  // namespace

ReportInput LoadRunDir(const std::string& dir) {
  ReportInput in;
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw InputError(dir, "not a run directory");
  }
  for (const char* name : {"bench.json", "py.json"}) {
    const fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) in.files.push_back(LoadBenchFile(p.string()));
  }
  if (in.files.empty()) {
    throw InputError(dir, "holds neither bench.json nor py.json");
  }
  CheckSameMachine(in.files);
  for (const char* name : {"semantics.json", "numpy_semantics.json"}) {
    const fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) in.semantics.push_back(LoadSemanticsFile(p.string()));
  }
  return in;
}

int RunDiff(const std::string& a, const std::string& b, std::ostream& out,
            std::ostream& err) {
  try {
    const ReportInput ra = LoadRunDir(a), rb = LoadRunDir(b);
    out << RenderDiff(ra, rb, a, b);
  } catch (const InputError& e) {
    err << "relu_report: " << e.Line() << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

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
  if (opt.diff) return RunDiff(opt.inputs[0], opt.inputs[1], out, err);
  if (opt.slug) {
    try {
      ReportInput in;
      in.files.push_back(LoadBenchFile(opt.inputs[0]));
      out << MachineSlug(in) << "\n";
    } catch (const InputError& e) {
      err << "relu_report: " << e.Line() << "\n";
      return kExitBadInput;
    }
    return kExitOk;
  }
  ReportInput data;
  std::vector<ReportInput> machines;
  std::string report_path;
  try {
    for (const std::string& dir : opt.machines)
      machines.push_back(LoadRunDir(dir));
    for (const std::string& path : opt.inputs)
      data.files.push_back(LoadBenchFile(path));
    CheckSameMachine(data.files);
    for (const std::string& path : opt.semantics) {
      data.semantics.push_back(LoadSemanticsFile(path));
    }
    if (!opt.so_claims.empty()) data.claims = LoadSoClaims(opt.so_claims);
    if (!opt.probe.empty()) data.probe = ReadInputFile(opt.probe);
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
  const std::string appendix = AppendixName(report_path);
  std::string appendix_text;
  try {
    if (!machines.empty()) {
      text = RenderMachines(machines);
      if (std::string problem = staged.WriteReport(text); !problem.empty()) {
        err << "relu_report: " << report_path << ": " << problem << "\n";
        return 1;
      }
      if (std::string problem = staged.Commit({}); !problem.empty()) {
        err << "relu_report: " << report_path << ": " << problem << "\n";
        return 1;
      }
      out << "relu_report: wrote " << report_path << "\n";
      return kExitOk;
    }
    const Model model = BuildModel(data.files);
    if (opt.plots) {
      data.plots =
          RunPlots(model, SoElements(data.claims), staged.dir(), plot_config);
      if (data.plots.state == PlotOutcome::State::kFailed &&
          InterruptSignal() == 0) {
        err << "relu_report: plots not generated: " << data.plots.reason
            << "\n";
      }
    }
    if (interrupted()) return 1;
    Rendered rendered = RenderReport(data, model, appendix);
    text = std::move(rendered.report);
    appendix_text = std::move(rendered.appendix);
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
  if (std::string problem = staged.WriteFile(appendix, appendix_text);
      !problem.empty()) {
    err << "relu_report: " << report_path << ": " << problem << "\n";
    return 1;
  }
  outputs.push_back(appendix);
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
