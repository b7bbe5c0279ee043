// report.md sections; each is a pure function of the parsed inputs and the
// model.
#include "report/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/markdown.h"

namespace relu::report {
namespace {

using nlohmann::json;

constexpr const char* kDash = "—";

// A noisy machine gives hundreds of noisy rows; the noisiest make the point
// and the count says how many more there are.
constexpr size_t kNoisyRowsShown = 15;

// The protocol's cost target: under 2% per call at inputs of 64 KiB and
// above (below that, two clock reads per batch are a visible share).
constexpr double kOverheadTarget = 0.02;
constexpr double kOverheadTargetFrom = 64 * 1024;


bool MeasurementLess(const Measurement* a, const Measurement* b) {
  auto key = [](const Measurement* m) {
    return std::make_tuple(m->name.dtype, m->name.family,
                           VariantOrder(m->name.op), m->name.op,
                           FormOrder(m->name.form), m->name.form,
                           m->elements.value_or(-1), m->name.Canonical());
  };
  return key(a) < key(b);
}

std::string Throughput(const Measurement& m) {
  if (auto gbps = m.GBps()) {
    return FormatSig(*gbps) + (m.bps_derived ? " GB/s†" : " GB/s");
  }
  if (auto e = m.ElementsPerNs()) return FormatSig(*e) + " elem/ns";
  return kDash;
}

std::string CopyPercent(const Measurement& m, const Measurement* copy) {
  if (copy == nullptr || m.time_ns <= 0) return kDash;
  return FormatPercent(copy->time_ns / m.time_ns);
}

std::string TimeForm(const Measurement* m) {
  if (m == nullptr) return kDash;
  return fmt::format("{} {}", m->name.form, FormatTime(m->time_ns));
}

std::vector<std::string> SortedVariants(const std::set<std::string>& s) {
  std::vector<std::string> v(s.begin(), s.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return VariantOrder(a) < VariantOrder(b);
  });
  return v;
}

std::vector<std::string> SortedForms(const std::set<std::string>& s) {
  std::vector<std::string> v(s.begin(), s.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return FormOrder(a) < FormOrder(b);
  });
  return v;
}

bool IsMainRelu(const Measurement& m, const std::string& dtype, int64_t n) {
  return m.name.family == "relu" && m.name.dtype == dtype && m.elements == n &&
         IsDefaultCondition(m.name);
}

std::string RenderCaches(const json& caches) {
  if (!caches.is_array()) return ContextText(caches);
  std::vector<std::string> parts;
  for (const json& c : caches) {
    if (!c.is_object()) continue;
    std::string part = fmt::format("L{} {}", c.value("level", 0),
                                   c.value("type", std::string("?")));
    if (c.contains("size") && c["size"].is_number()) {
      part += " " + FormatBytes(c["size"].get<double>());
    }
    int sharing = c.value("num_sharing", 0);
    if (sharing > 1) part += fmt::format(" (shared by {})", sharing);
    parts.push_back(part);
  }
  return parts.empty() ? std::string("none listed")
                       : fmt::format("{}", fmt::join(parts, "; "));
}

std::string ContextValue(const std::string& key, const json& value) {
  if (key == "caches") return RenderCaches(value);
  if (key == "load_avg" && value.is_array()) {
    std::vector<std::string> v;
    for (const json& x : value)
      v.push_back(x.is_number() ? FormatSig(x.get<double>()) : x.dump());
    return fmt::format("{}", fmt::join(v, ", "));
  }
  if ((key == "cache_l1d" || key == "cache_l2" || key == "cache_llc")) {
    std::string text = ContextText(value);
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && d > 0) {
      return fmt::format("{} ({})", text, FormatBytes(d));
    }
    return text;
  }
  return ContextText(value);
}

}  // namespace

std::string NoiseText(const Noise& noise) {
  return noise.measured ? fmt::format("within noise (CV {})",
                                      FormatPercent(noise.fraction))
                        : fmt::format("within noise ({} assumed, no CV)",
                                      FormatPercent(noise.fraction));
}

std::string VerdictText(Verdict v, const Noise& noise) {
  switch (v) {
    case Verdict::kYes:
      return "yes";
    case Verdict::kNo:
      return "no";
    case Verdict::kTie:
      break;
  }
  return noise.measured ? fmt::format("tie (within noise: CV {})",
                                      FormatPercent(noise.fraction))
                        : fmt::format("tie (within noise: {} assumed, no CV)",
                                      FormatPercent(noise.fraction));
}

