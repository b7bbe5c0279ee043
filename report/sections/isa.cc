// What each wider instruction set buys: the Highway form on every target this
// machine supports, against the next narrower one, per size class.
#include <algorithm>

#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "The Highway form forced onto each target this machine supports "
    "(isa:<target>, e.g. {avx2}; dynamic dispatch picks the widest). Each "
    "cell: the time, and in parentheses the time over the next wider "
    "target's (above 1: the wider one buys that much), paired within the "
    "size's rounds.\n\n";

}  // namespace

std::string RenderIsa(const Doc& doc) {
  std::string out;
  for (const std::string& dtype : Dtypes(doc.model)) {
    // Targets in the order the rows name them, widest first as dispatch
    // ranks them (the suite registers them best first).
    std::vector<std::string> targets;
    for (const Measurement& m : doc.model.measurements) {
      const std::string isa = m.name.Get("isa");
      if (m.ok() && m.name.dtype == dtype && !isa.empty() &&
          std::find(targets.begin(), targets.end(), isa) == targets.end()) {
        targets.push_back(isa);
      }
    }
    if (targets.empty()) continue;
    std::vector<Cell> header = {"size class", "variant"};
    for (const std::string& target : targets) header.emplace_back(target);
    Table t(header);
    for (const auto& [cls, n] : ClassSizes(doc.model, dtype)) {
      for (const char* v : {"maximum", "maximum_inplace"}) {
        std::vector<Cell> row = {SizeClassName(cls), v};
        const Measurement* wider = nullptr;
        bool any = false;
        for (const std::string& target : targets) {
          Query q = SuiteQuery(v, "highway", dtype, n);
          q.isa = target;
          const Measurement* m = FastestRow(doc.model, q);
          if (m == nullptr) {
            row.emplace_back("—");
            continue;
          }
          any = true;
          std::string text = FormatTime(m->time_ns);
          if (wider != nullptr)
            text += " (" + RatioWithCi(Compare(*m, *wider)) + ")";
          row.emplace_back(text);
          wider = m;
        }
        if (any) t.AddRow(std::move(row));
      }
    }
    if (!t.empty()) out += "### " + dtype + "\n\n" + t.Render() + "\n";
  }
  if (out.empty()) return "";
  return Fill(kIntro, fmt::arg("avx2", doc.glossary.Term("AVX2"))) + out;
}

}  // namespace relu::report
