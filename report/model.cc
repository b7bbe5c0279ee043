// Reduces parsed rows to one measurement per benchmark, as GB's compare.py
// reduces runs.
#include "report/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

namespace relu::report {
namespace {

constexpr std::string_view kOurForms[] = {"scalar", "eigen", "highway"};
constexpr std::string_view kPeerForms[] = {"xnnpack", "onednn", "numpy",
                                           "numba", "torch"};
constexpr std::string_view kVariants[] = {"maximum",       "maximum_inplace",
                                          "multiply",      "abs",
                                          "masked_assign", "broadcast_zeros"};

template <typename Range>
int IndexIn(const Range& range, std::string_view s) {
  auto it = std::find(std::begin(range), std::end(range), s);
  return it == std::end(range) ? -1 : static_cast<int>(it - std::begin(range));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// GB's cv: sample standard deviation over the mean.
std::optional<double> Cv(const std::vector<double>& v) {
  if (v.size() < 2) return std::nullopt;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= v.size();
  if (mean == 0) return std::nullopt;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / (v.size() - 1)) / mean;
}

std::optional<double> Counter(const std::map<std::string, double>& counters,
                              const char* key) {
  auto it = counters.find(key);
  if (it == counters.end()) return std::nullopt;
  return it->second;
}
std::optional<double> Counter(const Row& r, const char* key) {
  return Counter(r.counters, key);
}

std::string FormatCount(double v) { return fmt::format("{:.0f}", v); }

std::optional<double> ParseBytes(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(d > 0)) return std::nullopt;
  return d;
}

Measurement Reduce(const std::string& file, const BenchName& name,
                   const std::vector<const Row*>& rows) {
  Measurement m;
  m.file = file;
  m.run_name = rows.front()->run_name;
  m.name = name;
  m.elements = name.Elements();
  const Row* median = nullptr;
  const Row* mean = nullptr;
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
      if (r->real_ns) iterations.push_back(r);
    } else if (r->aggregate_name == "median" && r->real_ns) {
      median = r;
    } else if (r->aggregate_name == "mean" && r->real_ns) {
      mean = r;
    } else if (r->aggregate_name == "cv" && r->percentage && r->real_raw) {
      m.cv = *r->real_raw;
    }
  }
  if (m.status != Status::kOk) return m;

  std::vector<double> times;
  for (const Row* r : iterations) times.push_back(*r->real_ns);
  if (!m.cv) m.cv = Cv(times);
  auto take_counters = [&](const Row& r) {
    m.counters = r.counters;
    m.bytes_per_second = Counter(r, "bytes_per_second");
    m.items_per_second = Counter(r, "items_per_second");
    m.ws_bytes = Counter(r, "ws_bytes");
  };
  if (median != nullptr || mean != nullptr) {
    const Row& r = median != nullptr ? *median : *mean;
    m.time_ns = *r.real_ns;
    m.repetitions = r.repetitions;
    m.basis = median != nullptr ? "median" : "mean (no median aggregate)";
    take_counters(r);
  } else if (iterations.size() == 1) {
    m.time_ns = times.front();
    m.repetitions = 1;
    m.basis = "single run";
    take_counters(*iterations.front());
  } else if (!iterations.empty()) {
    // Repetitions without aggregates: reduce them as GB's median would.
    m.time_ns = Median(times);
    m.repetitions = static_cast<int64_t>(iterations.size());
    m.basis = "median of iteration rows";
    // Every counter reduced as GB's median aggregate would, so a counter
    // such as protocol_overhead_pct means the same with or without
    // aggregate rows.
    std::map<std::string, std::vector<double>> values;
    for (const Row* r : iterations) {
      for (const auto& [key, v] : r->counters) values[key].push_back(v);
    }
    for (const auto& [key, v] : values) m.counters[key] = Median(v);
    m.bytes_per_second = Counter(m.counters, "bytes_per_second");
    m.items_per_second = Counter(m.counters, "items_per_second");
    m.ws_bytes = Counter(m.counters, "ws_bytes");
  } else {
    m.status = Status::kError;
    m.message =
        "no usable time (no median aggregate and no timed iteration row)";
    return m;
  }
  // The figure a replayed answer reported, to compare like with like.
  for (const Row* r : rows) {
    constexpr std::string_view kPrefix = "reported:";
    if (r->label.rfind(kPrefix, 0) != 0) continue;
    m.reported_stat = r->label.substr(kPrefix.size());
    break;
  }
  if (!m.reported_stat.empty()) {
    if (m.reported_stat == "row") {
      if (!times.empty()) m.reported_ns = Median(times);
    } else {
      for (const Row* r : rows) {
        if (r->run_type == RunType::kAggregate &&
            r->aggregate_name == m.reported_stat && r->real_ns) {
          m.reported_ns = *r->real_ns;
        }
      }
    }
  }
  if (!m.ws_bytes && m.elements) {
    // Python rows may lack ws_bytes: count buffers as the suite does.
    int buffers = 2;
    if (name.family == "gen") buffers = 1;
    if (name.family == "relu") {
      if (name.op == "broadcast_zeros") {
        buffers = 3;
      } else if (name.Get("out") == "inplace" ||
                 (name.Get("out").empty() && IsInPlaceVariant(name.op))) {
        buffers = 1;
      }
    }
    m.ws_bytes =
        static_cast<double>(*m.elements) * name.ElementBytes() * buffers;
    m.ws_derived = true;
  }
  return m;
}

}  // namespace