std::string RenderWarnings(const ReportData& data, const Model& model) {
  std::vector<std::string> items;  // Markdown list items
  for (const BenchFile& f : data.files) {
    const json& ctx = f.context;
    if (ctx.value("library_build_type", std::string()) == "debug") {
      std::string ours = ctx.contains("build_type")
                             ? ContextText(ctx["build_type"])
                             : "not recorded";
      items.push_back(fmt::format(
          "{}: `library_build_type` is debug. That is the build of the "
          "measurement "
          "library (Google Benchmark, e.g. Debian's libbenchmark), not of the "
          "code "
          "measured (our build_type: {}). It adds overhead to the timing loop; "
          "manually timed rows (manual_time) exclude most of it.",
          Escape(f.path), Escape(ours)));
    }
    if (auto it = ctx.find("cpu_scaling_enabled");
        it != ctx.end() && it->is_boolean() && it->get<bool>()) {
      items.push_back(fmt::format(
          "{}: CPU frequency scaling is enabled: the clock may change during "
          "the run, "
          "so times vary more and early rows can run at a lower frequency.",
          Escape(f.path)));
    }
    if (auto it = ctx.find("load_avg"); it != ctx.end() && it->is_array() &&
                                        !it->empty() && (*it)[0].is_number() &&
                                        (*it)[0].get<double>() >= 1.0) {
      items.push_back(
          fmt::format("{}: the 1-minute load average was {} when the run "
                      "started: other runnable "
                      "tasks may have shared the benchmark's core.",
                      Escape(f.path), FormatSig((*it)[0].get<double>())));
    }
  }
  const bool any_recognised = !model.measurements.empty();
  if (!model.caches.l1d && any_recognised) {
    items.push_back(
        "No cache sizes in any input: rows cannot be put in size classes (L1, "
        "L2, LLC, "
        "DRAM); the size class is shown as unknown.");
  } else if (any_recognised &&
             model.caches.source.find("cache_source: default") !=
                 std::string::npos) {
    items.push_back(
        "Cache sizes are the suite's defaults, not detected on this machine: "
        "size "
        "classes are approximate.");
  }
  std::vector<const Measurement*> noisy;
  int problems = 0, derived = 0;
  for (const Measurement& m : model.measurements) {
    if (!m.ok()) ++problems;
    if (m.ok() && m.cv && *m.cv > kNoisyCv) noisy.push_back(&m);
    if (m.ok() && (m.bps_derived || m.ws_derived)) ++derived;
  }
  if (problems > 0) {
    items.push_back(
        fmt::format("{} benchmark(s) errored or were skipped; see "
                    "\"Errored and skipped rows\".",
                    problems));
  }
  if (!model.unrecognised.empty()) {
    items.push_back(
        fmt::format("{} row(s) do not follow the benchmark-name grammar; "
                    "see \"Unrecognised rows\".",
                    model.unrecognised.size()));
  }
  if (derived > 0) {
    items.push_back(fmt::format(
        "{} row(s) lack bytes_per_second or ws_bytes; they were derived "
        "(marked †) "
        "from the same op, dtype and n in C++ rows, else from n, dtype and the "
        "output policy.",
        derived));
  }
  for (const std::string& note : model.notes) items.push_back(Escape(note));

  std::string out = "## Warnings\n\n";
  if (items.empty() && noisy.empty()) {
    out += "None: release library, fixed frequency, no noisy rows.\n\n";
    return out;
  }
  for (const std::string& item : items) out += "- " + item + "\n";
  if (!noisy.empty()) {
    out += fmt::format(
        "- {} noisy row(s): coefficient of variation above {} across "
        "repetitions; treat differences smaller than the CV as noise.{}\n",
        noisy.size(), FormatPercent(kNoisyCv),
        noisy.size() > kNoisyRowsShown
            ? fmt::format(" The {} noisiest:", kNoisyRowsShown)
            : std::string());
  }
  out += "\n";
  if (!noisy.empty()) {
    std::stable_sort(noisy.begin(), noisy.end(),
                     [](const Measurement* a, const Measurement* b) {
                       return *a->cv > *b->cv;
                     });
    Table t({"noisy benchmark", "CV", "repetitions", "time (median)"},
            {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
    const size_t shown = std::min(noisy.size(), kNoisyRowsShown);
    for (size_t i = 0; i < shown; ++i) {
      const Measurement* m = noisy[i];
      t.AddRow({m->run_name, FormatPercent(*m->cv),
                std::to_string(m->repetitions), FormatTime(m->time_ns)});
    }
    out += t.Render() + "\n";
    // Outside the table, so it stays rectangular.
    if (noisy.size() > shown) {
      out += fmt::format("… and {} more (all in the JSON).\n\n",
                         noisy.size() - shown);
    }
  }
  return out;
}

std::string RenderContext(const ReportData& data, const Model& model) {
  static const char* const kOrder[] = {"date",
                                       "host_name",
                                       "executable",
                                       "num_cpus",
                                       "mhz_per_cpu",
                                       "cpu_scaling_enabled",
                                       "cpu_model",
                                       "caches",
                                       "load_avg",
                                       "library_build_type",
                                       "build_type",
                                       "compiler",
                                       "cxx_flags",
                                       "cxx_flags_native",
                                       "hwy_target",
                                       "hwy_targets_compiled",
                                       "hwy_targets_supported",
                                       "hwy_version",
                                       "eigen_version",
                                       "benchmark_version",
                                       "xnnpack",
                                       "onednn",
                                       "thp",
                                       "cache_l1d",
                                       "cache_l2",
                                       "cache_llc",
                                       "cache_source",
                                       "git_commit",
                                       "relu_preset",
                                       "protocol"};
  std::vector<std::string> keys(std::begin(kOrder), std::end(kOrder));
  std::set<std::string> present;
  for (const BenchFile& f : data.files) {
    for (auto it = f.context.begin(); it != f.context.end(); ++it)
      present.insert(it.key());
  }
  for (const std::string& k : present) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  std::string out = "## Machine and build\n\n";
  std::vector<Cell> header = {"context key"};
  for (const BenchFile& f : data.files) header.emplace_back(f.path);
  Table t(header);
  for (const std::string& key : keys) {
    if (!present.count(key)) continue;
    std::vector<Cell> row = {key};
    for (const BenchFile& f : data.files) {
      auto it = f.context.find(key);
      row.emplace_back(it == f.context.end() ? std::string(kDash)
                                             : ContextValue(key, *it));
    }
    t.AddRow(std::move(row));
  }
  if (t.empty()) {
    out += "No input carries a context object.\n\n";
  } else {
    out += t.Render() + "\n";
  }
  const CacheSizes& c = model.caches;
  if (c.l1d && c.l2 && c.llc) {
    out += fmt::format(
        "Size classes compare each row's working set (ws_bytes) with L1d {}, "
        "L2 {} and "
        "LLC {}, taken from {}.\n\n",
        FormatBytes(*c.l1d), FormatBytes(*c.l2), FormatBytes(*c.llc),
        Escape(c.source));
  } else {
    out += "Cache sizes: not given by any input.\n\n";
  }
  return out;
}

std::string RenderSummary(const Model& model) {
  std::string out =
      "## Summary\n\n"
      "Main conditions: out:reuse (or out:inplace for in-place variants), "
      "cache:hot, "
      "neg:50, harness:ring, protocol:fair. One representative n per size "
      "class (the n "
      "with the most rows in that class). *peer ÷ ours* is the best peer's "
      "time over "
      "our best form's time (above 1: ours is faster); when the best peer is "
      "a Python one (NumPy, Numba, PyTorch), *ours* is our fastest form "
      "called from the same Python harness (harness:python, through "
      "ctypes), shown after the C++ suite's time, because the two harnesses "
      "leave the caches in different states; *ours ≥ peer* calls "
      "it a tie when the two differ by less than the larger of their CVs "
      "(2% for a row without one). *% of copy* is the "
      "fastest "
      "copy reference's time over the fastest form's time at the same dtype "
      "and n "
      "(100% = as fast as moving the bytes; in-place variants touch one buffer "
      "where the "
      "copy touches two, so they can pass 100%).\n\n";
  std::vector<std::string> dtypes = Dtypes(model);
  if (dtypes.empty()) return out + "No relu rows.\n\n";
  for (const std::string& dtype : dtypes) {
    out += fmt::format("### {}\n\n", dtype);
    Table t({"size class", "n", "variant", "fastest form", "time", "our best",
             "best peer", "peer ÷ ours", "ours ≥ peer", "copy reference",
             "% of copy"},
            {Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft,
             Align::kRight, Align::kLeft, Align::kLeft, Align::kRight,
             Align::kLeft, Align::kLeft, Align::kRight});
    for (const auto& [cls, n] : ClassSizes(model, dtype)) {
      std::set<std::string> variants;
      for (const Measurement& m : model.measurements) {
        if (m.ok() && IsMainRelu(m, dtype, n)) variants.insert(m.name.op);
      }
      const Measurement* copy = CopyReference(model, dtype, n);
      auto add = [&, cls = cls, n = n](const std::string& label, auto pred) {
        const Measurement* fastest = Fastest(model.measurements, pred);
        if (fastest == nullptr) return;
        const Measurement* ours =
            Fastest(model.measurements, [&](const Measurement& m) {
              return pred(m) && IsOurForm(m.name.form);
            });
        const Measurement* peer =
            Fastest(model.measurements, [&](const Measurement& m) {
              return pred(m) && IsPeerForm(m.name.form);
            });
        // A Python peer is compared with our kernel timed by its harness
        // (harness:python rows), not with the C++ ring's time.
        const Measurement* versus = ours;
        if (peer != nullptr && HarnessOf(peer->name) == "python") {
          if (const Measurement* same = OursUnderHarnessOf(model, *peer)) {
            versus = same;
          }
        }
        std::string ratio = versus && peer
                                ? FormatRatio(peer->time_ns / versus->time_ns)
                                : kDash;
        std::string verdict = kDash;
        if (versus && peer) {
          verdict = VerdictText(Meets(versus->time_ns, peer->time_ns,
                                      ComparisonNoise(*versus, *peer)),
                                ComparisonNoise(*versus, *peer));
        }
        bool overall = label.empty();
        std::string fastest_name =
            overall ? fastest->name.op + "/" + fastest->name.form
                    : fastest->name.form;
        std::string ours_name = ours == nullptr ? kDash
                                : overall ? ours->name.op + "/" + TimeForm(ours)
                                          : TimeForm(ours);
        if (versus != ours) {
          ours_name += fmt::format(
              "; harness:python: {}",
              overall ? versus->name.op + "/" + TimeForm(versus)
                      : TimeForm(versus));
        }
        std::string peer_name = peer == nullptr ? kDash
                                : overall ? peer->name.op + "/" + TimeForm(peer)
                                          : TimeForm(peer);
        t.AddRow({SizeClassName(cls), std::to_string(n),
                  overall ? Cell(Bold("all variants")) : Cell(label),
                  overall ? Cell(Bold(fastest_name)) : Cell(fastest_name),
                  FormatTime(fastest->time_ns), ours_name, peer_name, ratio,
                  verdict == "no" ? Cell(Bold(verdict)) : Cell(verdict),
                  copy == nullptr
                      ? std::string(kDash)
                      : fmt::format("{}/{} {}", copy->name.op, copy->name.form,
                                    FormatTime(copy->time_ns)),
                  CopyPercent(*fastest, copy)});
      };
      for (const std::string& v : SortedVariants(variants)) {
        add(v, [&, n = n](const Measurement& m) {
          return IsMainRelu(m, dtype, n) && m.name.op == v;
        });
      }
      add("",
          [&, n = n](const Measurement& m) { return IsMainRelu(m, dtype, n); });
    }
    out += t.empty() ? "No relu rows at the main conditions.\n\n"
                     : t.Render() + "\n";
  }
  return out;
}

std::string RenderFormTables(const Model& model) {
  std::string out =
      "## Variants × forms\n\n"
      "Each cell: time · throughput · % of the copy reference. The fastest "
      "form of each "
      "variant is bold. † marks throughput derived rather than reported (see "
      "Warnings).\n\n";
  if (Dtypes(model).empty()) out += "No relu rows.\n\n";
  for (const std::string& dtype : Dtypes(model)) {
    for (const auto& [cls, n] : ClassSizes(model, dtype)) {
      std::set<std::string> variants, forms;
      double ws_lo = INFINITY, ws_hi = 0;
      for (const Measurement& m : model.measurements) {
        if (!IsMainRelu(m, dtype, n)) continue;
        variants.insert(m.name.op);
        forms.insert(m.name.form);
        if (m.ok() && m.ws_bytes) {
          ws_lo = std::min(ws_lo, *m.ws_bytes);
          ws_hi = std::max(ws_hi, *m.ws_bytes);
        }
      }
      const Measurement* copy = CopyReference(model, dtype, n);
      std::string ws =
          ws_hi <= 0 ? std::string("working set unknown")
          : ws_lo == ws_hi
              ? fmt::format("working set {}", FormatBytes(ws_lo))
              : fmt::format("working sets {} to {}", FormatBytes(ws_lo),
                            FormatBytes(ws_hi));
      out += fmt::format(
          "### {}, {}: n = {} ({}; copy reference: {})\n\n", dtype,
          SizeClassName(cls), n, ws,
          copy == nullptr
              ? std::string("none at this n")
              : Escape(fmt::format("{}/{} {}", copy->name.op, copy->name.form,
                                   FormatTime(copy->time_ns))));
      std::vector<std::string> form_list = SortedForms(forms);
      std::vector<Cell> header = {"variant"};
      for (const std::string& f : form_list) header.emplace_back(f);
      Table t(header);
      for (const std::string& v : SortedVariants(variants)) {
        // Several rows can match one cell (e.g. with and without shape:);
        // the fastest stands for the cell, as in the summary.
        std::map<std::string, const Measurement*> cell;
        std::map<std::string, const Measurement*> failed;
        for (const Measurement& m : model.measurements) {
          if (!IsMainRelu(m, dtype, n) || m.name.op != v) continue;
          if (!m.ok()) {
            failed.emplace(m.name.form, &m);
            continue;
          }
          auto& slot = cell[m.name.form];
          if (slot == nullptr || m.time_ns < slot->time_ns) slot = &m;
        }
        const Measurement* best = nullptr;
        for (const auto& [f, m] : cell) {
          if (best == nullptr || m->time_ns < best->time_ns) best = m;
        }
        std::vector<Cell> row = {v};
        for (const std::string& f : form_list) {
          auto it = cell.find(f);
          if (it == cell.end()) {
            auto bad = failed.find(f);
            row.emplace_back(bad == failed.end()
                                 ? std::string(kDash)
                                 : (bad->second->status == Status::kError
                                        ? "error"
                                        : "skipped"));
            continue;
          }
          std::string text = fmt::format(
              "{} · {} · {}", FormatTime(it->second->time_ns),
              Throughput(*it->second), CopyPercent(*it->second, copy));
          row.push_back(it->second == best ? Cell(Bold(text)) : Cell(text));
        }
        t.AddRow(std::move(row));
      }
      out += t.Render() + "\n";
    }
  }
  return out;
}

namespace {

struct Axis {
  const char* key;
  std::vector<std::string> values;  // values[0] is the baseline
  bool overhead_percent;            // show (other / base - 1) as a percent
};

// Rows that differ only in `axis.key`, side by side, with ratios to the
// baseline value, so the cost of that one condition is read directly.
std::string CompareAlong(const Model& model, const Axis& axis) {
  struct Group {
    const Measurement* any = nullptr;
    std::map<std::string, const Measurement*> by_value;
  };
  std::map<std::string, Group> groups;
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || m.name.family == "gen") continue;
    std::string value = Effective(m.name, axis.key);
    if (std::find(axis.values.begin(), axis.values.end(), value) ==
        axis.values.end()) {
      continue;
    }
    Group& g = groups[SameBut(m, axis.key)];
    auto& slot = g.by_value[value];
    if (slot == nullptr) slot = &m;
    if (g.any == nullptr) g.any = &m;
  }
  std::vector<const Group*> rows;
  for (const auto& [k, g] : groups) {
    bool has_other = std::any_of(
        axis.values.begin() + 1, axis.values.end(),
        // Named capture: C++17 (and clang 14) cannot capture a structured
        // binding.
        [&g = g](const std::string& v) { return g.by_value.count(v) > 0; });
    if (g.by_value.count(axis.values[0]) && has_other) rows.push_back(&g);
  }
  if (rows.empty()) {
    return fmt::format("No pair of rows differs only in `{}`.\n\n", axis.key);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Group* a, const Group* b) {
                     return MeasurementLess(a->any, b->any);
                   });
  std::vector<Cell> header = {"benchmark", "n", "other conditions"};
  std::vector<Align> align = {Align::kLeft, Align::kRight, Align::kLeft};
  for (const std::string& v : axis.values) {
    header.emplace_back(fmt::format("{}:{}", axis.key, v));
    align.push_back(Align::kRight);
  }
  for (size_t i = 1; i < axis.values.size(); ++i) {
    header.emplace_back(
        axis.overhead_percent
            ? fmt::format("{} ÷ {} − 1", axis.values[i], axis.values[0])
            : fmt::format("{} ÷ {}", axis.values[i], axis.values[0]));
    align.push_back(Align::kRight);
  }
  Table t(header, align);
  for (const Group* g : rows) {
    const BenchName& b = g->any->name;
    std::vector<std::string> others;
    for (const auto& [k, v] : b.keys) {
      if (k != "n" && k != axis.key) others.push_back(k + ":" + v);
    }
    std::vector<Cell> row = {
        fmt::format("{}/{}/{}/{}", b.family, b.op, b.form, b.dtype),
        g->any->elements ? std::to_string(*g->any->elements)
                         : std::string(kDash),
        others.empty() ? std::string(kDash)
                       : fmt::format("{}", fmt::join(others, "/"))};
    for (const std::string& v : axis.values) {
      auto it = g->by_value.find(v);
      row.emplace_back(it == g->by_value.end()
                           ? std::string(kDash)
                           : FormatTime(it->second->time_ns));
    }
    const Measurement* base = g->by_value.at(axis.values[0]);
    for (size_t i = 1; i < axis.values.size(); ++i) {
      auto it = g->by_value.find(axis.values[i]);
      if (it == g->by_value.end() || base->time_ns <= 0) {
        row.emplace_back(kDash);
        continue;
      }
      double r = it->second->time_ns / base->time_ns;
      if (axis.overhead_percent) {
        row.emplace_back(
            fmt::format("{}{}", r >= 1 ? "+" : "", FormatPercent(r - 1)));
      } else {
        row.emplace_back(FormatRatio(r));
      }
    }
    t.AddRow(std::move(row));
  }
  return t.Render() + "\n";
}

}  // namespace

