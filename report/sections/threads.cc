// Scaling: what a second thread buys each size, ours and the peers', against
// what it buys a copy of the same bytes.
#include <algorithm>

#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "Speed-up of {two} over one thread (the one-thread time over the "
    "two-thread time, paired within each size's rounds), for Highway "
    "maximum, the peers and the fastest copy, whose speed-up is the "
    "ceiling. Each of our kernel's threads gets at least the kernels' "
    "parallel threshold of working set (context key "
    "parallel_threshold_bytes), so below twice it our kernel runs on one "
    "thread whatever it is asked and its speed-up there is 1. On 2 cores a "
    "second thread can at "
    "best double the work; on a 64-core server the same rows run with "
    "threads:64 and the memory bus, not the cores, sets the ceiling. The "
    "last column is the {rtt}: on a VM it follows where the host placed "
    "the virtual CPUs, and a second thread that reads what the first one "
    "wrote gains or loses with it. Where it was measured every round, the "
    "speed-ups use only the rounds at the placement most rounds had, and "
    "the column says how many those were when not all.\n\n";

std::string Speedup(const Model& model, Query q) {
  q.threads = "2";
  const Measurement* two = FastestRow(model, q);
  q.threads = "1";
  const Measurement* one = FastestRow(model, q);
  if (!one || !two) return "—";
  return RatioWithCi(Compare(*one, *two));
}

}  // namespace

std::string RenderThreads(const Doc& doc) {
  Table t({"dtype", "variant", "input", "ours (Highway)", "XNNPACK", "oneDNN",
           "copy", "faster: 1 or 2 threads", "core round trip"});
  for (const std::string& dtype : Dtypes(doc.model)) {
    for (const char* v : {"maximum", "maximum_inplace"}) {
      std::vector<int64_t> ns;
      for (const Measurement& m : doc.model.measurements) {
        if (m.ok() && m.name.op == v && m.name.dtype == dtype &&
            Effective(m.name, "threads") == "2" &&
            m.name.Get("shape").empty() &&
            Effective(m.name, "harness") == "ring") {
          if (auto n = m.name.Elements()) ns.push_back(*n);
        }
      }
      std::sort(ns.begin(), ns.end());
      ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
      for (int64_t n : ns) {
        if (!ShownSize(doc, dtype, n)) continue;
        Query q = SuiteQuery(v, "", dtype, n);
        q.threads = "";
        Query ours = q;
        ours.form = "highway";
        Query xnn = q;
        xnn.form = "xnnpack";
        Query dnn = q;
        dnn.form = "onednn";
        Query copy = q;
        copy.family = "copy";
        copy.op = "";
        copy.out = IsInPlaceVariant(v) ? "inplace" : "reuse";
        ours.threads = "1";
        const Measurement* one = FastestRow(doc.model, ours);
        ours.threads = "2";
        const Measurement* two = FastestRow(doc.model, ours);
        std::string best = "—";
        if (one && two) {
          const Comparison c = Compare(*two, *one);
          best = Against(c) == Verdict::kBelow   ? "2"
                 : Against(c) == Verdict::kAbove ? "1"
                                                 : "tie";
        }
        ours.threads = "";
        t.AddRow({dtype, v, FormatBytes(double(n) * (dtype == "f32" ? 4 : 8)),
                  Speedup(doc.model, ours), Speedup(doc.model, xnn),
                  Speedup(doc.model, dnn), Speedup(doc.model, copy), best,
                  two ? CoreRoundTrip(*two) : std::string("—")});
      }
    }
  }
  if (t.empty()) return "";
  return Fill(kIntro, fmt::arg("two", doc.glossary.Term("threads:2")),
              fmt::arg("rtt", doc.glossary.Term("core round trip"))) +
         t.Render() + "\n";
}

}  // namespace relu::report
