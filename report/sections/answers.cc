// Why each StackOverflow answer measured what it did: its claim against its own
// method re-run here and against the fair protocol, with the cause measured in
// the same run.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "report/sections/answer.h"

namespace relu::report {
namespace {

constexpr const char* kRectified =
    "{method} ran on an x its earlier calls had rectified ({neg} negatives "
    "before its last timed call): re-run as written it takes {replay}, with "
    "fresh input every call {fair}, so reuse flattered it {factor}.";
constexpr const char* kRectifiedNoEffect =
    "{method} ran on a rectified x ({neg} negatives before its last timed "
    "call), which costs it no time here: {replay} re-run, {fair} fair "
    "({factor}); its lead is the output it does not allocate: out-of-place "
    "{alloc_variant} pays {alloc} for a fresh output.";
constexpr const char* kGeneration =
    "generation is inside every timed call: np.random.random alone takes "
    "{gen} here, {share} of the fastest method's time, larger than the "
    "spread between the methods ({spread}), so it hides their differences.";
constexpr const char* kGenerationSmall =
    "generation is inside every timed call ({gen} here, {share} of the "
    "fastest method's time), but the methods' spread ({spread}) exceeds it.";
constexpr const char* kSlices =
    "every call gets a fresh slice of a {total} array, whose slices were "
    "written long before they are read: the re-run takes {replay} for "
    "{method} against {fair} fair{dram}.";
constexpr const char* kSlicesDram =
    " and {dram_time} with the input in DRAM ({dram_ratio} of the re-run)";
constexpr const char* kNotReproduced =
    "with NumPy {numpy} the answer's own method ranks {replay}. Its NumPy "
    "and machine are unknown; a NumPy whose np.maximum loop was not yet "
    "vectorised (numpy/numpy#14867 and #20131 vectorised it later) would put "
    "it behind x * (x > 0), which cannot be tested here.";
constexpr const char* kReproducedOnly = "reproduced: {replay}.";

std::string Ordered(const std::vector<std::string>& methods) {
  std::string s;
  for (size_t i = 0; i < methods.size(); ++i) {
    if (i) s += " < ";
    s += methods[i];
  }
  return s.empty() ? "—" : s;
}

std::vector<std::string> OrderBy(
    std::vector<std::pair<std::string, double>> v) {
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second < b.second;
  });
  std::vector<std::string> out;
  for (const auto& [name, _] : v) out.push_back(name);
  return out;
}

const Measurement* Replay(const Doc& doc, const std::string& family,
                          const std::string& op, const std::string& id,
                          int64_t n) {
  Query q;
  q.family = family;
  q.op = op;
  q.form = "numpy";
  q.dtype = "f64";
  q.n = n;
  q.protocol = "replay-" + id;
  q.out = "";
  return FastestRow(doc.model, q);
}

double ReplayNs(const Measurement& m) {
  return m.reported_ns ? *m.reported_ns : m.time_ns;
}

const Measurement* Fair(const Doc& doc, const std::string& op,
                        const std::string& dtype, int64_t n,
                        const std::string& out = "written",
                        const std::string& state = "producer") {
  Query q;
  q.op = op;
  q.form = "numpy";
  q.dtype = dtype;
  q.n = n;
  q.out = out;
  q.state = state;
  return FastestRow(doc.model, q);
}

std::string NumpyVersion(const Doc& doc) {
  for (const BenchFile& f : doc.in.files) {
    auto it = f.context.find("numpy_version");
    if (it != f.context.end() && it->is_string()) return it->get<std::string>();
  }
  return "(version not recorded)";
}

std::string Pct(double p) { return FormatSig(p) + "%"; }

}  // namespace