std::string RenderConditions(const Model& model) {
  std::string out = "## Output policy, cache state and input signs\n\n";
  out +=
      "### out:reuse vs out:fresh\n\n"
      "out:fresh allocates the output on every call as NumPy does, so its time "
      "includes "
      "allocation and first-touch page faults; the ratio is that cost.\n\n";
  out += CompareAlong(model, {"out", {"reuse", "fresh"}, false});
  out +=
      "### cache:hot vs cache:cold\n\n"
      "cache:cold cycles through buffers larger than twice the LLC, so every "
      "call reads "
      "from DRAM.\n\n";
  out += CompareAlong(model, {"cache", {"hot", "cold"}, false});
  out +=
      "### neg:0, neg:50, neg:100\n\n"
      "The share of negative inputs; a kernel whose time depends on it "
      "branches on the "
      "data (or, like masked assignment, writes only the negatives).\n\n";
  out += CompareAlong(model, {"neg", {"50", "0", "100"}, false});
  return out;
}

std::string RenderHarnessOverhead(const Model& model) {
  std::string out = fmt::format(
      "## Protocol overhead\n\n"
      "Each harness:bare row measures what the fair protocol costs A/B inside "
      "one benchmark: it alternates protocol batches (restore untimed, K "
      "calls between two clock reads) with bare chunks (the same calls on the "
      "same ring slots, no restores), so the machine's drift hits both alike; "
      "the row's own time is the bare per-call time and its counter "
      "protocol_overhead_pct is 100 × (protocol per call ÷ bare per call − "
      "1), the median over repetitions. *ring row* is the separate "
      "harness:ring benchmark, for reference. Target: overhead under {} at "
      "inputs of {} and above.\n\n",
      FormatPercent(kOverheadTarget), FormatBytes(kOverheadTargetFrom));
  std::vector<const Measurement*> bare;
  for (const Measurement& m : model.measurements) {
    if (m.ok() && m.name.Get("harness") == "bare") bare.push_back(&m);
  }
  if (bare.empty()) return out + "No harness:bare rows in this run.\n\n";
  std::stable_sort(bare.begin(), bare.end(), MeasurementLess);
  Table t({"benchmark", "n", "input", "bare per call", "ring row",
           "protocol overhead", "measured by", "under target"},
          {Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
           Align::kRight, Align::kRight, Align::kLeft, Align::kLeft});
  int at_scope = 0, met = 0, fallback = 0;
  for (const Measurement* b : bare) {
    // The ring row: the same benchmark but for the harness key.
    const std::string key = SameBut(*b, "harness");
    const Measurement* ring = Fastest(model.measurements, [&](const auto& m) {
      return Effective(m.name, "harness") == "ring" &&
             SameBut(m, "harness") == key;
    });
    std::optional<double> pct;
    std::string by = kDash;
    if (auto it = b->counters.find("protocol_overhead_pct");
        it != b->counters.end()) {
      pct = it->second / 100;
      by = "A/B counter";
    } else if (ring != nullptr && b->time_ns > 0) {
      // Older suites: two benchmarks run minutes apart, so drift between
      // them is part of this figure.
      pct = ring->time_ns / b->time_ns - 1;
      by = "ring ÷ bare − 1 (separate rows)";
      ++fallback;
    }
    std::optional<double> input_bytes;
    if (b->elements) {
      input_bytes = static_cast<double>(*b->elements) * b->name.ElementBytes();
    }
    std::string verdict = kDash;
    if (!input_bytes) {
      verdict = "— (input size unknown)";
    } else if (*input_bytes < kOverheadTargetFrom) {
      verdict = fmt::format("— (below {})", FormatBytes(kOverheadTargetFrom));
    } else if (pct) {
      ++at_scope;
      const bool ok = *pct < kOverheadTarget;
      if (ok) ++met;
      verdict = ok ? "yes" : "no";
    }
    t.AddRow(
        {fmt::format("{}/{}/{}/{}", b->name.family, b->name.op, b->name.form,
                     b->name.dtype),
         b->elements ? std::to_string(*b->elements) : std::string(kDash),
         input_bytes ? FormatBytes(*input_bytes) : std::string(kDash),
         FormatTime(b->time_ns),
         ring ? FormatTime(ring->time_ns) : std::string(kDash),
         pct ? fmt::format("{}{}", *pct >= 0 ? "+" : "", FormatPercent(*pct))
             : std::string(kDash),
         by, verdict == "no" ? Cell(Bold(verdict)) : Cell(verdict)});
  }
  out += t.Render() + "\n";
  if (at_scope > 0) {
    out += fmt::format(
        "{} of {} row(s) at inputs of {} and above meet the target.\n\n", met,
        at_scope, FormatBytes(kOverheadTargetFrom));
  } else {
    out += fmt::format(
        "No row with an overhead figure has an input of {} or "
        "more, so the target is not assessed.\n\n",
        FormatBytes(kOverheadTargetFrom));
  }
  if (fallback > 0) {
    out += fmt::format(
        "{} row(s) lack the protocol_overhead_pct counter (a suite older "
        "than the A/B measurement); their figure compares two separate "
        "benchmarks, so machine drift between them is part of it.\n\n",
        fallback);
  }
  return out;
}

