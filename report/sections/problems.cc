// Rows that could not be used: errored or skipped benchmarks, names outside the
// grammar, and notes about the inputs.
#include "report/sections/sections.h"

namespace relu::report {

std::string RenderProblems(const Doc& doc) {
  std::string out;
  Table errors({"input", "benchmark", "status", "message"});
  for (const Measurement& m : doc.model.measurements) {
    if (m.ok()) continue;
    errors.AddRow({m.file, m.run_name,
                   m.status == Status::kError ? "error" : "skipped",
                   m.message.empty() ? std::string("—") : m.message});
  }
  if (!errors.empty())
    out += "### Errored and skipped rows\n\n" + errors.Render() + "\n";
  if (!doc.model.unrecognised.empty()) {
    Table t({"input", "name", "why not recognised"});
    for (const UnrecognisedRow& u : doc.model.unrecognised) {
      t.AddRow({u.file, u.name, u.why});
    }
    out +=
        "### Rows outside the name grammar\n\nShown as they are and left "
        "out of every other section.\n\n" +
        t.Render() + "\n";
  }
  if (!doc.model.notes.empty()) {
    out += "### Notes\n\n";
    for (const std::string& n : doc.model.notes) out += "- " + Escape(n) + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace relu::report
