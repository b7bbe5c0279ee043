// What leaving NumPy buys at the question's shape: PyTorch, Numba and our
// kernels (from Python and in C++) against NumPy's best form of maximum, with
// the copy of the same bytes as the ceiling.
#include "report/sections/answer.h"

namespace relu::report {
namespace {

struct Contender {
  std::string who;
  Query query;
};

}  // namespace

std::string RenderWorthIt(const Doc& doc, const std::string& dtype, int64_t n) {
  Query base;
  base.op = "maximum";
  base.dtype = dtype;
  base.n = n;
  base.out = "";
  Query numpy = base;
  numpy.form = "numpy";
  const Measurement* best_numpy = FastestRow(doc.model, numpy);
  if (best_numpy == nullptr) return "";
  std::vector<Contender> rows;
  for (const std::string& threads : {std::string("1"), std::string("2")}) {
    const std::string suffix = threads == "1" ? "" : ", 2 threads";
    for (const char* form : {"torch", "numba"}) {
      Query q = base;
      q.form = form;
      q.threads = threads;
      rows.push_back(
          {std::string(form == std::string("torch") ? "PyTorch" : "Numba") +
               suffix,
           q});
    }
    Query ours = base;
    ours.form = "highway";
    ours.harness = "python";
    ours.threads = threads;
    rows.push_back({"ours, Highway from Python" + suffix, ours});
  }
  Query cpp = base;
  cpp.owner = "ours";
  cpp.harness = "ring";
  cpp.out = "default";
  rows.push_back({"ours in C++, no Python", cpp});
  Query copy = base;
  copy.family = "copy";
  copy.op = "";
  copy.out = "reuse";
  copy.harness = "ring";
  rows.push_back({"copy of the same bytes (C++)", copy});

  Table t(
      {"library", "call", "time (95% CI)", "÷ best NumPy (95% CI)", "verdict"},
      {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kLeft});
  t.AddRow({"NumPy (best form)", RowLabel(*best_numpy), TimeWithCi(*best_numpy),
            "1", "reference"});
  for (const Contender& c : rows) {
    const Measurement* m = FastestRow(doc.model, c.query);
    if (m == nullptr) continue;
    const Comparison cmp = Compare(*m, *best_numpy);
    t.AddRow({c.who, RowLabel(*m), TimeWithCi(*m), RatioWithCi(cmp),
              VerdictWord(cmp)});
  }
  return t.Render();
}

}  // namespace relu::report
