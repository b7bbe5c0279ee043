// The report's model: one measurement per benchmark with every sample kept, the
// groups whose rounds pair them, size classes, and comparisons that carry 95%
// intervals.
#ifndef RELU_REPORT_MODEL_H_
#define RELU_REPORT_MODEL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/bench_json.h"
#include "report/bench_name.h"
#include "stats/stats.h"

namespace relu::report {

enum class Status { kOk, kError, kSkipped };

// The placement most of a row's rounds had: the window [lo, 2 lo] of round
// trips that holds the most rounds, start and end both inside (ties: the
// lower window), and the median round trip of those rounds.
struct Placement {
  double lo = 0, hi = 0;  // the window; hi = kPlacementFactor * lo
  double ns = 0;          // median round trip of its rounds; 0: none
  size_t rounds = 0;      // rounds inside it
  bool Holds(double start_ns, double end_ns) const {
    return start_ns >= lo && start_ns <= hi && end_ns >= lo && end_ns <= hi;
  }
};

// One benchmark: every repetition row of one run_name in one file.
struct Measurement {
  std::string file;      // input it came from
  std::string run_name;  // full name, GB segments included
  BenchName name;
  Status status = Status::kOk;
  std::string message;  // error or skip message
  // The typical time: the median of the samples (or of GB's median
  // aggregate when the file kept aggregates only), with its interval.
  double time_ns = 0;
  stats::Interval time_ci;
  // Per-repetition times, and each one's repetition_index: in the suite's
  // files the round the group ran it in.
  std::vector<double> samples_ns;
  std::vector<int64_t> rounds;
  // Each sample's round's core round trips at its start and its end
  // (counters round_core_rtt_ns and round_core_rtt_end_ns), in groups with
  // two-thread rows of runs that measured them per round; else empty.
  std::vector<double> round_rtt_ns, round_rtt_end_ns;
  // The placement most of those rounds had (MainPlacement), found once.
  Placement placement;
  size_t outliers = 0;
  // Rows written by the paired-rounds harness (counter group_rounds): their
  // repetition_index is a round shared by every row of their group.
  bool paired = false;
  // Which rows share this one's rounds (file, dtype, n, state, neg).
  std::string group;
  std::optional<double> bytes_per_call;  // read + written, from the counters
  std::optional<double> ws_bytes;
  // The median of every counter over the repetitions (or the median
  // aggregate's counters).
  std::map<std::string, double> counters;
  // Python replays label rows "reported:min|mean|row": the statistic the
  // StackOverflow answer reported, and its value here.
  std::string reported_stat;
  std::optional<double> reported_ns;

  bool ok() const { return status == Status::kOk; }
  std::optional<double> Counter(std::string_view key) const;
  // GB/s of bytes read plus written (the one counting rule for every row).
  std::optional<double> GBps() const;
};

// A row outside the grammar, shown as is so nothing is silently dropped.
struct UnrecognisedRow {
  std::string file;
  std::string name;
  std::string why;
  const Row* row;  // points into the run's files
};

enum class SizeClass { kL1, kL2, kLlc, kDram, kUnknown };
const char* SizeClassName(SizeClass c);
inline constexpr SizeClass kSizeClasses[] = {SizeClass::kL1, SizeClass::kL2,
                                             SizeClass::kLlc, SizeClass::kDram};

struct CacheSizes {
  std::optional<double> l1d, l2, llc;  // bytes
  std::string source;
  SizeClass Classify(std::optional<double> ws_bytes) const;
};

struct Model {
  std::vector<Measurement> measurements;  // recognised rows, input order
  std::vector<UnrecognisedRow> unrecognised;
  CacheSizes caches;
  std::vector<std::string> notes;  // e.g. duplicate benchmarks across inputs

