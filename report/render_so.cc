// The StackOverflow section, the semantics-vs-NumPy verdicts and the targets
// table (issue 5).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/markdown.h"
#include "report/render.h"

namespace relu::report {
namespace {

constexpr const char* kDash = "—";
constexpr double kCopyTarget = 0.95;

bool IsCppForm(std::string_view form) {
  return IsOurForm(form) || form == "xnnpack" || form == "onednn";
}

// One method of one answer, measured four ways.
struct MethodRow {
  std::string method;  // variant, or "baseline_generation"
  std::optional<double> claimed_ms;
  const Measurement* replay = nullptr;
  const Measurement* fair = nullptr;
  const Measurement* cpp = nullptr;
  double ReplayNs() const {
    return replay->reported_ns ? *replay->reported_ns : replay->time_ns;
  }
};

const Measurement* FindReplay(const Model& model, const std::string& family,
                              const std::string& op, const std::string& id,
                              int64_t n) {
  const std::string protocol = "replay-" + id;
  for (const Measurement& m : model.measurements) {
    if (m.ok() && m.name.family == family && m.name.op == op &&
        m.name.form == "numpy" && m.name.dtype == "f64" && m.elements == n &&
        m.name.Get("protocol") == protocol) {
      return &m;
    }
  }
  return nullptr;
}

// NumPy under the fair protocol with the given output policy ("" = any
// default).
const Measurement* FairNumpy(const Model& model, const std::string& op,
                             int64_t n, const std::string& out) {
  return Fastest(model.measurements, [&](const Measurement& m) {
    if (m.name.family != "relu" || m.name.op != op || m.name.form != "numpy" ||
        m.name.dtype != "f64" || m.elements != n) {
      return false;
    }
    const std::string p = m.name.Get("protocol");
    if (!p.empty() && p != "fair") return false;
    if (m.name.Get("cache") == "cold" || m.name.Get("harness") == "bare")
      return false;
    if (!m.name.Get("neg").empty() && m.name.Get("neg") != "50") return false;
    return out.empty() ? IsDefaultCondition(m.name) : m.name.Get("out") == out;
  });
}

// The answers' code allocates its output (out:fresh) unless it works in place.
const Measurement* FairAsWritten(const Model& model, const std::string& op,
                                 int64_t n) {
  if (IsInPlaceVariant(op)) return FairNumpy(model, op, n, "inplace");
  const Measurement* fresh = FairNumpy(model, op, n, "fresh");
  return fresh != nullptr ? fresh : FairNumpy(model, op, n, "");
}

const Measurement* FastestCpp(const Model& model, const std::string& op,
                              int64_t n) {
  return Fastest(model.measurements, [&](const Measurement& m) {
    return m.name.family == "relu" && m.name.op == op &&
           m.name.dtype == "f64" && m.elements == n && IsCppForm(m.name.form) &&
           IsDefaultCondition(m.name);
  });
}

// "value · #rank · ratio×" against the fastest method of the same column.
std::vector<std::string> RankColumn(
    const std::vector<std::optional<double>>& values, bool is_ms) {
  std::vector<std::string> out(values.size(), kDash);
  std::vector<double> present;
  for (const auto& v : values) {
    if (v) present.push_back(*v);
  }
  if (present.empty()) return out;
  std::sort(present.begin(), present.end());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    int rank =
        1 + static_cast<int>(
                std::lower_bound(present.begin(), present.end(), *values[i]) -
                present.begin());
    std::string time =
        is_ms ? FormatSig(*values[i]) + " ms" : FormatTime(*values[i]);
    out[i] = fmt::format("{} · #{} · {}", time, rank,
                         FormatRatio(*values[i] / present.front()));
  }
  return out;
}

// Methods ordered by a column's values, fastest first: "multiply < maximum".
std::string Ranking(const std::vector<MethodRow>& rows,
                    const std::vector<std::optional<double>>& values) {
  std::vector<std::pair<double, std::string>> v;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (values[i]) v.emplace_back(*values[i], rows[i].method);
  }
  if (v.size() < 2) return "";
  std::stable_sort(v.begin(), v.end());
  std::vector<std::string> names;
  for (const auto& [_, name] : v) names.push_back(name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string Pct(double x) { return FormatPercent(x); }

// A reuse of x flatters the replay only past this factor either way; closer
// than that the two protocols agree as well as one NumPy call repeats.
constexpr double kReuseTolerance = 1.2;

std::optional<double> CounterOf(const Measurement& m, const char* key) {
  auto it = m.counters.find(key);
  if (it == m.counters.end()) return std::nullopt;
  return it->second;
}

// How the in-place method reads as the StackOverflow code wrote it.
std::string InPlaceName(const std::string& method) {
  if (method == "maximum_inplace") return "NumPy's in-place maximum";
  if (method == "masked_assign") return "NumPy's masked assignment";
  return "NumPy's " + method;
}

// What the replay of an in-place method measured, from the negatives its
// timed calls saw (counters neg_pct_at_start, neg_pct_last_call) and the
// replay against the fair time of the same method.
std::string InPlaceReplayBullet(const MethodRow& r) {
  const auto start = CounterOf(*r.replay, "neg_pct_at_start");
  const auto last = CounterOf(*r.replay, "neg_pct_last_call");
  auto pct = [](double p) { return FormatSig(p) + "%"; };
  // Rectified: the timed calls after the first saw (almost) no negatives.
  bool rectified = false;
  std::string seen;
  if (start && last) {
    if (*start <= 0) {
      rectified = true;
      seen = fmt::format(
          " No timed call saw negatives: x held {} negatives before the "
          "first timed call (an earlier statement had rectified it) and {} "
          "before the last.",
          pct(*start), pct(*last));
    } else if (*last < 0.5 * *start) {
      rectified = true;
      seen = fmt::format(
          " Only the first timed call saw negatives: x held {} negatives "
          "before the first timed call and {} before the last.",
          pct(*start), pct(*last));
    } else {
      seen = fmt::format(
          " Every timed call had data of its own: {} negatives before the "
          "first timed call, {} before the last.",
          pct(*start), pct(*last));
    }
  } else if (start) {
    seen = fmt::format(" x held {} negatives before the first timed call.",
                       pct(*start));
  }
  const double fair_over_replay = r.fair->time_ns / r.ReplayNs();
  std::string reading;
  if (fair_over_replay > kReuseTolerance) {
    reading = fmt::format(
        "reuse flattered it: the replay is {} faster than the fair time, "
        "where every call gets fresh negatives",
        FormatRatio(fair_over_replay));
  } else if (fair_over_replay < 1 / kReuseTolerance) {
    reading = fmt::format(
        "the replay is {} slower than the fair time: its timing holds more "
        "than the ReLU",
        FormatRatio(1 / fair_over_replay));
  } else if (rectified) {
    reading = fmt::format(
        "{} costs about the same on rectified data, so reuse did not flatter "
        "it much",
        InPlaceName(r.method));
  } else {
    reading = fmt::format("the two agree within {}", Pct(kReuseTolerance - 1));
  }
  return fmt::format(
      "{} works in place.{} Replayed: {}; fair, pristine input every call: "
      "{}; fair ÷ replay = {}: {}.",
      r.method, seen, FormatTime(r.ReplayNs()), FormatTime(r.fair->time_ns),
      FormatRatio(fair_over_replay), reading);
}

}  // namespace

std::string RenderStackOverflow(const std::optional<SoClaims>& claims,
                                const Model& model) {
  std::string out = "## The StackOverflow answers, re-measured\n\n";
  if (!claims) return out + "No claims file was given (--so-claims).\n\n";
  int64_t n = 1;
  for (int64_t d : claims->shape) n *= d;
  if (claims->shape.empty()) n = 25000000;
  out += fmt::format(
      "Each answer timed NumPy on x = np.random.random(({})) - 0.5, float64. "
      "For each "
      "answer: its claimed times; its own method replayed here ({}, the "
      "statistic the "
      "answer reported); NumPy under the fair protocol as the answer wrote it "
      "(output "
      "allocated per call, out:fresh, or in place); and the fastest C++ form "
      "at n = {}, "
      "f64. Each cell: time · rank within the answer · ratio to the fastest "
      "method of "
      "that column. Machines differ, so compare rankings and ratios, not "
      "milliseconds.\n\n",
      fmt::join(claims->shape, ", "), Escape("protocol:replay-<answer id>"), n);

  for (const SoAnswer& a : claims->answers) {
    out += fmt::format("### {}\n\n", Escape(a.id));
    if (!a.protocol.empty())
      out += "Protocol as written: " + Escape(a.protocol) + "\n\n";
    if (!a.claim.empty()) out += "Claim: *" + Escape(a.claim) + "*\n\n";
    std::vector<MethodRow> rows;
    std::optional<double> baseline_claim;
    const Measurement* gen = nullptr;
    for (const auto& [method, ms] : a.timings_ms) {
      if (method == "baseline_generation") {
        baseline_claim = ms;
        gen = FindReplay(model, "gen", "random", a.id, n);
        continue;
      }
      MethodRow r;
      r.method = method;
      r.claimed_ms = ms;
      r.replay = FindReplay(model, "relu", method, a.id, n);
      r.fair = FairAsWritten(model, method, n);
      r.cpp = FastestCpp(model, method, n);
      rows.push_back(r);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MethodRow& x, const MethodRow& y) {
                       return VariantOrder(x.method) < VariantOrder(y.method);
                     });
    std::vector<std::optional<double>> claimed, replay, fair, cpp;
    for (const MethodRow& r : rows) {
      claimed.push_back(r.claimed_ms);
      replay.push_back(r.replay ? std::optional<double>(r.ReplayNs())
                                : std::nullopt);
      fair.push_back(r.fair ? std::optional<double>(r.fair->time_ns)
                            : std::nullopt);
      cpp.push_back(r.cpp ? std::optional<double>(r.cpp->time_ns)
                          : std::nullopt);
    }
    auto c_claimed = RankColumn(claimed, true),
         c_replay = RankColumn(replay, false), c_fair = RankColumn(fair, false),
         c_cpp = RankColumn(cpp, false);
    Table t({"method", "claimed", "replayed here", "fair NumPy (as written)",
             "fastest C++"},
            {Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
             Align::kRight});
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string fair_cell = c_fair[i];
      if (rows[i].fair)
        fair_cell += " (out:" + rows[i].fair->name.Get("out") + ")";
      std::string cpp_cell = c_cpp[i];
      if (rows[i].cpp) cpp_cell += " (" + rows[i].cpp->name.form + ")";
      std::string replay_cell = c_replay[i];
      if (rows[i].replay && !rows[i].replay->reported_stat.empty()) {
        replay_cell += " (" + rows[i].replay->reported_stat + ")";
      }
      t.AddRow(
          {rows[i].method, c_claimed[i], replay_cell, fair_cell, cpp_cell});
    }
    if (baseline_claim) {
      t.AddRow({"baseline (generation alone)",
                FormatSig(*baseline_claim) + " ms",
                gen ? FormatTime(gen->reported_ns.value_or(gen->time_ns))
                    : std::string(kDash),
                kDash, kDash});
    }
    out += t.Render() + "\n";