std::string RenderSemantics(const std::vector<SemanticsFile>& files) {
  std::string out = "## Semantics on edge inputs\n\n";
  if (files.empty())
    return out + "No semantics file was given (--semantics).\n\n";
  out +=
      "What each variant and form returns for each edge input. A correct ReLU "
      "returns "
      "NaN for NaN, x for x > 0 and a zero of either sign for x ≤ 0; cells "
      "marked ✗ are "
      "not a correct ReLU.\n\n";
  // Columns: the labels in first-seen order over all files.
  std::vector<std::string> labels;
  for (const SemanticsFile& f : files) {
    for (const SemInput& in : f.inputs) {
      if (std::find(labels.begin(), labels.end(), in.label) == labels.end()) {
        labels.push_back(in.label);
      }
    }
  }
  std::vector<std::string> notes;
  struct Entry {
    const SemanticsFile* file;
    const SemRow* row;
  };
  std::map<std::string, std::vector<Entry>> by_dtype;
  std::set<std::string> seen;
  for (const SemanticsFile& f : files) {
    for (const SemRow& r : f.rows) {
      std::string id = r.variant + "/" + r.FormLabel() + "/" + r.dtype;
      if (!seen.insert(id).second) {
        notes.push_back(
            fmt::format("{} appears more than once; the table shows the first "
                        "(a later row in {} is ignored).",
                        id, f.path));
        continue;
      }
      by_dtype[r.dtype].push_back({&f, &r});
    }
  }
  for (auto& [dtype, entries] : by_dtype) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) {
                       return std::make_pair(VariantOrder(a.row->variant),
                                             FormOrder(a.row->form)) <
                              std::make_pair(VariantOrder(b.row->variant),
                                             FormOrder(b.row->form));
                     });
    out += fmt::format("### {}\n\n", dtype);
    std::vector<Cell> header = {"variant", "form"};
    for (const std::string& l : labels) header.emplace_back(l);
    header.emplace_back("correct ReLU");
    Table t(header);
    // The inputs themselves, as the first row, so every column is explained.
    std::vector<Cell> input_row = {Md{"*input*"}, Md{"*bits*"}};
    for (const std::string& l : labels) {
      std::string bits = kDash;
      for (const SemanticsFile& f : files) {
        for (const SemInput& in : f.inputs) {
          if (in.label == l) {
            bits = dtype == "f32" ? fmt::format("0x{:08x}", in.f32)
                                  : fmt::format("0x{:016x}", in.f64);
            break;
          }
        }
        if (bits != kDash) break;
      }
      input_row.emplace_back(bits);
    }
    input_row.emplace_back("");
    t.AddRow(std::move(input_row));
    for (const Entry& e : entries) {
      std::vector<Cell> row = {e.row->variant, e.row->FormLabel()};
      int wrong = 0;
      for (const std::string& l : labels) {
        auto it =
            std::find_if(e.file->inputs.begin(), e.file->inputs.end(),
                         [&](const SemInput& in) { return in.label == l; });
        if (it == e.file->inputs.end()) {
          row.emplace_back(kDash);
          continue;
        }
        size_t k = static_cast<size_t>(it - e.file->inputs.begin());
        const SemOutput& o = e.row->outputs[k];
        uint64_t in_bits = dtype == "f32" ? it->f32 : it->f64;
        if (IsCorrectRelu(in_bits, o.bits, dtype)) {
          row.emplace_back(o.text);
        } else {
          ++wrong;
          row.emplace_back(Md{"✗ " + Escape(o.text)});
        }
      }
      row.emplace_back(wrong == 0 ? std::string("yes")
                                  : fmt::format("no ({} input{})", wrong,
                                                wrong == 1 ? "" : "s"));
      t.AddRow(std::move(row));
    }
    out += t.Render() + "\n";
  }
  for (const std::string& n : notes) out += "- " + Escape(n) + "\n";
  if (!notes.empty()) out += "\n";
  return out;
}

