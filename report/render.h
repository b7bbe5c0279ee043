// Assembles report.md and its appendix from the sections: the answer first, the
// detail after, the context and semantics in the appendix.
#ifndef RELU_REPORT_RENDER_H_
#define RELU_REPORT_RENDER_H_

#include <string>

#include "report/sections/common.h"

namespace relu::report {

struct Rendered {
  std::string report;    // report.md
  std::string appendix;  // appendix.md: context, semantics, every row, glossary
};

// Deterministic: the same inputs give the same bytes (no clock, no paths
// beyond the ones the inputs were named by). `appendix_name` is the
// appendix's file name relative to the report, for links.
Rendered RenderReport(const ReportInput& in, const Model& model,
                      const std::string& appendix_name);

}  // namespace relu::report

#endif  // RELU_REPORT_RENDER_H_
