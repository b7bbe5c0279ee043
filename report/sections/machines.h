// Across runs: the headline comparisons with a column per machine, and the
// verdicts that differ between two runs.
#ifndef RELU_REPORT_SECTIONS_MACHINES_H_
#define RELU_REPORT_SECTIONS_MACHINES_H_

#include <string>
#include <vector>

#include "report/sections/common.h"

namespace relu::report {

// A machine's name from its run's context: CPU model (and family, where
// recorded), cores, the widest Highway target, the caches. VMs name Zen 4
// and Zen 5 alike ("AMD EPYC"); their L1d and family tell them apart.
std::string MachineLabel(const ReportInput& run);
// The same as a directory name under reports/:
// "amd-epyc-2c-avx3_dl-l1d48k", lower case, [a-z0-9_-] only.
std::string MachineSlug(const ReportInput& run);

// The cross-machine report: the question's NumPy ranking, the libraries and
// the copy at the question's shape, and (from full runs) the fastest form
// per size class, a column per machine; ratios to the first machine carry
// 95% intervals.
std::string RenderMachines(const std::vector<ReportInput>& runs);

// Every verdict of either run (stats/plan.h's comparisons) whose verdict
// differs between them: flips (faster in one, slower in the other) first,
// then changes to or from a tie, each with both intervals.
std::string RenderDiff(const ReportInput& a, const ReportInput& b,
                       const std::string& name_a, const std::string& name_b);

}  // namespace relu::report

#endif  // RELU_REPORT_SECTIONS_MACHINES_H_
