// The report's model (see model.h): measurements with their samples, groups,
// size classes and comparisons.
#include "report/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <unordered_map>

#include "relu/vocabulary_generated.h"

namespace relu::report {
namespace {

double MedianOf(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<double> CounterOf(const std::map<std::string, double>& c,
                                std::string_view key) {
  auto it = c.find(std::string(key));
  if (it == c.end()) return std::nullopt;
  return it->second;
}

std::optional<double> ParseBytes(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(d > 0)) return std::nullopt;
  return d;
}

template <typename Entries, typename Name>
int IndexOf(const Entries& entries, Name name, std::string_view s) {
  int i = 0;
  for (const auto& e : entries) {
    if (name(e) != nullptr && s == name(e)) return i;
    ++i;
  }
  return -1;
}

const vocab::VariantEntry* VariantEntry(std::string_view name) {
  for (const vocab::VariantEntry& v : vocab::kVariants) {
    if (name == v.name) return &v;
  }
  return nullptr;
}

Measurement Reduce(const std::string& file, const BenchName& name,
                   const std::vector<const Row*>& rows) {
  Measurement m;
  m.file = file;
  m.run_name = rows.front()->run_name;
  m.name = name;
  const Row* median = nullptr;
  std::vector<const Row*> iterations;
  for (const Row* r : rows) {
    if (r->error || r->skipped) {
      if (m.status == Status::kOk) {
        m.status = r->error ? Status::kError : Status::kSkipped;
        m.message = r->message;
      }
      continue;
    }
    if (r->run_type == RunType::kIteration) {
      if (r->real_ns && *r->real_ns > 0) iterations.push_back(r);
    } else if (r->aggregate_name == "median" && r->real_ns) {
      median = r;
    }
  }
  if (m.status != Status::kOk) return m;
  std::stable_sort(iterations.begin(), iterations.end(),
                   [](const Row* a, const Row* b) {
                     return a->repetition_index < b->repetition_index;
                   });
  bool every_rtt = !iterations.empty();
  for (const Row* r : iterations) {
    m.samples_ns.push_back(*r->real_ns);
    m.rounds.push_back(r->repetition_index);
    auto start = r->counters.find("round_core_rtt_ns");
    auto end = r->counters.find("round_core_rtt_end_ns");
    every_rtt = every_rtt && start != r->counters.end() &&
                end != r->counters.end() && start->second > 0 &&
                end->second > 0;
    if (every_rtt) {
      m.round_rtt_ns.push_back(start->second);
      m.round_rtt_end_ns.push_back(end->second);
    }
  }
  if (every_rtt) {
    m.placement = MainPlacement(m.round_rtt_ns, m.round_rtt_end_ns);
  } else {
    m.round_rtt_ns.clear();
    m.round_rtt_end_ns.clear();
  }
  // Counters: the median over the repetitions, as GB's median aggregate.
  std::map<std::string, std::vector<double>> values;
  for (const Row* r : iterations) {
    for (const auto& [key, v] : r->counters) values[key].push_back(v);
  }
  for (const auto& [key, v] : values) m.counters[key] = MedianOf(v);
  if (!m.samples_ns.empty()) {
    m.time_ci = stats::Median(m.samples_ns);
    m.time_ns = m.time_ci.estimate;
    m.outliers = stats::CountOutliers(m.samples_ns);
  } else if (median != nullptr) {
    // Older runs kept aggregates only: one figure, no interval.
    m.time_ns = *median->real_ns;
    m.counters = median->counters;
  } else {
    m.status = Status::kError;
    m.message = "no usable time (no iteration row and no median aggregate)";
    return m;
  }
  m.paired = m.counters.count("group_rounds") > 0;
  if (auto bps = CounterOf(m.counters, "bytes_per_second")) {
    m.bytes_per_call = *bps * m.time_ns * 1e-9;
  }
  m.ws_bytes = CounterOf(m.counters, "ws_bytes");
  for (const Row* r : rows) {
    constexpr std::string_view kPrefix = "reported:";
    if (r->label.rfind(kPrefix, 0) != 0) continue;
    m.reported_stat = r->label.substr(kPrefix.size());
    break;
  }
  if (m.reported_stat == "row") {
    if (!m.samples_ns.empty()) m.reported_ns = MedianOf(m.samples_ns);
  } else if (!m.reported_stat.empty()) {
    for (const Row* r : rows) {
      if (r->run_type == RunType::kAggregate &&
          r->aggregate_name == m.reported_stat && r->real_ns) {
        m.reported_ns = *r->real_ns;
      }
    }
  }
  const auto n = name.Elements();
  m.group = fmt::format("{}|{}|{}|{}|{}", file, name.dtype, n.value_or(-1),
                        Effective(name, "state"), Effective(name, "neg"));
  return m;
}

}  // namespace

std::optional<double> Measurement::Counter(std::string_view key) const {
  return CounterOf(counters, key);
}

std::optional<double> Measurement::GBps() const {
  if (!bytes_per_call || time_ns <= 0) return std::nullopt;
  return *bytes_per_call / time_ns;
}

const char* SizeClassName(SizeClass c) {
  switch (c) {
    case SizeClass::kL1:
      return "L1";
    case SizeClass::kL2:
      return "L2";
    case SizeClass::kLlc:
      return "LLC";
    case SizeClass::kDram:
      return "DRAM";
    case SizeClass::kUnknown:
      break;
  }
  return "unknown";
}

SizeClass CacheSizes::Classify(std::optional<double> ws_bytes) const {
  if (!ws_bytes || !l1d || !l2 || !llc) return SizeClass::kUnknown;
  if (*ws_bytes <= *l1d) return SizeClass::kL1;
  if (*ws_bytes <= *l2) return SizeClass::kL2;
  if (*ws_bytes <= *llc) return SizeClass::kLlc;
  return SizeClass::kDram;
}

CacheSizes CachesFromContext(const std::vector<BenchFile>& files) {
  CacheSizes c;
  for (const BenchFile& f : files) {
    const auto& ctx = f.context;
    auto get = [&](const char* key) -> std::optional<double> {
      auto it = ctx.find(key);
      return it == ctx.end() ? std::nullopt : ParseBytes(*it);
    };
    auto l1d = get("cache_l1d"), l2 = get("cache_l2"), llc = get("cache_llc");
    if (l1d && l2 && llc) {
      c.l1d = l1d;
      c.l2 = l2;
      c.llc = llc;
      auto src = ctx.find("cache_source");
      c.source =
          fmt::format("{} (cache_source: {})", f.path,
                      src == ctx.end() ? "not given" : ContextText(*src));
      return c;
    }
  }
  for (const BenchFile& f : files) {
    auto caches = f.context.find("caches");
    if (caches == f.context.end() || !caches->is_array()) continue;
    int llc_level = 0;
    for (const auto& cache : *caches) {
      if (!cache.is_object()) continue;
      auto type = cache.find("type");
      auto level = cache.find("level");
      auto size = cache.find("size");
      if (type == cache.end() || !type->is_string() || level == cache.end() ||
          !level->is_number_integer() || size == cache.end()) {
        continue;
      }
      const auto bytes = ParseBytes(*size);
      const int lv = level->get<int>();
      if (!bytes || type->get<std::string>() == "Instruction") continue;
      if (lv == 1) c.l1d = bytes;
      if (lv == 2) c.l2 = bytes;
      if (lv >= 3 && lv >= llc_level) {
        c.llc = bytes;
        llc_level = lv;
      }
    }
    if (c.l1d && c.l2 && !c.llc) c.llc = c.l2;
    if (c.l1d && c.l2 && c.llc) {
      c.source =
          fmt::format("Google Benchmark's \"caches\" list in {}", f.path);
      return c;
    }
    c = CacheSizes();
  }
  c.source = "not given by any input";
  return c;
}

std::string OwnerOf(std::string_view form) {
  for (const vocab::FormEntry& f : vocab::kForms) {
    if (form == f.name) return f.owner;
  }
  return "";
}

bool IsOurForm(std::string_view form) { return OwnerOf(form) == "ours"; }

bool IsPythonForm(std::string_view form) {
  for (const vocab::FormEntry& f : vocab::kForms) {
    if (form == f.name) return std::string_view(f.harness) == "python";
  }
  return false;
}

int FormOrder(std::string_view form) {
  const int i = IndexOf(
      vocab::kForms, [](const vocab::FormEntry& f) { return f.name; }, form);
  return i >= 0 ? i : 100;
}

int VariantOrder(std::string_view variant) {
  const int i = IndexOf(
      vocab::kVariants, [](const vocab::VariantEntry& v) { return v.name; },
      variant);
  return i >= 0 ? i : 100;
}

bool IsInPlaceVariant(std::string_view variant) {
  const vocab::VariantEntry* v = VariantEntry(variant);
  return v != nullptr && std::strcmp(v->memory, "in_place") == 0;
}

bool IsBackwardVariant(std::string_view variant) {
  const vocab::VariantEntry* v = VariantEntry(variant);
  return v != nullptr && std::strcmp(v->direction, "backward") == 0;
}

std::string Effective(const BenchName& b, std::string_view key) {
  // Older runs' keys and values, mapped by the vocabulary's legacy table.
  for (const vocab::LegacyValue& l : vocab::kLegacyValues) {
    if (key == l.becomes_key && b.Get(l.key) == l.value) return l.becomes_value;
  }
  std::string v = b.Get(key);
  if (!v.empty()) return v;
  if (key == "state" && b.Get("harness") == "bare") return "resident";
  for (const vocab::KeyEntry& k : vocab::kKeys) {
    if (key != k.name) continue;
    if (key == "out" && b.family == "relu" && IsInPlaceVariant(b.op)) {
      return k.default_in_place ? k.default_in_place : "";
    }
    if (key == "out" && b.family == "copy" && b.op == "inplace")
      return "inplace";
    if (key == "harness" && IsPythonForm(b.form) && k.default_python) {
      return k.default_python;
    }
    return k.default_value ? k.default_value : "";
  }
  return "";
}

bool IsMultiThread(const BenchName& b) {
  return Effective(b, "threads") != "1";
}

bool IsDefaultCondition(const BenchName& name) {
  if (Effective(name, "state") != "producer" ||
      Effective(name, "neg") != "50" || IsMultiThread(name) ||
      !name.Get("isa").empty() || Effective(name, "protocol") != "fair" ||
      Effective(name, "harness") == "ctimed") {
    return false;
  }
  const std::string out = Effective(name, "out");
  return out == "reuse" || out == "inplace";
}

std::string SameBut(const Measurement& m, std::string_view omit) {
  std::string key = fmt::format(
      "{}/{}/{}/{}/{}", m.name.family, m.name.op,
      omit == "form" ? std::string_view() : std::string_view(m.name.form),
      m.name.dtype, m.name.Elements().value_or(-1));
  for (const vocab::KeyEntry& k : vocab::kKeys) {
    const std::string_view name = k.name;
    if (name == "n" || name == omit) continue;
    key += "/" + Effective(m.name, name);
  }
  return key;
}

const Measurement* Model::Find(const std::string& canonical) const {
  for (const Measurement& m : measurements) {
    if (m.name.Canonical() == canonical) return &m;
  }
  return nullptr;
}

std::vector<const Measurement*> Model::Select(
    const std::function<bool(const Measurement&)>& pred) const {
  std::vector<const Measurement*> out;
  for (const Measurement& m : measurements) {
    if (m.ok() && pred(m)) out.push_back(&m);
  }
  return out;
}

const Measurement* Fastest(
    const Model& model, const std::function<bool(const Measurement&)>& pred) {
  const Measurement* best = nullptr;
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || !pred(m)) continue;
    if (best == nullptr || m.time_ns < best->time_ns) best = &m;
  }
  return best;
}