    // Rankings, then why they differ, from this run's own rows.
    std::vector<std::string> bullets;
    const std::string r_claim = Ranking(rows, claimed),
                      r_replay = Ranking(rows, replay),
                      r_fair = Ranking(rows, fair), r_cpp = Ranking(rows, cpp);
    if (!r_claim.empty()) {
      auto same = [&](const std::string& r) {
        return r.empty()      ? std::string("not measured")
               : r == r_claim ? std::string("same order as claimed")
                              : std::string("differs from the claim");
      };
      bullets.push_back(fmt::format(
          "Rankings, fastest first. Claimed: {}. Replayed: {} ({}). Fair "
          "NumPy: {} ({}). "
          "C++: {}.",
          Escape(r_claim), Escape(r_replay.empty() ? kDash : r_replay),
          same(r_replay), Escape(r_fair.empty() ? kDash : r_fair), same(r_fair),
          Escape(r_cpp.empty() ? kDash : r_cpp)));
    }
    for (const MethodRow& r : rows) {
      if (!IsInPlaceVariant(r.method)) continue;
      if (r.replay == nullptr || r.fair == nullptr) {
        bullets.push_back(fmt::format(
            "{} works in place; {} missing in this run, so the effect of "
            "reused data is "
            "not measured.",
            r.method,
            r.replay == nullptr ? "its replay row is" : "its fair row is"));
        continue;
      }
      bullets.push_back(InPlaceReplayBullet(r));
    }
    if (baseline_claim) {
      if (gen == nullptr) {
        bullets.push_back(
            "Generation is inside this answer's timing, but the run has no "
            "gen/random/numpy replay row to measure its share.");
      } else {
        const double g = gen->reported_ns.value_or(gen->time_ns);
        std::vector<std::string> shares;
        double lo = INFINITY, hi = 0;
        for (const MethodRow& r : rows) {
          if (r.replay == nullptr) continue;
          lo = std::min(lo, r.ReplayNs());
          hi = std::max(hi, r.ReplayNs());
          shares.push_back(fmt::format("{} of {}'s {} (the ReLU itself: {})",
                                       Pct(g / r.ReplayNs()), r.method,
                                       FormatTime(r.ReplayNs()),
                                       FormatTime(r.ReplayNs() - g)));
        }
        std::string spread;
        if (shares.size() >= 2) {
          spread = g > hi - lo
                       ? fmt::format(
                             " Generation is larger than the whole spread "
                             "between the "
                             "methods ({}), so it hides their differences.",
                             FormatTime(hi - lo))
                       : fmt::format(
                             " The spread between the methods ({}) exceeds "
                             "generation, so the ranking survives it.",
                             FormatTime(hi - lo));
        }
        bullets.push_back(fmt::format(
            "Generation is inside every timed call: np.random.random alone "
            "takes {} here "
            "(claimed: {} ms), {}.{}",
            FormatTime(g), FormatSig(*baseline_claim),
            shares.empty() ? std::string("with no replay rows to compare")
                           : fmt::format("{}", fmt::join(shares, "; ")),
            spread));
      }
    }
    std::vector<std::string> alloc;
    for (const MethodRow& r : rows) {
      if (IsInPlaceVariant(r.method)) continue;
      const Measurement* fresh = FairNumpy(model, r.method, n, "fresh");
      const Measurement* reuse = FairNumpy(model, r.method, n, "reuse");
      if (fresh && reuse) {
        alloc.push_back(fmt::format(
            "{} {} with a fresh output vs {} into a reused one ({})", r.method,
            FormatTime(fresh->time_ns), FormatTime(reuse->time_ns),
            FormatRatio(fresh->time_ns / reuse->time_ns)));
      }
    }
    if (!alloc.empty()) {
      bullets.push_back(
          "Out-of-place NumPy allocates its output on every call and pays the "
          "page faults of touching it: " +
          fmt::format("{}", fmt::join(alloc, "; ")) + ".");
    }
    std::vector<std::string> passes;
    for (const MethodRow& r : rows) {
      if (r.method != "multiply" && r.method != "abs" && r.method != "maximum")
        continue;
      const Measurement* fair = FairNumpy(model, r.method, n, "reuse");
      if (fair == nullptr) fair = r.fair;
      if (fair && r.cpp) {
        passes.push_back(
            fmt::format("{} NumPy {} vs fused {} {} ({})", r.method,
                        FormatTime(fair->time_ns), r.cpp->name.form,
                        FormatTime(r.cpp->time_ns),
                        FormatRatio(fair->time_ns / r.cpp->time_ns)));
      }
    }
    if (!passes.empty()) {
      bullets.push_back(
          "NumPy evaluates x * (x > 0) and (abs(x) + x) / 2 as several passes "
          "with "
          "temporaries, where one fused loop reads x once; np.maximum is one "
          "pass: " +
          fmt::format("{}", fmt::join(passes, "; ")) + ".");
    }
    for (const std::string& b : bullets) out += "- " + b + "\n";
    out += "\n";
  }
  return out;
}

