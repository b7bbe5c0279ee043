// Every verdict a run supports: the plan's comparisons (stats/plan.h) of each
// group, with their intervals; for the run-quality section and the verdict diff
// between runs.
#ifndef RELU_REPORT_VERDICTS_H_
#define RELU_REPORT_VERDICTS_H_

#include <string>
#include <vector>

#include "report/model.h"
#include "stats/plan.h"

namespace relu::report {

struct VerdictRow {
  const Measurement* a;
  const Measurement* b;
  stats::Why why;
  Comparison comparison;  // a / b
  // A stable name for the comparison across runs: both rows' names without
  // Google Benchmark's segments, and why they are compared.
  std::string key;
};

// What the plan needs of a row, from its name.
stats::Descriptor DescriptorOf(const Measurement& m);

// The plan's comparisons of every group of the model (rows of one file
// that share dtype, n, state and negatives), in a fixed order.
std::vector<VerdictRow> AllVerdicts(const Model& model);

}  // namespace relu::report

#endif  // RELU_REPORT_VERDICTS_H_