std::vector<AnswerFinding> AnswerFindings(const Doc& doc,
                                          const std::string& dtype, int64_t n) {
  std::vector<AnswerFinding> out;
  if (!doc.in.claims) return out;
  for (const SoAnswer& a : doc.in.claims->answers) {
    AnswerFinding f;
    f.answer = &a;
    std::vector<std::pair<std::string, double>> claimed, replay, fair;
    std::map<std::string, const Measurement*> replays, fairs;
    for (const auto& [method, ms] : a.timings_ms) {
      if (method == "baseline_generation") continue;
      claimed.emplace_back(method, ms);
      if (const Measurement* r = Replay(doc, "relu", method, a.id, n)) {
        replay.emplace_back(method, ReplayNs(*r));
        replays[method] = r;
      }
      if (const Measurement* r = Fair(doc, method, dtype, n)) {
        fair.emplace_back(method, r->time_ns);
        fairs[method] = r;
      }
    }
    f.claimed = OrderBy(claimed);
    f.replay = OrderBy(replay);
    f.fair = OrderBy(fair);
    f.reproduced = !f.replay.empty() && f.replay == f.claimed;
    // The cause, from this run's rows, most specific first.
    const Measurement* gen = Replay(doc, "gen", "random", a.id, n);
    std::optional<std::string> cause;
    if (gen != nullptr && !replay.empty()) {
      const double fastest = replay.front().second;
      double lo = 1e300, hi = 0;
      for (const auto& [_, t] : replay) {
        lo = std::min(lo, t);
        hi = std::max(hi, t);
      }
      const double g = ReplayNs(*gen);
      cause = Fill(g > hi - lo ? kGeneration : kGenerationSmall,
                   fmt::arg("gen", FormatTime(g)),
                   fmt::arg("share", FormatPercent(g / std::min(fastest, lo))),
                   fmt::arg("spread", FormatTime(hi - lo)));
    }
    for (const auto& [method, r] : replays) {
      if (cause || !IsInPlaceVariant(method) || !fairs.count(method)) continue;
      const std::optional<double> last = r->Counter("neg_pct_last_call");
      if (!last || *last > 1.0) continue;
      const Measurement& fm = *fairs[method];
      const double factor = fm.time_ns / ReplayNs(*r);
      if (factor > 1.2) {
        cause = Fill(kRectified, fmt::arg("method", method),
                     fmt::arg("neg", Pct(*last)),
                     fmt::arg("replay", FormatTime(ReplayNs(*r))),
                     fmt::arg("fair", FormatTime(fm.time_ns)),
                     fmt::arg("factor", FormatRatio(factor)));
      } else {
        const Measurement* fresh = Fair(doc, "maximum", dtype, n, "fresh");
        const Measurement* reuse = Fair(doc, "maximum", dtype, n, "reuse");
        cause =
            Fill(kRectifiedNoEffect, fmt::arg("method", method),
                 fmt::arg("neg", Pct(*last)),
                 fmt::arg("replay", FormatTime(ReplayNs(*r))),
                 fmt::arg("fair", FormatTime(fm.time_ns)),
                 fmt::arg("factor", FormatRatio(factor)),
                 fmt::arg("alloc_variant", "np.maximum"),
                 fmt::arg("alloc", fresh && reuse
                                       ? RatioWithCi(Compare(*fresh, *reuse))
                                       : std::string("—")));
      }
    }
    for (const auto& [method, r] : replays) {
      if (cause || r->reported_stat != "row" || !fairs.count(method)) continue;
      const Measurement* dram = Fair(doc, method, dtype, n, "written", "dram");
      const auto n_iter = r->Counter("n_iter");
      std::string dram_text;
      if (dram != nullptr) {
        dram_text =
            Fill(kSlicesDram, fmt::arg("dram_time", FormatTime(dram->time_ns)),
                 fmt::arg("dram_ratio",
                          FormatPercent(dram->time_ns / ReplayNs(*r))));
      }
      cause = Fill(
          kSlices,
          fmt::arg("total", FormatBytes(double(n) * 8 * n_iter.value_or(20))),
          fmt::arg("method", method),
          fmt::arg("replay", FormatTime(ReplayNs(*r))),
          fmt::arg("fair", FormatTime(fairs[method]->time_ns)),
          fmt::arg("dram", dram_text));
    }
    if (!cause && f.reproduced) {
      cause = Fill(kReproducedOnly, fmt::arg("replay", Ordered(f.replay)));
    }
    // Reproduced means the claimed winner wins the answer's own method here.
    const bool winner_kept =
        !f.replay.empty() && !f.claimed.empty() && f.replay[0] == f.claimed[0];
    if (!cause && !winner_kept && !f.replay.empty()) {
      cause = Fill(kNotReproduced, fmt::arg("numpy", NumpyVersion(doc)),
                   fmt::arg("replay", Ordered(f.replay)));
    }
    f.reproduced = winner_kept;
    f.cause = (winner_kept ? "reproduced; " : "not reproduced; ") +
              cause.value_or("no row of this run explains it");
    out.push_back(f);
  }
  return out;
}

std::string RenderAnswerCauses(const Doc& doc, const std::string& dtype,
                               int64_t n) {
  const std::vector<AnswerFinding> findings = AnswerFindings(doc, dtype, n);
  // Without a single replay row (every preset but so), the table would only
  // say "not reproduced" for each answer; the caller says why instead.
  const bool any_replay =
      std::any_of(findings.begin(), findings.end(),
                  [](const AnswerFinding& f) { return !f.replay.empty(); });
  if (!any_replay) return "";
  Table t(
      {"answer", "claimed, fastest first", "its method re-run here", "why"});
  for (const AnswerFinding& f : findings) {
    const std::string replay = Ordered(f.replay);
    t.AddRow({f.answer->id + ": " + f.answer->claim, Ordered(f.claimed), replay,
              f.cause});
  }
  return t.Render();
}

std::string RenderAnswerDetails(const Doc& doc) {
  if (!doc.in.claims) return "";
  const int64_t n = SoElements(doc);
  std::string out =
      "Per answer: the claimed times, the answer's method re-run here (the "
      "statistic it reported), NumPy under the fair protocol as the answer "
      "wrote it, and our fastest C++ form. Machines differ, so compare "
      "orders and ratios, not milliseconds.\n\n";
  Table t({"answer", "method", "claimed", "re-run here", "fair NumPy",
           "fastest C++"},
          {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
           Align::kRight, Align::kRight});
  for (const SoAnswer& a : doc.in.claims->answers) {
    for (const auto& [method, ms] : a.timings_ms) {
      std::string replay = "—", fair = "—", cpp = "—";
      if (method == "baseline_generation") {
        if (const Measurement* g = Replay(doc, "gen", "random", a.id, n)) {
          replay = FormatTime(ReplayNs(*g));
        }
      } else {
        if (const Measurement* r = Replay(doc, "relu", method, a.id, n)) {
          replay = FormatTime(ReplayNs(*r)) + " (" + r->reported_stat + ")";
        }
        if (const Measurement* r = Fair(doc, method, "f64", n)) {
          fair = TimeWithCi(*r);
        }
        Query q = SuiteQuery(method, "", "f64", n);
        q.owner = "ours";
        if (const Measurement* r = FastestRow(doc.model, q)) {
          cpp = FormatTime(r->time_ns) + " (" + r->name.form + ")";
        }
      }
      t.AddRow({a.id, method, FormatSig(ms) + " ms", replay, fair, cpp});
    }
  }
  return out + t.Render() + "\n";
}

}  // namespace relu::report
