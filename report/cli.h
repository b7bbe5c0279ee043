// The relu_report command line as a function, so tests run it without a
// process.
#ifndef RELU_REPORT_CLI_H_
#define RELU_REPORT_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "report/plots.h"
#include "report/sections/common.h"

namespace relu::report {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;  // bad input files and usage errors

// relu_report [--out PATH] [--semantics FILE]... [--so-claims FILE]
//             [--plots|--no-plots] INPUT.json [INPUT.json ...]
// `args` excludes the program name. Problems go to `err` as one line each.
// The report and its plots are written into a staging directory beside the
// report and moved into place only when all succeeded (staged_output.h), so
// a failure never leaves a partial, clobbered or stray file. --out must be a
// regular file or a new path, and not one of the inputs.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const PlotConfig& plot_config);
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

// A run directory (bench.json and/or py.json, and the semantics files when
// present) as report input; throws InputError.
ReportInput LoadRunDir(const std::string& dir);

// relu_report --diff A B: every verdict that differs between two runs.
int RunDiff(const std::string& a, const std::string& b, std::ostream& out,
            std::ostream& err);

}  // namespace relu::report

#endif  // RELU_REPORT_CLI_H_