std::string RenderPlots(const PlotOutcome& plots) {
  std::string out = "## Plots\n\n";
  switch (plots.state) {
    case PlotOutcome::State::kDisabled:
      return out + "Not generated (--no-plots).\n\n";
    case PlotOutcome::State::kFailed:
      return out + "Not generated: " + Escape(plots.reason) + ".\n\n";
    case PlotOutcome::State::kDone:
      break;
  }
  out +=
      "Throughput (bytes_per_second) against the working set of one call, one "
      "line per "
      "form; the dashed line is the fastest copy reference at each size (the "
      "ceiling), "
      "vertical lines mark the cache sizes. In-place variants work on one "
      "buffer, so at "
      "the same n their working set is half the copy's: where the copy has "
      "dropped out "
      "of a cache level that the in-place variant still fits in, the copy line "
      "is not "
      "a bound for it.\n\n";
  for (const PlotChart& c : plots.charts) {
    out += fmt::format("![{}]({})\n\n", Escape(c.title), c.file);
  }
  return out;
}

std::string RenderProblemRows(const Model& model) {
  std::string out = "## Errored and skipped rows\n\n";
  Table t({"input", "benchmark", "status", "message"});
  for (const Measurement& m : model.measurements) {
    if (m.ok()) continue;
    t.AddRow({m.file, m.run_name,
              m.status == Status::kError ? "error" : "skipped",
              m.message.empty() ? std::string(kDash) : m.message});
  }
  return out + (t.empty() ? "None.\n\n" : t.Render() + "\n");
}