Model BuildModel(const std::vector<BenchFile>& files) {
  Model model;
  model.caches = CachesFromContext(files);
  struct Group {
    std::string file;
    BenchName name;
    std::vector<const Row*> rows;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  std::set<std::string> dup_noted;
  for (const BenchFile& f : files) {
    for (const Row& r : f.rows) {
      std::string why;
      auto name = ParseBenchName(r.run_name, &why);
      if (!name) {
        model.unrecognised.push_back({f.path, r.name, why, &r});
        continue;
      }
      auto it = index.find(r.run_name);
      if (it == index.end()) {
        index.emplace(r.run_name, groups.size());
        groups.push_back({f.path, *name, {&r}});
      } else if (groups[it->second].file == f.path) {
        groups[it->second].rows.push_back(&r);
      } else if (dup_noted.insert(r.run_name).second) {
        model.notes.push_back(fmt::format(
            "{} appears in {} and in {}; the report uses {}", r.run_name,
            groups[it->second].file, f.path, groups[it->second].file));
      }
    }
  }
  for (const Group& g : groups) {
    model.measurements.push_back(Reduce(g.file, g.name, g.rows));
  }
  return model;
}

bool SamePlacement(double a_ns, double b_ns) {
  return a_ns > 0 && b_ns > 0 &&
         std::max(a_ns, b_ns) <= kPlacementFactor * std::min(a_ns, b_ns);
}

Placement MainPlacement(const std::vector<double>& start,
                        const std::vector<double>& end) {
  Placement best;
  for (double lo : start) {
    Placement p;
    p.lo = lo;
    p.hi = kPlacementFactor * lo;
    for (size_t i = 0; i < start.size(); ++i) p.rounds += p.Holds(start[i], end[i]);
    if (p.rounds > best.rounds || (p.rounds == best.rounds && lo < best.lo))
      best = p;
  }
  std::vector<double> in;
  for (size_t i = 0; i < start.size(); ++i) {
    if (best.Holds(start[i], end[i])) in.push_back(start[i]);
  }
  if (!in.empty()) best.ns = MedianOf(in);
  return best;
}

std::optional<double> PlacementNs(const Measurement& m) {
  if (!m.round_rtt_ns.empty()) {
    if (m.placement.rounds > 0) return m.placement.ns;
    return std::nullopt;
  }
  const auto rtt = m.Counter("group_core_rtt_ns");
  if (rtt && *rtt > 0) return rtt;
  return std::nullopt;
}

Comparison Compare(const Measurement& a, const Measurement& b) {
  Comparison c;
  if (a.paired && b.paired && a.group == b.group) {
    // The rounds both ran in; with a two-thread row, those at the group's
    // main placement.
    const bool placed = !a.round_rtt_ns.empty() &&
                        (IsMultiThread(a.name) || IsMultiThread(b.name));
    std::map<int64_t, double> by_round;
    for (size_t i = 0; i < b.rounds.size(); ++i)
      by_round[b.rounds[i]] = b.samples_ns[i];
    std::vector<double> x, y;
    for (size_t i = 0; i < a.rounds.size(); ++i) {
      auto it = by_round.find(a.rounds[i]);
      if (it == by_round.end()) continue;
      if (placed &&
          !a.placement.Holds(a.round_rtt_ns[i], a.round_rtt_end_ns[i])) {
        ++c.other_placement;
        continue;
      }
      x.push_back(a.samples_ns[i]);
      y.push_back(it->second);
    }
    c.kind = Comparison::Kind::kPaired;
    c.ratio = stats::PairedRatio(x, y);
    c.n = x.size();
    // Too few rounds at one placement: no interval, rather than one over
    // every sample, which would mix placements.
    if (c.ratio.valid || placed) return c;
  }
  if (a.samples_ns.size() >= 2 && b.samples_ns.size() >= 2) {
    c.kind = Comparison::Kind::kUnpaired;
    c.ratio = stats::UnpairedRatio(a.samples_ns, b.samples_ns);
    c.n = std::min(a.samples_ns.size(), b.samples_ns.size());
    if (c.ratio.valid) return c;
  }
  c.kind = Comparison::Kind::kPoint;
  c.ratio = stats::Interval();
  c.ratio.estimate = b.time_ns > 0 ? a.time_ns / b.time_ns : 0;
  c.ratio.valid = false;
  c.n = 1;
  return c;
}

Verdict Against(const Comparison& c, double line) {
  switch (stats::Against(c.ratio, line)) {
    case stats::Verdict::kBelow:
      return Verdict::kBelow;
    case stats::Verdict::kAbove:
      return Verdict::kAbove;
    case stats::Verdict::kTie:
      return Verdict::kTie;
    case stats::Verdict::kUnknown:
      break;
  }
  return Verdict::kNoInterval;
}

std::vector<std::pair<SizeClass, int64_t>> ClassSizes(const Model& model,
                                                      std::string_view dtype) {
  std::map<SizeClass, std::map<int64_t, int>> counts;
  for (const Measurement& m : model.measurements) {
    const auto n = m.name.Elements();
    if (!m.ok() || m.name.family != "relu" || m.name.dtype != dtype || !n ||
        !IsDefaultCondition(m.name) || !m.name.Get("shape").empty()) {
      continue;
    }
    // Classified by maximum's working set (two arrays), so every variant of
    // one n shares the class.
    const double ws = 2.0 * double(*n) * m.name.ElementBytes();
    ++counts[model.caches.Classify(ws)][*n];
  }
  std::vector<std::pair<SizeClass, int64_t>> out;
  auto add = [&](SizeClass cls) {
    auto it = counts.find(cls);
    if (it == counts.end()) return;
    int64_t best_n = 0;
    int best_count = -1;
    for (const auto& [n, count] : it->second) {
      if (count >= best_count) {
        best_n = n;
        best_count = count;
      }
    }
    out.emplace_back(cls, best_n);
  };
  for (SizeClass c : kSizeClasses) add(c);
  add(SizeClass::kUnknown);
  return out;
}

std::vector<std::string> Dtypes(const Model& model) {
  std::vector<std::string> out;
  for (const char* d : {"f64", "f32"}) {
    for (const Measurement& m : model.measurements) {
      if (m.name.family == "relu" && m.name.dtype == d) {
        out.emplace_back(d);
        break;
      }
    }
  }
  return out;
}

}  // namespace relu::report
