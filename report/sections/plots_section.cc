// The charts, or why there are none.
#include "report/sections/sections.h"

namespace relu::report {

std::string RenderPlotsSection(const Doc& doc) {
  const PlotOutcome& p = doc.in.plots;
  switch (p.state) {
    case PlotOutcome::State::kDisabled:
      return "";
    case PlotOutcome::State::kFailed:
      return "Not drawn: " + Escape(p.reason) + ".\n\n";
    case PlotOutcome::State::kDone:
      break;
  }
  std::string out =
      "Each library keeps one colour in every chart; bars are 95% intervals. "
      "Throughput charts count bytes read plus written (" +
      doc.glossary.Term("GB/s") +
      "); the dashed line is the fastest copy of the same bytes, the dotted "
      "verticals the input size at which maximum's working set fills each "
      "cache.\n\n";
  for (const PlotChart& c : p.charts) {
    out += "![" + Escape(c.title) + "](" + c.file + ")\n\n";
  }
  return out;
}

}  // namespace relu::report