std::string RenderSemanticsVsNumpy(const std::vector<SemanticsFile>& files) {
  std::string out = "## Semantics vs NumPy\n\n";
  if (files.empty())
    return out + "No semantics file was given (--semantics).\n\n";
  out +=
      "Per variant and dtype: does every form return what the numpy row "
      "returns, bit for "
      "bit (any NaN matches any NaN), on every edge input?\n\n";
  struct Found {
    const SemanticsFile* file;
    const SemRow* row;
  };
  std::map<std::pair<std::string, std::string>, std::vector<Found>> groups;
  for (const SemanticsFile& f : files) {
    for (const SemRow& r : f.rows)
      groups[{r.variant, r.dtype}].push_back({&f, &r});
  }
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& [k, _] : groups) keys.push_back(k);
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.second, VariantOrder(a.first)) <
           std::make_pair(b.second, VariantOrder(b.first));
  });
  Table t({"variant", "dtype", "verdict", "forms that agree", "differences"});
  for (const auto& key : keys) {
    const auto& entries = groups[key];
    const Found* numpy = nullptr;
    for (const Found& e : entries) {
      if (e.row->form == "numpy" && e.row->fn.empty()) numpy = &e;
    }
    if (numpy == nullptr) {
      t.AddRow({key.first, key.second, "no numpy row", kDash, kDash});
      continue;
    }
    std::vector<std::string> agree, differ;
    for (const Found& e : entries) {
      if (e.row == numpy->row) continue;
      std::vector<std::string> where;
      for (size_t k = 0; k < e.file->inputs.size(); ++k) {
        const std::string& label = e.file->inputs[k].label;
        auto it =
            std::find_if(numpy->file->inputs.begin(), numpy->file->inputs.end(),
                         [&](const SemInput& in) { return in.label == label; });
        if (it == numpy->file->inputs.end()) continue;
        const SemOutput& mine = e.row->outputs[k];
        const SemOutput& ref =
            numpy->row->outputs[it - numpy->file->inputs.begin()];
        if (!SameResult(mine.bits, ref.bits, key.second)) {
          where.push_back(
              fmt::format("{}: {} vs {}", label, mine.text, ref.text));
        }
      }
      if (where.empty()) {
        agree.push_back(e.row->FormLabel());
      } else {
        differ.push_back(
            fmt::format("{} ({})", e.row->FormLabel(), fmt::join(where, ", ")));
      }
    }
    std::string verdict =
        differ.empty() ? (agree.empty() ? "only numpy" : "agree") : "differ";
    t.AddRow({key.first, key.second,
              differ.empty() ? Cell(verdict) : Cell(Bold(verdict)),
              agree.empty() ? std::string(kDash)
                            : fmt::format("{}", fmt::join(agree, ", ")),
              differ.empty() ? std::string(kDash)
                             : fmt::format("{}", fmt::join(differ, "; "))});
  }
  return out + t.Render() + "\n";
}