std::string RenderUnrecognised(const Model& model) {
  std::string out = "## Unrecognised rows\n\n";
  if (model.unrecognised.empty())
    return out + "None: every row follows the grammar.\n\n";
  out +=
      "Rows whose names do not follow the README grammar (another project's "
      "benchmarks, "
      "or a typo), shown as they are and left out of every other section.\n\n";
  Table t(
      {"input", "name", "run type", "real time", "why not recognised"},
      {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft});
  for (const UnrecognisedRow& u : model.unrecognised) {
    const Row& r = *u.row;
    std::string type =
        r.run_type == RunType::kAggregate
            ? "aggregate " + (r.aggregate_name.empty() ? std::string("?")
                                                       : r.aggregate_name)
            : "iteration";
    std::string time = kDash;
    if (r.error) {
      time = "error: " + r.message;
    } else if (r.skipped) {
      time = "skipped: " + r.message;
    } else if (r.percentage && r.real_raw) {
      time = FormatPercent(*r.real_raw);
    } else if (r.real_ns) {
      time = FormatTime(*r.real_ns);
    }
    t.AddRow({u.file, u.name, type, time, u.why});
  }
  return out + t.Render() + "\n";
}

std::string RenderReport(const ReportData& data, const Model& model) {
  std::string out = "# ReLU benchmark report\n\n";
  out += "Inputs:\n\n";
  for (const BenchFile& f : data.files) {
    out += fmt::format("- benchmarks: {} ({} rows)\n", Escape(f.path),
                       f.rows.size());
  }
  for (const SemanticsFile& f : data.semantics) {
    out += fmt::format("- semantics: {} ({} rows)\n", Escape(f.path),
                       f.rows.size());
  }
  if (data.claims) {
    out += fmt::format("- StackOverflow claims: {} ({} answers)\n",
                       Escape(data.claims->path), data.claims->answers.size());
  }
  out +=
      "\nTimes are Google Benchmark's real_time (the manual time of the C++ "
      "suite), the "
      "median over repetitions where there are repetitions; GB/s is the "
      "bytes_per_second "
      "counter.\n\n";
  out += RenderWarnings(data, model);
  out += RenderContext(data, model);
  out += RenderSummary(model);
  out += RenderTargets(model);
  out += RenderHighwayVariants(model);
  out += RenderWhyForms(data, model);
  out += RenderFormTables(model);
  out += RenderConditions(model);
  out += RenderHarnessOverhead(model);
  out += RenderSemantics(data.semantics);
  out += RenderSemanticsVsNumpy(data.semantics);
  out += RenderStackOverflow(data.claims, model);
  out += RenderPlots(data.plots);
  out += RenderProblemRows(model);
  out += RenderUnrecognised(model);
  return out;
}

}  // namespace relu::report