std::optional<double> Measurement::GBps() const {
  if (!bytes_per_second) return std::nullopt;
  return *bytes_per_second / 1e9;
}

std::optional<double> Measurement::ElementsPerNs() const {
  if (!elements || time_ns <= 0) return std::nullopt;
  return static_cast<double>(*elements) / time_ns;
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
      c.source = fmt::format(
          "context keys cache_l1d/cache_l2/cache_llc of {} (cache_source: {})",
          f.path, src == ctx.end() ? "not given" : ContextText(*src));
      return c;
    }
  }
  // Fall back on GB's own list: sizes of one instance of each cache.
  for (const BenchFile& f : files) {
    auto caches = f.context.find("caches");
    if (caches == f.context.end() || !caches->is_array()) continue;
    int llc_level = 0;
    for (const auto& cache : *caches) {
      if (!cache.is_object()) continue;
      std::string type = cache.value("type", "");
      int level = cache.value("level", 0);
      auto size =
          cache.contains("size") ? ParseBytes(cache["size"]) : std::nullopt;
      if (!size || type == "Instruction") continue;
      if (level == 1) c.l1d = size;
      if (level == 2) c.l2 = size;
      if (level >= 3 && level >= llc_level) {
        c.llc = size;
        llc_level = level;
      }
    }
    if (c.l1d && c.l2 && !c.llc) c.llc = c.l2;  // no L3: L2 is the last level
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

bool IsOurForm(std::string_view form) { return IndexIn(kOurForms, form) >= 0; }
bool IsPeerForm(std::string_view form) {
  return IndexIn(kPeerForms, form) >= 0;
}
bool IsPythonPeerForm(std::string_view form) {
  return form == "numpy" || form == "numba" || form == "torch";
}

std::string HarnessOf(const BenchName& name) {
  std::string h = name.Get("harness");
  if (!h.empty()) return h;
  return IsPythonPeerForm(name.form) ? "python" : "ring";
}

namespace {
// Keys other than n that set a row's conditions, in README order.
constexpr const char* kConditionKeys[] = {"shape", "out",     "cache",
                                          "neg",   "harness", "protocol"};
}  // namespace

std::string Effective(const BenchName& b, std::string_view key) {
  std::string v = b.Get(key);
  if (!v.empty()) return v;
  if (key == "out") {
    return b.family == "relu" && IsInPlaceVariant(b.op) ? "inplace" : "reuse";
  }
  if (key == "cache") return "hot";
  if (key == "neg") return "50";
  if (key == "harness") return HarnessOf(b);
  if (key == "protocol") return "fair";
  return "";
}

std::string SameBut(const Measurement& m, std::string_view omit) {
  std::string key = fmt::format(
      "{}/{}/{}/{}/{}", m.name.family, m.name.op,
      omit == "form" ? std::string_view() : std::string_view(m.name.form),
      m.name.dtype, m.elements.value_or(-1));
  for (const char* k : kConditionKeys) {
    if (std::string_view(k) != omit) key += "/" + Effective(m.name, k);
  }
  return key;
}

const Measurement* OursUnderHarnessOf(const Model& model,
                                      const Measurement& peer) {
  const std::string key = SameBut(peer, "form");
  return Fastest(model.measurements, [&](const Measurement& m) {
    // The cheap fields first; the key then holds harness and conditions.
    return IsOurForm(m.name.form) && m.name.op == peer.name.op &&
           m.elements == peer.elements && SameBut(m, "form") == key;
  });
}

int FormOrder(std::string_view form) {
  if (int i = IndexIn(kOurForms, form); i >= 0) return i;
  if (int i = IndexIn(kPeerForms, form); i >= 0) return 10 + i;
  return 100;
}

int VariantOrder(std::string_view variant) {
  int i = IndexIn(kVariants, variant);
  return i >= 0 ? i : 100;
}

bool IsInPlaceVariant(std::string_view variant) {
  return variant == "maximum_inplace" || variant == "masked_assign";
}

bool IsDefaultCondition(const BenchName& name) {
  auto is = [&](const char* key, std::initializer_list<std::string_view> ok) {
    std::string v = name.Get(key);
    return v.empty() || std::find(ok.begin(), ok.end(), v) != ok.end();
  };
  return is("out", {"reuse", "inplace"}) && is("cache", {"hot"}) &&
         is("neg", {"50"}) && is("harness", {"ring"}) &&
         is("protocol", {"fair"});
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
  std::unordered_map<std::string, std::string> dup_noted;
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
      } else if (dup_noted.emplace(r.run_name, f.path).second) {
        model.notes.push_back(fmt::format(
            "{} appears in {} and in {}; the report uses {}", r.run_name,
            groups[it->second].file, f.path, groups[it->second].file));
      }
    }
  }
  for (const Group& g : groups) {
    model.measurements.push_back(Reduce(g.file, g.name, g.rows));
  }
  // Rows without bytes_per_second get the bytes per call that the suite
  // counted for the same op, dtype and n, so GB/s stays comparable across
  // C++ and Python; with no such sibling, the working set is the count.
  std::map<std::string, double> bytes_per_call;
  auto key_of = [](const Measurement& m) {
    return fmt::format("{}/{}/{}/{}", m.name.family, m.name.op, m.name.dtype,
                       m.elements.value_or(-1));
  };
  // Inputs must count bytes alike for GB/s to compare; say so where they
  // do not (e.g. one counts an in-place call's read and write, one its buffer).
  std::map<std::string, std::pair<double, std::string>> counted;
  std::set<std::string> mismatch_noted;
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || !m.bytes_per_second || !m.elements || m.time_ns <= 0)
      continue;
    const double bytes = *m.bytes_per_second * m.time_ns / 1e9;
    bytes_per_call.emplace(key_of(m), bytes);
    const std::string op_key =
        m.name.family + "/" + m.name.op + "/" + m.name.dtype;
    auto [it, fresh] =
        counted.emplace(key_of(m), std::make_pair(bytes, m.file));
    if (!fresh && it->second.second != m.file &&
        std::fabs(bytes - it->second.first) > 0.02 * it->second.first &&
        mismatch_noted.insert(op_key).second) {
      model.notes.push_back(
          fmt::format("{} counts {} bytes per call for {} n={} but {} counts "
                      "{}: their GB/s are "
                      "not comparable (times and % of copy are)",
                      it->second.second, FormatCount(it->second.first), op_key,
                      *m.elements, m.file, FormatCount(bytes)));
    }
  }
  for (Measurement& m : model.measurements) {
    if (!m.ok() || m.bytes_per_second || m.time_ns <= 0) continue;
    auto it = bytes_per_call.find(key_of(m));
    std::optional<double> bytes;
    if (it != bytes_per_call.end()) {
      bytes = it->second;
    } else if (m.ws_bytes) {
      bytes = *m.ws_bytes;
    }
    if (bytes) {
      m.bytes_per_second = *bytes / (m.time_ns / 1e9);
      m.bps_derived = true;
    }
  }
  return model;
}