// Issue 6: every other Highway variant within 10% of Highway maximum.
constexpr double kHighwayVariantBound = 1.10;

std::string RenderTargets(const Model& model) {
  std::string out = "## Targets: our best vs best peer vs copy\n\n";
  out += fmt::format(
      "Per dtype, size class (the representative n) and variant (maximum, "
      "maximum_inplace): our fastest form (scalar, eigen, highway) against "
      "the fastest peer form of the same variant and against the fastest "
      "copy of the same bytes. Targets: ours at least as fast as the "
      "fastest peer, and at least {} of the copy's speed. Each peer is "
      "compared under its own harness: C++ peers (XNNPACK, oneDNN) with our "
      "kernels in the C++ ring (harness ring), Python peers (NumPy, Numba, "
      "PyTorch) with our kernels called through ctypes from "
      "scripts/py_bench.py's protocol (harness python), because the two "
      "harnesses leave the caches in different states and a cross-harness "
      "ratio measures them as much as the kernels. The copy references run "
      "in the C++ ring. At L1 a call is bound by its arithmetic rather than "
      "by memory, and a copy has none: Highway's maximum does two vector "
      "operations per vector on x86 (MAXPS, then an AND), so a few percent "
      "short of the copy there has that cause. A comparison closer than "
      "the larger of the two rows' CVs ({} for a row without one) is a tie: "
      "the run cannot tell.\n\n",
      Pct(kCopyTarget), Pct(kDefaultNoise));
  Table t({"dtype", "size class", "n", "variant", "harness", "our best",
           "best peer", "peer ÷ ours", "copy", "% of copy", "≥ peer",
           "≥ 95% of copy", "gap"},
          {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft,
           Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight,
           Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft,
           Align::kLeft});
  auto name = [](const Measurement* m) {
    return m == nullptr ? std::string(kDash)
                        : fmt::format("{}/{} {}", m->name.op, m->name.form,
                                      FormatTime(m->time_ns));
  };
  for (const std::string& dtype : Dtypes(model)) {
    const auto sizes = ClassSizes(model, dtype);
    for (const auto& [cls, n] : sizes) {
     for (const char* variant : {"maximum", "maximum_inplace"}) {
      auto same = [&, n = n](const Measurement& m) {
        return m.name.family == "relu" && m.name.dtype == dtype &&
               m.elements == n && m.name.op == variant;
      };
      const Measurement* ring_ours =
          Fastest(model.measurements, [&](const Measurement& m) {
            return same(m) && IsDefaultCondition(m.name) &&
                   IsOurForm(m.name.form);
          });
      for (const char* harness : {"ring", "python"}) {
        const bool python = std::string(harness) == "python";
        const Measurement* peer =
            Fastest(model.measurements, [&](const Measurement& m) {
              return same(m) && IsDefaultCondition(m.name) &&
                     IsPeerForm(m.name.form) && HarnessOf(m.name) == harness;
            });
        const Measurement* ours = ring_ours;
        bool cross_harness = false;
        if (python) {
          if (peer == nullptr) continue;
          ours = OursUnderHarnessOf(model, *peer);
          if (ours == nullptr) {  // an input without harness:python rows
            ours = ring_ours;
            cross_harness = true;
          }
        }
        const Measurement* copy = python ? nullptr
                                         : CopyReference(model, dtype, n);
        std::string vs_peer = kDash, vs_copy = kDash, ratio = kDash,
                    pct = kDash;
        std::vector<std::string> gaps;
        if (cross_harness) {
          gaps.push_back(
              "no harness:python row of ours: compared with the C++ ring's "
              "time, so the ratio includes the harnesses' difference");
        }
        if (ours && peer) {
          ratio = FormatRatio(peer->time_ns / ours->time_ns);
          const Noise noise = ComparisonNoise(*ours, *peer);
          const Verdict v = Meets(ours->time_ns, peer->time_ns, noise);
          vs_peer = VerdictText(v, noise);
          const double rel = ours->time_ns / peer->time_ns - 1;
          const std::string peer_id = peer->name.op + "/" + peer->name.form;
          if (v == Verdict::kNo) {
            gaps.push_back(fmt::format("{} slower than {}", Pct(rel), peer_id));
          } else if (v == Verdict::kTie) {
            gaps.push_back(
                fmt::format("ties {}: {} {}, {}", peer_id, Pct(std::fabs(rel)),
                            rel > 0 ? "slower" : "faster", NoiseText(noise)));
          }
        }
        if (ours && copy) {
          double frac = copy->time_ns / ours->time_ns;
          pct = Pct(frac);
          // The target is a time: the copy's time over 95%.
          const Noise noise = ComparisonNoise(*ours, *copy);
          const Verdict v =
              Meets(ours->time_ns, copy->time_ns / kCopyTarget, noise);
          vs_copy = VerdictText(v, noise);
          if (v == Verdict::kNo) {
            gaps.push_back(fmt::format("{} of copy, {} short of {}", Pct(frac),
                                       Pct(kCopyTarget - frac),
                                       Pct(kCopyTarget)));
          } else if (v == Verdict::kTie) {
            gaps.push_back(fmt::format("{} of copy against the {} target, {}",
                                       Pct(frac), Pct(kCopyTarget),
                                       NoiseText(noise)));
          }
        }
        if (ours == nullptr && peer == nullptr) continue;
        t.AddRow({dtype, SizeClassName(cls), std::to_string(n), variant,
                  harness, name(ours), name(peer), ratio, name(copy), pct,
                  vs_peer == "no" ? Cell(Bold("no")) : Cell(vs_peer),
                  vs_copy == "no" ? Cell(Bold("no")) : Cell(vs_copy),
                  gaps.empty() ? std::string(kDash)
                               : fmt::format("{}", fmt::join(gaps, "; "))});
      }
     }
    }
  }
  return out + (t.empty() ? "No relu rows.\n\n" : t.Render() + "\n");
}

