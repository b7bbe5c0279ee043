// The relu_report command line as a function, so tests run it without a
// process.
#ifndef RELU_REPORT_CLI_H_
#define RELU_REPORT_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "report/plots.h"

namespace relu::report {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;  // bad input files and usage errors

// relu_report [--out PATH] [--semantics FILE]... [--so-claims FILE]
//             [--plots|--no-plots] INPUT.json [INPUT.json ...]
// `args` excludes the program name. Problems go to `err` as one line each;
// the report is written to a temporary file in the output directory and
// renamed into place, so a failure never leaves a partial or clobbered report.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const PlotConfig& plot_config);
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

}  // namespace relu::report

#endif  // RELU_REPORT_CLI_H_
