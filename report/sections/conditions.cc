// Output policy and input signs: what allocating the output on every call costs
// each form, and whether a form's time depends on the share of negatives.
#include <algorithm>

#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kFreshIntro =
    "{fresh} allocates the output on every call, as `y = f(x)` does; "
    "{reuse} writes a preallocated one. The ratio is what allocating and "
    "first touching the output costs (paired within each size's rounds). "
    "PyTorch's and Numba's allocators do not ask for huge pages, so at "
    "large sizes they fault in 4 KiB pages where NumPy's allocator (which "
    "does ask) faults in 2 MiB ones: the context key thp says whether huge "
    "pages are on for the asking (madvise) or for every allocation.\n\n";
constexpr const char* kNegIntro =
    "The share of negative inputs: a form whose time depends on it branches "
    "on the data (or, as masked assignment does, writes only the "
    "negatives). Time at neg:0 and neg:100 over neg:50, for the scalar loop "
    "and Highway (the appendix's data has every form).\n\n";

}  // namespace

std::string RenderConditions(const Doc& doc) {
  Glossary& g = doc.glossary;
  std::string out;
  Table fresh(
      {"dtype", "input", "variant", "form", "fresh", "reuse", "fresh ÷ reuse"});
  for (const Measurement& f : doc.model.measurements) {
    if (!f.ok() || f.name.family != "relu" ||
        Effective(f.name, "out") != "fresh" ||
        Effective(f.name, "state") != "producer" ||
        Effective(f.name, "threads") != "1" ||
        Effective(f.name, "protocol") != "fair" || f.name.op != "maximum") {
      continue;
    }
    const std::string key = SameBut(f, "out");
    const Measurement* reuse = Fastest(doc.model, [&](const Measurement& m) {
      return Effective(m.name, "out") == "reuse" && SameBut(m, "out") == key;
    });
    const auto n = f.name.Elements();
    if (reuse == nullptr || (n && !ShownSize(doc, f.name.dtype, *n))) continue;
    fresh.AddRow(
        {f.name.dtype,
         n ? FormatBytes(double(*n) * f.name.ElementBytes()) : std::string("—"),
         f.name.op, RowLabel(f).substr(f.name.op.size() + 1), TimeWithCi(f),
         TimeWithCi(*reuse), RatioWithCi(Compare(f, *reuse))});
  }
  if (!fresh.empty()) {
    out += Fill(kFreshIntro, fmt::arg("fresh", g.Term("out:fresh")),
                fmt::arg("reuse", g.Term("out:reuse"))) +
           fresh.Render() + "\n";
  }
  Table neg({"dtype", "input", "kernel", "neg:50", "neg:0 ÷ neg:50",
             "neg:100 ÷ neg:50"});
  for (const Measurement& m : doc.model.measurements) {
    if (!m.ok() || m.name.family != "relu" ||
        Effective(m.name, "neg") != "50" || !IsDefaultCondition(m.name) ||
        (m.name.form != "scalar" && m.name.form != "highway") ||
        (m.name.op != "maximum" && m.name.op != "masked_assign")) {
      continue;
    }
    const std::string key = SameBut(m, "neg");
    auto at = [&](const char* neg) {
      return Fastest(doc.model, [&](const Measurement& o) {
        return Effective(o.name, "neg") == neg && SameBut(o, "neg") == key;
      });
    };
    const Measurement* zero = at("0");
    const Measurement* all = at("100");
    if (!zero && !all) continue;
    const auto n = m.name.Elements();
    neg.AddRow(
        {m.name.dtype,
         n ? FormatBytes(double(*n) * m.name.ElementBytes()) : std::string("—"),
         m.name.op + "/" + m.name.form, TimeWithCi(m),
         zero ? RatioWithCi(Compare(*zero, m)) : std::string("—"),
         all ? RatioWithCi(Compare(*all, m)) : std::string("—")});
  }
  if (!neg.empty()) out += std::string(kNegIntro) + neg.Render() + "\n";
  return out;
}

}  // namespace relu::report