// Why a Highway variant misses the bound, when the run shows it: the
// arithmetic at L1 (multiply and abs do three vector operations per vector
// where maximum does two), or broadcast_zeros' footprint filling the cache
// level that holds maximum's. Besides the working set, each call's restore
// reads a window of the pristine pool as large as the input, so three
// arrays plus that window reach or pass the level's size where maximum's
// two plus the window come to one array less. Empty when neither applies.
std::string MissCause(const Model& model, const std::string& op,
                      SizeClass cls, const Measurement& m,
                      const Measurement& maximum) {
  if ((op == "multiply" || op == "abs") && cls == SizeClass::kL1) {
    return "bound by arithmetic at L1: three vector operations per vector "
           "to maximum's two";
  }
  if (op != "broadcast_zeros" || !m.ws_bytes || !maximum.ws_bytes ||
      !m.elements) {
    return "";
  }
  const CacheSizes& c = model.caches;
  const std::optional<double> capacity =
      cls == SizeClass::kL1 ? c.l1d : cls == SizeClass::kL2 ? c.l2
                                  : cls == SizeClass::kLlc ? c.llc
                                                           : std::nullopt;
  if (!capacity) return "";
  const double window =
      static_cast<double>(*m.elements) * m.name.ElementBytes();
  if (*m.ws_bytes + window < *capacity) return "";
  return fmt::format(
      "its working set ({}) and the restore's pool window ({}) come to {}, "
      "at or over the {} ({}); maximum's come to {}",
      FormatBytes(*m.ws_bytes), FormatBytes(window),
      FormatBytes(*m.ws_bytes + window), SizeClassName(cls),
      FormatBytes(*capacity), FormatBytes(*maximum.ws_bytes + window));
}

