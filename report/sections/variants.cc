// Every Highway variant against Highway maximum at each size class, in
// bandwidth, so that variants that move more bytes (a zeros array, float64
// gradients of float32 input) are held to the same memory as maximum.
#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "Highway form, {state} state, one thread: each variant's {gbps} over "
    "Highway maximum's (in-place variants: over maximum_inplace's) at the "
    "same size, from the per-round ratios. 100% moves its bytes as fast as "
    "maximum; the target is within 10% (the interval's lower end at 90% or "
    "above). Bold marks an interval entirely below 90%.\n\n";

struct Cellv {
  Comparison c;
  bool present = false;
};

}  // namespace

std::string RenderVariants(const Doc& doc) {
  std::string out;
  for (const std::string& dtype : Dtypes(doc.model)) {
    const auto classes = ClassSizes(doc.model, dtype);
    if (classes.empty()) continue;
    std::vector<Cell> header = {"variant"};
    for (const auto& [cls, n] : classes)
      header.emplace_back(SizeClassName(cls));
    Table t(header);
    bool any = false;
    std::vector<std::string> variants;
    for (const Measurement& m : doc.model.measurements) {
      if (m.name.family == "relu" && m.name.form == "highway" &&
          std::find(variants.begin(), variants.end(), m.name.op) ==
              variants.end()) {
        variants.push_back(m.name.op);
      }
    }
    std::stable_sort(variants.begin(), variants.end(),
                     [](const auto& a, const auto& b) {
                       return VariantOrder(a) < VariantOrder(b);
                     });
    for (const std::string& v : variants) {
      if (v == "maximum" || v == "maximum_inplace") continue;
      std::vector<Cell> row = {v};
      bool has = false;
      for (const auto& [cls, n] : classes) {
        Query q = SuiteQuery(v, "highway", dtype, n);
        Query base = q;
        base.op = IsInPlaceVariant(v) ? "maximum_inplace" : "maximum";
        const Measurement* m = FastestRow(doc.model, q);
        const Measurement* b = FastestRow(doc.model, base);
        if (m == nullptr || b == nullptr || !m->bytes_per_call ||
            !b->bytes_per_call) {
          row.emplace_back("—");
          continue;
        }
        // Bandwidth ratio: (m bytes / m time) / (b bytes / b time).
        Comparison c = Compare(*b, *m);
        const double scale = *m->bytes_per_call / *b->bytes_per_call;
        c.ratio.estimate *= scale;
        c.ratio.lo *= scale;
        c.ratio.hi *= scale;
        const std::string text = PercentWithCi(c);
        row.emplace_back(c.valid() && c.ratio.hi < 0.9 ? Cell(Bold(text))
                                                       : Cell(text));
        has = true;
      }
      if (has) {
        t.AddRow(std::move(row));
        any = true;
      }
    }
    if (any) out += "### " + dtype + "\n\n" + t.Render() + "\n";
  }
  if (out.empty()) return "";
  Glossary& g = doc.glossary;
  return Fill(kIntro, fmt::arg("state", g.Term("producer")),
              fmt::arg("gbps", g.Term("GB/s"))) +
         out;
}

}  // namespace relu::report
