// Which form is fastest at each size class: our best against the best peer and
// against the copy ceiling, with 95% intervals.
#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "Per {size_class} (one representative size each), {state} state, one "
    "thread: the fastest form, our best form against the best peer (under "
    "the same harness: C++ peers against the C++ rows, Python peers "
    "against ours called from Python), and the fastest form against its "
    "{ceiling} ({pct}). A verdict needs the {ci} to exclude 1 (or the 95% "
    "line).\n\n";

struct FormsRow {
  std::string dtype, cls, variant;
  const Measurement* fastest = nullptr;
  const Measurement* ours = nullptr;
  const Measurement* peer = nullptr;
  Comparison ours_vs_peer;
  const Measurement* ceiling = nullptr;
  Comparison of_ceiling;
};

std::vector<FormsRow> Compute(const Doc& doc,
                              const std::vector<std::string>& variants) {
  std::vector<FormsRow> rows;
  for (const std::string& dtype : Dtypes(doc.model)) {
    for (const auto& [cls, n] : ClassSizes(doc.model, dtype)) {
      for (const std::string& v : variants) {
        Query q;
        q.op = v;
        q.dtype = dtype;
        q.n = n;
        q.out = "default";
        FormsRow r;
        r.dtype = dtype;
        r.cls = SizeClassName(cls);
        r.variant = v;
        Query ring = q;
        ring.harness = "ring";
        r.fastest = FastestRow(doc.model, ring);
        if (r.fastest == nullptr) continue;
        Query ours = ring;
        ours.owner = "ours";
        Query peer = q;
        peer.owner = "peer";
        r.ours = FastestRow(doc.model, ours);
        r.peer = FastestRow(doc.model, peer);
        if (r.ours && r.peer && IsPythonForm(r.peer->name.form)) {
          Query py = q;
          py.owner = "ours";
          py.harness = "python";
          r.ours = FastestRow(doc.model, py);
        }
        if (r.ours && r.peer) r.ours_vs_peer = Compare(*r.ours, *r.peer);
        r.ceiling = CeilingOf(doc.model, *r.fastest);
        if (r.ceiling) r.of_ceiling = FractionOfCeiling(*r.fastest, *r.ceiling);
        rows.push_back(r);
      }
    }
  }
  return rows;
}

std::string Table_(const std::vector<FormsRow>& rows, bool with_class) {
  std::vector<Cell> header = {"dtype"};
  if (with_class) header.emplace_back("size class");
  for (const char* h : {"variant", "fastest (95% CI)", "our best ÷ best peer",
                        "% of copy ceiling"}) {
    header.emplace_back(h);
  }
  Table t(header);
  for (const FormsRow& r : rows) {
    std::vector<Cell> row = {r.dtype};
    if (with_class) row.emplace_back(r.cls);
    row.emplace_back(r.variant);
    row.emplace_back(r.fastest->name.form + " " + TimeWithCi(*r.fastest));
    if (r.ours && r.peer) {
      const std::string text = RatioWithCi(r.ours_vs_peer) + " " +
                               VerdictWord(r.ours_vs_peer) + " vs " +
                               RowLabel(*r.peer);
      row.emplace_back(Against(r.ours_vs_peer) == Verdict::kBelow
                           ? Cell(Bold(text))
                           : Cell(text));
    } else {
      row.emplace_back("—");
    }
    row.emplace_back(r.ceiling ? PercentWithCi(r.of_ceiling) + " of " +
                                     RowLabel(*r.ceiling)
                               : std::string("—"));
    t.AddRow(std::move(row));
  }
  return t.Render() + "\n";
}

std::string Intro(const Doc& doc) {
  Glossary& g = doc.glossary;
  return Fill(kIntro, fmt::arg("size_class", g.Term("size class")),
              fmt::arg("state", g.Term("producer")),
              fmt::arg("ceiling", g.Term("copy ceiling")),
              fmt::arg("pct", g.Term("% of copy")),
              fmt::arg("ci", g.Term("95% CI")));
}

}  // namespace

std::string RenderForms(const Doc& doc) {
  const auto rows = Compute(doc, {"maximum", "maximum_inplace"});
  if (rows.empty()) return "";
  return Intro(doc) + Table_(rows, true);
}

std::string RenderAllForms(const Doc& doc) {
  std::vector<std::string> variants;
  for (const Measurement& m : doc.model.measurements) {
    if (m.name.family == "relu" && std::find(variants.begin(), variants.end(),
                                             m.name.op) == variants.end()) {
      variants.push_back(m.name.op);
    }
  }
  std::stable_sort(variants.begin(), variants.end(),
                   [](const auto& a, const auto& b) {
                     return VariantOrder(a) < VariantOrder(b);
                   });
  const auto rows = Compute(doc, variants);
  if (rows.empty()) return "";
  return "Every variant, as in the main report's table.\n\n" +
         Table_(rows, true);
}

}  // namespace relu::report