std::string RenderHighwayVariants(const Model& model) {
  std::string out = "## Highway variants against Highway maximum\n\n";
  out += fmt::format(
      "Per dtype and size class (the representative n): each variant's "
      "Highway time over Highway maximum's at the same n. The bound is {}: "
      "a variant that moves the same bytes as maximum (multiply, abs) should "
      "be within it; broadcast_zeros must also read its zeros buffer (3 "
      "streams of bytes instead of 2, so up to 1.5× is the formulation, not "
      "the code; where its larger working set lies in a lower cache level "
      "than maximum's, the ratio is that level's bandwidth and the row says "
      "not comparable), and the in-place variants move one "
      "buffer instead of two, so they are expected below 1. Where a call "
      "is bound by its arithmetic rather than by memory (L1), the bound "
      "meets the code: Highway's maximum is two vector operations per "
      "vector on x86 (MAXPS, then an AND that clears -0.0's sign), multiply "
      "three (a compare into a mask, a masked move of 1.0, a multiply) and "
      "abs three (AND, add, multiply), so there they can take up to 1.5× "
      "maximum's time, and a miss at L1 alone has that cause.\n\n",
      FormatRatio(kHighwayVariantBound));
  Table t({"dtype", "size class", "n", "maximum", "variant", "time",
           "÷ maximum", "bound", "within"},
          {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
           Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
           Align::kLeft});
  for (const std::string& dtype : Dtypes(model)) {
    for (const auto& [cls, n] : ClassSizes(model, dtype)) {
      auto highway = [&, n = n](const std::string& op) {
        return Fastest(model.measurements, [&](const Measurement& m) {
          return m.name.family == "relu" && m.name.dtype == dtype &&
                 m.elements == n && IsDefaultCondition(m.name) &&
                 m.name.form == "highway" && m.name.op == op;
        });
      };
      const Measurement* maximum = highway("maximum");
      if (maximum == nullptr) continue;
      for (const char* op : {"maximum_inplace", "multiply", "abs",
                             "masked_assign", "broadcast_zeros"}) {
        const Measurement* m = highway(op);
        if (m == nullptr) continue;
        const double ratio = m->time_ns / maximum->time_ns;
        const bool zeros = std::string(op) == "broadcast_zeros";
        const double bound =
            zeros ? 1.5 * kHighwayVariantBound : kHighwayVariantBound;
        const Noise noise = ComparisonNoise(*m, *maximum);
        const Verdict v = Meets(m->time_ns, maximum->time_ns * bound, noise);
        std::string verdict = VerdictText(v, noise);
        // A larger working set (broadcast_zeros' third buffer) can sit a
        // cache level below maximum's at the same n: then the ratio is
        // that level's bandwidth, not the code, and the bound does not
        // apply. Say so rather than call it a miss.
        const SizeClass own = model.caches.Classify(m->ws_bytes);
        const SizeClass max_cls = model.caches.Classify(maximum->ws_bytes);
        const bool spilled = v == Verdict::kNo && own != max_cls &&
                             own != SizeClass::kUnknown &&
                             max_cls != SizeClass::kUnknown;
        if (spilled) {
          verdict = fmt::format(
              "not comparable: its working set ({}) is in {}, maximum's in {}",
              FormatBytes(*m->ws_bytes), SizeClassName(own),
              SizeClassName(max_cls));
        }
        Cell within = Cell(verdict);
        if (v == Verdict::kNo && !spilled) {
          const std::string cause = MissCause(model, op, cls, *m, *maximum);
          within = cause.empty()
                       ? Cell(Bold("no"))
                       : Cell(Md{Bold("no").text + ": " + Escape(cause)});
        }
        t.AddRow({dtype, SizeClassName(cls), std::to_string(n),
                  FormatTime(maximum->time_ns), op, FormatTime(m->time_ns),
                  FormatRatio(ratio), FormatRatio(bound), within});
      }
    }
  }
  return out + (t.empty() ? "No Highway rows.\n\n" : t.Render() + "\n");
}

}  // namespace relu::report
