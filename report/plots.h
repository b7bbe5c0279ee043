// Plot data (pure) and the call of scripts/plot.py that turns it into PNGs next
// to the report.
#ifndef RELU_REPORT_PLOTS_H_
#define RELU_REPORT_PLOTS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/model.h"

namespace relu::report {

// The plot data, relative to the report, kept beside the charts.
inline constexpr const char* kPlotDataFile = "plots/plot_data.json";

struct PlotChart {
  std::string title;
  std::string
      file;  // relative to the report: "plots/throughput_f32_maximum.png"
};

struct PlotOutcome {
  enum class State { kDisabled, kDone, kFailed };
  State state = State::kDisabled;
  std::string reason;  // kFailed: why, one line
  std::vector<PlotChart> charts;
};

struct PlotConfig {
  std::string python = "/usr/bin/python3";  // Debian's, which has matplotlib
  std::string script;                       // scripts/plot.py
};

// Where the CLI finds the interpreter and script: RELU_PYTHON and
// RELU_PLOT_SCRIPT override the defaults (tests use them to simulate a
// machine without matplotlib).
PlotConfig DefaultPlotConfig();

// One chart per dtype and variant: GB/s against working-set bytes, one
// series per form, the fastest copy at each size as the ceiling, and the
// cache sizes as vertical marks. File names are relative to the report.
// `so_elements` is the StackOverflow shape's element count (its bar chart).
nlohmann::json BuildPlotData(const Model& model, int64_t so_elements);

// Writes plots/plot_data.json under `report_dir` and runs the script on it.
// The CLI passes its staging directory (staged_output.h), so nothing lands
// beside the real report until the whole run has succeeded. Never throws:
// any failure comes back as kFailed with a reason, because a missing
// matplotlib must not cost the reader the report. A signal caught by an
// InterruptGuard stops the script.
PlotOutcome RunPlots(const Model& model, int64_t so_elements,
                     const std::string& report_dir, const PlotConfig& config);

}  // namespace relu::report

#endif  // RELU_REPORT_PLOTS_H_