  // The measurement whose name (without GB segments) is `canonical`, or null.
  const Measurement* Find(const std::string& canonical) const;
  // Every ok measurement matching pred.
  std::vector<const Measurement*> Select(
      const std::function<bool(const Measurement&)>& pred) const;
};

// Reduces rows to measurements. `files` must outlive the model.
Model BuildModel(const std::vector<BenchFile>& files);

// Cache sizes from our context keys, else from GB's "caches" list.
CacheSizes CachesFromContext(const std::vector<BenchFile>& files);

// A key's value with the vocabulary's default filled in, and the older
// runs' keys mapped (cache:hot is state:producer, cache:cold state:dram,
// harness:bare state:resident), so rows of any run compare alike.
std::string Effective(const BenchName& b, std::string_view key);
// Whether the row runs on more than one thread (threads other than 1).
bool IsMultiThread(const BenchName& b);

// Whose form: "ours" (scalar, eigen, highway), "peer", or "" (copies).
std::string OwnerOf(std::string_view form);
bool IsOurForm(std::string_view form);
bool IsPythonForm(std::string_view form);
// Sort keys: vocabulary order, unknown ones last.
int FormOrder(std::string_view form);
int VariantOrder(std::string_view variant);
bool IsInPlaceVariant(std::string_view variant);
bool IsBackwardVariant(std::string_view variant);

// Core round trips more than this factor apart are different placements of
// the virtual CPUs by the host, under which a second thread's worth
// differs. On the 2-vCPU VMs the round trip took about 70, 90-170 and
// 460-500 ns: the factor parts the last from the others, which both let a
// second thread gain.
inline constexpr double kPlacementFactor = 2.0;
bool SamePlacement(double a_ns, double b_ns);
// The main placement of these rounds' round trips (start and end of each).
Placement MainPlacement(const std::vector<double>& start_ns,
                        const std::vector<double>& end_ns);
// Where the host had a row's two virtual CPUs: the main placement of its
// rounds, else the round trip measured before its group; none when not
// measured.
std::optional<double> PlacementNs(const Measurement& m);

// A comparison of two rows: the ratio of a's time to b's with its 95%
// interval. Rows of one group compare by their per-round ratios (paired);
// rows of different groups or files by all their samples (unpaired); rows
// with one figure each (older runs kept aggregates only) by their medians,
// with no interval. A paired comparison with a two-thread row uses only
// the rounds at the group's main placement, where the run measured it per
// round.
struct Comparison {
  enum class Kind { kPaired, kUnpaired, kPoint };
  Kind kind = Kind::kPoint;
  stats::Interval ratio;  // a / b
  size_t n = 0;           // pairs or the smaller sample
  size_t other_placement = 0;  // rounds left out: another placement
  bool valid() const { return ratio.valid; }
};
Comparison Compare(const Measurement& a, const Measurement& b);

// Where a comparison lies against a line (1 for faster/slower): a verdict
// only when the interval excludes the line, a tie when it contains it, and
// "no interval" when the rows carry no samples.
enum class Verdict { kBelow, kAbove, kTie, kNoInterval };
Verdict Against(const Comparison& c, double line = 1.0);

// The representative n per size class for one dtype: the n with the most
// default-condition relu rows in that class (ties: the larger n).
std::vector<std::pair<SizeClass, int64_t>> ClassSizes(const Model& model,
                                                      std::string_view dtype);

// Dtypes present among relu rows, "f64" first (the question's).
std::vector<std::string> Dtypes(const Model& model);

// The default conditions: out reuse (inplace for in-place variants), state
// producer, neg 50, threads 1, dispatch isa, protocol fair, the
// vocabulary's parameters, and any harness but the C-timed check.
bool IsDefaultCondition(const BenchName& name);

// Rows that measure the same thing under the same conditions but for
// `omit` (a key, or "form"): equal keys with defaults filled in.
std::string SameBut(const Measurement& m, std::string_view omit);

// The fastest ok measurement matching pred, or null.
const Measurement* Fastest(const Model& model,
                           const std::function<bool(const Measurement&)>& pred);

}  // namespace relu::report

#endif  // RELU_REPORT_MODEL_H_
