// The backward pass and the two gradients: their fastest forms against the copy
// of their bytes and against the peers that compute them.
#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "The derivative (1 where x > 0, else 0; float64 for `1. * (x > 0)` and "
    "float32 for `.astype(np.float32)`, whatever x is) and the backward pass "
    "`np.where(x > 0, dout, 0)`, which reads two arrays and writes one. Per "
    "{size_class}: our fastest form's {pct} (its bytes at the copy's "
    "bandwidth; target 95%) and the best peer that computes it (oneDNN's "
    "eltwise backward, PyTorch's threshold_backward).\n\n";

}  // namespace

std::string RenderBackward(const Doc& doc) {
  Table t({"dtype", "size class", "variant", "our fastest (95% CI)",
           "% of copy", "best peer ÷ ours"});
  for (const std::string& dtype : Dtypes(doc.model)) {
    for (const auto& [cls, n] : ClassSizes(doc.model, dtype)) {
      for (const char* v :
           {"grad_multiply", "grad_greater", "backward_where"}) {
        Query q = SuiteQuery(v, "", dtype, n);
        q.owner = "ours";
        const Measurement* ours = FastestRow(doc.model, q);
        if (ours == nullptr) continue;
        const Measurement* copy = CeilingOf(doc.model, *ours);
        Query p = q;
        p.owner = "peer";
        p.harness = "";
        const Measurement* peer = FastestRow(doc.model, p);
        std::string vs_peer = "—";
        if (peer != nullptr) {
          const Measurement* mine = ours;
          if (IsPythonForm(peer->name.form)) {
            Query py = q;
            py.harness = "python";
            mine = FastestRow(doc.model, py);
          }
          if (mine != nullptr) {
            const Comparison c = Compare(*peer, *mine);
            vs_peer = RatioWithCi(c) + " (" + RowLabel(*peer) + ")";
          }
        }
        t.AddRow({dtype, SizeClassName(cls), v,
                  ours->name.form + " " + TimeWithCi(*ours),
                  copy ? PercentWithCi(FractionOfCeiling(*ours, *copy))
                       : std::string("—"),
                  vs_peer});
      }
    }
  }
  if (t.empty()) return "";
  Glossary& g = doc.glossary;
  return Fill(kIntro, fmt::arg("size_class", g.Term("size class")),
              fmt::arg("pct", g.Term("% of copy"))) +
         t.Render() + "\n";
}

}  // namespace relu::report