Noise ComparisonNoise(const Measurement& a, const Measurement& b) {
  Noise noise;
  noise.fraction = 0;
  for (const Measurement* m : {&a, &b}) {
    const double f = m->cv.value_or(kDefaultNoise);
    if (f > noise.fraction || (f == noise.fraction && m->cv)) {
      noise.fraction = f;
      noise.measured = m->cv.has_value();
    }
  }
  return noise;
}

Verdict Meets(double time_ns, double limit_ns, const Noise& noise) {
  if (limit_ns > 0 && std::fabs(time_ns / limit_ns - 1) < noise.fraction) {
    return Verdict::kTie;
  }
  return time_ns <= limit_ns ? Verdict::kYes : Verdict::kNo;
}

const Measurement* CopyReference(const Model& model, std::string_view dtype,
                                 int64_t n) {
  return Fastest(model.measurements, [&](const Measurement& m) {
    return m.name.family == "copy" && m.name.dtype == dtype &&
           m.elements == n && IsDefaultCondition(m.name);
  });
}

std::map<SizeClass, int64_t> RepresentativeSizes(const Model& model,
                                                 std::string_view dtype) {
  std::map<SizeClass, std::map<int64_t, int>> counts;
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || m.name.family != "relu" || m.name.dtype != dtype ||
        !m.elements || !IsDefaultCondition(m.name)) {
      continue;
    }
    ++counts[model.caches.Classify(m.ws_bytes)][*m.elements];
  }
  std::map<SizeClass, int64_t> out;
  for (const auto& [cls, by_n] : counts) {
    int64_t best_n = 0;
    int best_count = -1;
    for (const auto& [n, count] : by_n) {  // ascending n: >= keeps the larger
      if (count >= best_count) {
        best_n = n;
        best_count = count;
      }
    }
    out[cls] = best_n;
  }
  return out;
}

std::vector<std::pair<SizeClass, int64_t>> ClassSizes(const Model& model,
                                                      std::string_view dtype) {
  const auto reps = RepresentativeSizes(model, dtype);
  std::vector<std::pair<SizeClass, int64_t>> out;
  for (SizeClass c : kSizeClasses) {
    if (auto it = reps.find(c); it != reps.end()) {
      out.emplace_back(c, it->second);
    }
  }
  if (auto it = reps.find(SizeClass::kUnknown); it != reps.end()) {
    out.emplace_back(SizeClass::kUnknown, it->second);
  }
  return out;
}

std::vector<std::string> Dtypes(const Model& model) {
  std::vector<std::string> out;
  for (const char* d : {"f32", "f64"}) {
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
