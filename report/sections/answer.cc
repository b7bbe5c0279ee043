// The first screen: which NumPy ReLU is fastest at the question's shape, why
// the answers disagreed, and what leaving NumPy buys.
#include "report/sections/answer.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace relu::report {
namespace {

constexpr const char* kLead =
    "**The answer** ({shape} {dtype}, every call on fresh input, one thread, "
    "{machine}): if x may be overwritten, {in_place} is the fastest NumPy "
    "ReLU, {in_place_time}; if x must survive, {out_of_place}, "
    "{out_of_place_time}, {vs}.{reuse}\n\n";
constexpr const char* kReuse =
    " Writing into a reused output, {reuse_code} takes {reuse_time}, "
    "{reuse_vs} the in-place time: most of what `y = f(x)` costs is "
    "allocating y.";
constexpr const char* kRankingNote =
    "Times are medians with their {ci}; *× fastest* is each formulation's "
    "time over the fastest one's, from the per-round ratios. In-place "
    "formulations rewrite x; the others allocate their result "
    "({fresh}), as the answers' code does.\n\n";
constexpr const char* kWhyIntro =
    "**Why the answers disagreed.** Each answer's own method, re-run here "
    "as written; the fair ranking above gives every call fresh input.\n\n";
constexpr const char* kNoReplays =
    "**Why the answers disagreed** is not in this run: only the `so` preset "
    "re-runs each answer's own method (`scripts/run.sh so`).\n\n";
constexpr const char* kWorthIntro =
    "**Is leaving NumPy worth it?** {variant} at the same shape; every row "
    "but the C++ ones is timed from Python on the same rings "
    "({harness}):\n\n";

// The question's formulations (and the other forward ReLUs its answers
// raise), in the order the report lists them before ranking.
const char* const kForwardFromAnswers[] = {
    "maximum",      "maximum_inplace",    "multiply",
    "abs",          "masked_assign",      "broadcast_zeros",
    "abs_multiply", "maximum_zero_first", "three_param"};

std::string Machine(const Doc& doc) {
  for (const BenchFile& f : doc.in.files) {
    auto it = f.context.find("cpu_model");
    auto target = f.context.find("hwy_target");
    if (it != f.context.end() && it->is_string()) {
      std::string m = it->get<std::string>();
      if (target != f.context.end() && target->is_string()) {
        m += ", " + target->get<std::string>();
      }
      return m;
    }
  }
  return "this machine";
}

std::string DtypeOfClaims(const Doc& doc) {
  if (doc.in.claims && doc.in.claims->dtype == "float32") return "f32";
  return "f64";
}

std::string ShapeText(int64_t n) {
  const int64_t side = static_cast<int64_t>(std::llround(std::sqrt(double(n))));
  if (side * side == n)
    return std::to_string(side) + "×" + std::to_string(side);
  return "n = " + std::to_string(n);
}

}  // namespace

std::vector<RankRow> NumpyRanking(const Doc& doc, const std::string& dtype,
                                  int64_t n) {
  std::vector<RankRow> rows;
  for (const char* v : kForwardFromAnswers) {
    Query q;
    q.op = v;
    q.form = "numpy";
    q.dtype = dtype;
    q.n = n;
    q.out = "written";
    const Measurement* m = FastestRow(doc.model, q);
    if (m != nullptr) rows.push_back({v, m, {}, ""});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RankRow& a, const RankRow& b) {
                     return a.m->time_ns < b.m->time_ns;
                   });
  if (rows.empty()) return rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == 0) {
      rows[i].verdict = "fastest";
      rows[i].vs_fastest.ratio.estimate = 1;
      continue;
    }
    rows[i].vs_fastest = Compare(*rows[i].m, *rows[0].m);
    const std::string w = VerdictWord(rows[i].vs_fastest);
    rows[i].verdict = w == "slower" ? "slower" : w == "tie" ? "tie with #1" : w;
  }
  return rows;
}

std::string RenderAnswer(const Doc& doc) {
  const int64_t n = SoElements(doc);
  const std::string dtype = DtypeOfClaims(doc);
  const std::vector<RankRow> ranking = NumpyRanking(doc, dtype, n);
  if (ranking.empty()) return "";
  Glossary& g = doc.glossary;
  // The fastest in place and the fastest out of place, as the answers wrote
  // them, and the out= form of the latter.
  const RankRow* in_place = nullptr;
  const RankRow* out_of_place = nullptr;
  for (const RankRow& r : ranking) {
    const bool ip = IsInPlaceVariant(r.variant);
    if (ip && in_place == nullptr) in_place = &r;
    if (!ip && out_of_place == nullptr) out_of_place = &r;
  }
  std::string out;
  if (in_place != nullptr && out_of_place != nullptr) {
    const Comparison vs = Compare(*out_of_place->m, *in_place->m);
    std::string reuse;
    Query q;
    q.op = out_of_place->variant;
    q.form = "numpy";
    q.dtype = dtype;
    q.n = n;
    q.out = "reuse";
    if (const Measurement* r = FastestRow(doc.model, q)) {
      reuse =
          Fill(kReuse, fmt::arg("reuse_code", "`out=`"),
               fmt::arg("reuse_time", TimeWithCi(*r)),
               fmt::arg("reuse_vs", RatioWithCi(Compare(*r, *in_place->m))));
    }
    out = Fill(kLead, fmt::arg("shape", ShapeText(n)),
               fmt::arg("dtype", dtype == "f64" ? "float64" : "float32"),
               fmt::arg("machine", Escape(Machine(doc))),
               fmt::arg("in_place", Formulation(in_place->variant)),
               fmt::arg("in_place_time", TimeWithCi(*in_place->m)),
               fmt::arg("out_of_place", Formulation(out_of_place->variant)),
               fmt::arg("out_of_place_time", TimeWithCi(*out_of_place->m)),
               fmt::arg("vs", RatioWithCi(vs) + " the in-place time"),
               fmt::arg("reuse", reuse));
  }
  Table t({"#", "NumPy formulation", "time (95% CI)", "× fastest (95% CI)",
           "verdict"},
          {Align::kRight, Align::kLeft, Align::kRight, Align::kRight,
           Align::kLeft});
  for (size_t i = 0; i < ranking.size(); ++i) {
    const RankRow& r = ranking[i];
    t.AddRow({std::to_string(i + 1), Md{Formulation(r.variant)},
              TimeWithCi(*r.m),
              i == 0 ? std::string("1") : RatioWithCi(r.vs_fastest),
              i == 0 ? Cell(Bold(r.verdict)) : Cell(r.verdict)});
  }
  out += t.Render() + "\n";
  out += Fill(kRankingNote, fmt::arg("ci", g.Term("95% CI")),
              fmt::arg("fresh", g.Term("out:fresh")));
  const std::string why = RenderAnswerCauses(doc, dtype, n);
  if (!why.empty()) {
    out += kWhyIntro + why + "\n";
  } else if (doc.in.claims) {
    out += kNoReplays;
  }
  const std::string worth = RenderWorthIt(doc, dtype, n);
  if (!worth.empty()) {
    out += Fill(kWorthIntro, fmt::arg("variant", Formulation("maximum")),
                fmt::arg("harness", g.Term("harness:python"))) +
           worth + "\n";
  }
  return out;
}

}  // namespace relu::report
