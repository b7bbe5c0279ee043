// The report's model: one measurement per benchmark, size classes, and lookups
// the sections share.
#ifndef RELU_REPORT_MODEL_H_
#define RELU_REPORT_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/bench_json.h"
#include "report/bench_name.h"

namespace relu::report {

// A CV above this marks a row as noisy in the warnings.
inline constexpr double kNoisyCv = 0.05;
// The noise assumed for a row without a CV (a single run): comparisons closer
// than this are not called either way.
inline constexpr double kDefaultNoise = 0.02;

enum class Status { kOk, kError, kSkipped };

// One benchmark (all repetitions of one run_name) reduced to one time.
struct Measurement {
  std::string file;      // input it came from
  std::string run_name;  // full name, GB segments included
  BenchName name;
  Status status = Status::kOk;
  std::string message;  // error or skip message
  double time_ns = 0;   // median aggregate, else the (median) iteration row
  std::optional<double> cv;  // fraction, from the cv aggregate or computed
  int64_t repetitions = 1;
  std::string basis;  // how time_ns was chosen, for the reader
  std::optional<double> bytes_per_second;
  std::optional<double> items_per_second;
  std::optional<int64_t> elements;
  std::optional<double> ws_bytes;  // working set of one call
  bool ws_derived = false;  // ws_bytes computed from n, dtype and out policy
  // bytes_per_second was absent (Python rows may not count bytes) and was
  // derived from the bytes per call of a sibling row, else from ws_bytes.
  bool bps_derived = false;
  // Python replays label rows "reported:min|mean|row": the statistic the
  // StackOverflow answer reported. reported_ns is that statistic here.
  std::string reported_stat;
  std::optional<double> reported_ns;
  // Every counter of the row time_ns came from (e.g. neg_pct_at_start).
  std::map<std::string, double> counters;

  bool ok() const { return status == Status::kOk; }
  // GB/s as the suite reports it (bytes_per_second); nullopt when absent.
  std::optional<double> GBps() const;
  // Elements per ns, from n and the time.
  std::optional<double> ElementsPerNs() const;
};

// A row outside the grammar, shown as is so nothing is silently dropped.
struct UnrecognisedRow {
  std::string file;
  std::string name;
  std::string why;
  const Row* row;  // points into ReportData::files
};

enum class SizeClass { kL1, kL2, kLlc, kDram, kUnknown };
const char* SizeClassName(SizeClass c);
inline constexpr SizeClass kSizeClasses[] = {SizeClass::kL1, SizeClass::kL2,
                                             SizeClass::kLlc, SizeClass::kDram};

struct CacheSizes {
  std::optional<double> l1d, l2, llc;  // bytes
  std::string source;                  // e.g. "sysfs (context cache_source)"
  SizeClass Classify(std::optional<double> ws_bytes) const;
};

struct Model {
  std::vector<Measurement> measurements;  // recognised rows, input order
  std::vector<UnrecognisedRow> unrecognised;
  CacheSizes caches;
  std::vector<std::string> notes;  // e.g. duplicate benchmarks across inputs
};

// Reduces rows to measurements. `files` must outlive the model.
Model BuildModel(const std::vector<BenchFile>& files);

// Cache sizes from our context keys, else from GB's "caches" list.
CacheSizes CachesFromContext(const std::vector<BenchFile>& files);

// Forms: ours, then C++ peers, then Python peers.
bool IsOurForm(std::string_view form);
bool IsPeerForm(std::string_view form);
// Peers timed by scripts/py_bench.py's harness (always harness:python).
bool IsPythonPeerForm(std::string_view form);
// A row's harness: its harness key, else "python" for Python peers (whose
// rows leave it implicit) and "ring" (the C++ suite) for everything else.
std::string HarnessOf(const BenchName& name);
// A key's value with the README default filled in, so a row that omits
// cache:hot groups with one that spells it out.
std::string Effective(const BenchName& b, std::string_view key);
// Rows with equal keys differ only in `omit` (a condition key, or "form"),
// absent keys taking their defaults: they measure the same thing under one
// changed condition, or in another form.
std::string SameBut(const Measurement& m, std::string_view omit);
// Sort key for forms and variants: README order, unknown ones last.
int FormOrder(std::string_view form);
int VariantOrder(std::string_view variant);
// Variants that rectify their input in place (one buffer).
bool IsInPlaceVariant(std::string_view variant);

// The conditions of the main tables: out reuse/inplace, cache hot, neg 50,
// harness ring, protocol fair; an absent key counts as its default.
bool IsDefaultCondition(const BenchName& name);

// The fastest ok measurement matching `pred`, or null.
template <typename Pred>
const Measurement* Fastest(const std::vector<Measurement>& ms, Pred pred) {
  const Measurement* best = nullptr;
  for (const Measurement& m : ms) {
    if (!m.ok() || !pred(m)) continue;
    if (best == nullptr || m.time_ns < best->time_ns) best = &m;
  }
  return best;
}

// How far apart two rows must be before one is called faster: the larger of
// their CVs, a row without a CV counting as kDefaultNoise.
struct Noise {
  double fraction = kDefaultNoise;
  // Whether `fraction` is a measured CV; false when kDefaultNoise stood in
  // for a row without one and was the larger.
  bool measured = false;
};
Noise ComparisonNoise(const Measurement& a, const Measurement& b);

// Whether a time meets a limit (time <= limit). kTie when they differ by less
// than the noise (|time / limit - 1| < noise), so noise never decides it.
enum class Verdict { kYes, kTie, kNo };
Verdict Meets(double time_ns, double limit_ns, const Noise& noise);

// Our fastest form of peer's variant timed by the same harness as peer
// (ring for C++ peers, python for Python peers, whose harness leaves the
// caches in another state) at the same dtype, n, shape and conditions; null
// when that harness has no row of ours.
const Measurement* OursUnderHarnessOf(const Model& model,
                                      const Measurement& peer);

// Fastest copy/... reference at default conditions for dtype and n.
const Measurement* CopyReference(const Model& model, std::string_view dtype,
                                 int64_t n);

// A representative element count per size class for one dtype: the n with
// the most default-condition relu rows in that class (ties: the larger n).
std::map<SizeClass, int64_t> RepresentativeSizes(const Model& model,
                                                 std::string_view dtype);

// The size classes that have rows, in cache order (unknown last), each with
// its representative n: the order every per-class table uses.
std::vector<std::pair<SizeClass, int64_t>> ClassSizes(const Model& model,
                                                      std::string_view dtype);

// Dtypes present among relu rows, "f32" before "f64".
std::vector<std::string> Dtypes(const Model& model);

}  // namespace relu::report

#endif  // RELU_REPORT_MODEL_H_
