// The benchmark suite: every kernel, peer and copy of one preset, timed group by group in paired rounds, written as Google Benchmark JSON.
//
// Usage: relu_bench [--relu_preset=quick|full|so] [--relu_seed=N]
//                   [--relu_budget_scale=X] [--relu_stream_threshold=BYTES]
//                   [--relu_narrow_threshold=BYTES]
//                   [--relu_parallel_threshold=BYTES]
//                   [--benchmark_out=FILE] [--benchmark_filter=REGEX]
//                   [--benchmark_list_tests] [other Google Benchmark flags]
// Names follow the README grammar. Each row's result is verified after
// timing (kernels against the scalar form of their variant, peers against
// it with either zero sign, copies against their input); a mismatch turns
// the row into an error. Each plain Google Benchmark loop (harness:gbench)
// is an arm of the resident group of its size: Google Benchmark's own runner
// times one repetition of it per round, in the round's shuffled order, so
// the report pairs it with the resident rows round by round. A loop whose
// group the filter removes runs after the groups, with Google Benchmark's
// repetitions. --benchmark_filter selects loops and rows alike, as a POSIX
// extended regex.
#include <benchmark/benchmark.h>
#include <regex.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/context.h"
#include "bench/contenders.h"
#include "bench/presets.h"
#include "bench/quality.h"
#include "bench/results.h"
#include "bench/ring.h"
#include "bench/rounds.h"
#include "kernels/relu.h"
#include "kernels/threads.h"

namespace relu::bench {
namespace {

// A POSIX extended regex, as Google Benchmark's own filter uses.
class Filter {
 public:
  // Throws std::invalid_argument for a regex that does not compile.
  explicit Filter(const std::string& pattern) : empty_(pattern.empty()) {
    if (empty_) return;
    const int rc = regcomp(&re_, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
      char why[128];
      regerror(rc, &re_, why, sizeof(why));
      throw std::invalid_argument("--benchmark_filter='" + pattern +
                                  "' is not a regular expression: " + why);
    }
  }
  ~Filter() {
    if (!empty_) regfree(&re_);
  }
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;
  bool Matches(const std::string& name) const {
    return empty_ || regexec(&re_, name.c_str(), 0, nullptr, 0) == 0;
  }

 private:
  bool empty_;
  regex_t re_{};
};

// Collects the rows Google Benchmark's runner reports (the gbench loops).
class Collector : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    rows.insert(rows.end(), runs.begin(), runs.end());
  }
  std::vector<Run> rows;
};

// A paired loop's minimum time per round. Each call of the runner first
// estimates its iteration count (1, 10, 100, ... calls), then times about
// 1.4 times this.
constexpr double kPairedLoopSeconds = 0.01;
constexpr double kPairedLoopWarmUpSeconds = 0.002;

// A plain Google Benchmark loop over one kernel on the pages of the
// resident group's ring: for (auto _ : state) call, each call on the next of
// the ring's K slots as the rounds' batches call them, so both read the same
// memory and only the timing machinery differs. A loop paired with the
// rounds runs one repetition per call of the runner, of at least
// `min_seconds` unless that is 0 (the command line's
// --benchmark_min_time then rules). Returns the loop's name, or "" when the
// spec names no variant.
template <typename T>
std::string RegisterGbench(const GbenchSpec& g, bool paired,
                           double min_seconds) {
  const VariantInfo* v = FindVariant(g.variant);
  if (v == nullptr) return "";
  const Form form = g.form == "scalar"  ? Form::kScalar
                    : g.form == "eigen" ? Form::kEigen
                                        : Form::kHighway;
  const Kernel<T>& k = Find<T>(v->id, form);
  Condition c;
  c.dtype = DTypeOf<T>();
  c.n = g.n;
  c.state = State::kResident;
  const Contender like = KernelContender(k, c);
  const Params p = ParamsFor(*v, c);
  const std::string name =
      "relu/" + k.Name() + ConditionSuffix(c, v, like.desc.out, &p, "") +
      "/harness:gbench";
  const RingKey key = like.ring;
  const Kernel<T>* kp = &k;
  const size_t bytes = like.bytes_moved, ws = like.ws_bytes;
  benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
      name.c_str(), [kp, key, p, bytes, ws](benchmark::State& st) {
    const std::shared_ptr<Ring> ring = CachedRing(key);
    const size_t n = ring->n(), slots = ring->slots();
    size_t k = 0;
    for (auto _ : st) {
      kp->fn(static_cast<const T*>(ring->in(k)),
             static_cast<const T*>(ring->second(k)), ring->out(k), n, &p);
      benchmark::ClobberMemory();
      k = k + 1 == slots ? 0 : k + 1;
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * bytes));
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * n));
    st.counters["ws_bytes"] = static_cast<double>(ws);
  });
  b->Unit(benchmark::kNanosecond);
  if (paired) {
    // As the resident rows' untimed batch before each sample: what the
    // round's previous arm left is not this loop's state. Google Benchmark's
    // estimate of the iteration count warms small calls anyway; this covers
    // calls that take the whole minimum time alone.
    b->Repetitions(1)->MinWarmUpTime(kPairedLoopWarmUpSeconds);
    if (min_seconds > 0) b->MinTime(min_seconds);
  }
  return name;
}

bool HasFlag(int argc, char** argv, const char* prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  }
  return false;
}

// The flags that move the kernels' size switches.
struct ThresholdFlag {
  const char* flag;  // including the '='
  void (*set)(size_t bytes);
};
constexpr ThresholdFlag kThresholdFlags[] = {
    {"--relu_stream_threshold=", &SetStreamThresholdBytes},
    {"--relu_narrow_threshold=", &SetNarrowVectorThresholdBytes},
    {"--relu_parallel_threshold=", &SetParallelThresholdBytes},
};

// The number after `flag`: a whole decimal number, or false.
bool ParseCount(const std::string& arg, const char* flag, uint64_t* value) {
  const std::string digits = arg.substr(std::strlen(flag));
  if (digits.empty() || digits.size() > 19 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  errno = 0;
  *value = std::strtoull(digits.c_str(), nullptr, 10);
  return errno != ERANGE;
}

bool ParsePositive(const std::string& text, double* value) {
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && errno == 0 &&
         *value > 0 && *value < 1e6;
}

std::string FlagValue(int argc, char** argv, const char* prefix) {
  std::string value;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) {
      value = argv[i] + std::strlen(prefix);
    }
  }
  return value;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "relu_bench: %s\n", message.c_str());
  return 2;
}

}  // namespace
}  // namespace relu::bench

int main(int argc, char** argv) {
  using namespace relu::bench;  // NOLINT(build/namespaces)
  std::string preset_name = "quick";
  uint64_t seed = 1;
  double budget_scale = 1.0;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--relu_preset=", 0) == 0) {
      preset_name = arg.substr(std::strlen("--relu_preset="));
    } else if (arg.rfind("--relu_seed=", 0) == 0) {
      if (!ParseCount(arg, "--relu_seed=", &seed)) {
        return Fail("--relu_seed wants a whole number, got '" +
                    arg.substr(std::strlen("--relu_seed=")) + "'");
      }
    } else if (arg.rfind("--relu_budget_scale=", 0) == 0) {
      const std::string v = arg.substr(std::strlen("--relu_budget_scale="));
      if (!ParsePositive(v, &budget_scale)) {
        return Fail("--relu_budget_scale wants a positive number, got '" + v + "'");
      }
    } else if (arg.rfind("--relu_", 0) == 0) {
      const ThresholdFlag* t = nullptr;
      for (const ThresholdFlag& f : kThresholdFlags) {
        if (arg.rfind(f.flag, 0) == 0) t = &f;
      }
      uint64_t bytes = 0;
      if (t == nullptr) return Fail("unknown flag '" + arg + "' (see --help)");
      if (!ParseCount(arg, t->flag, &bytes)) {
        return Fail(std::string(t->flag) + " wants a number of bytes, got '" +
                    arg.substr(std::strlen(t->flag)) + "'");
      }
      t->set(static_cast<size_t>(bytes));
    } else if (arg.rfind("--benchmark_out=", 0) == 0 ||
               arg.rfind("--benchmark_out_format=", 0) == 0) {
      // Written by this program, not by Google Benchmark's runner (which
      // only runs the gbench loops and would otherwise write them alone).
      continue;
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: relu_bench [--relu_preset=quick|full|so] [--relu_seed=N]\n"
          "                  [--relu_budget_scale=X] [--relu_stream_threshold=BYTES]\n"
          "                  [--relu_narrow_threshold=BYTES] "
          "[--relu_parallel_threshold=BYTES]\n"
          "                  [--benchmark_out=FILE] [--benchmark_filter=REGEX]\n"
          "                  [--benchmark_list_tests] [Google Benchmark flags]\n");
      return 0;
    } else {
      args.push_back(argv[i]);
    }
  }
  Preset preset;
  try {
    preset = FindPreset(preset_name);
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  std::unique_ptr<Filter> filter;
  try {
    filter = std::make_unique<Filter>(
        FlagValue(argc, argv, "--benchmark_filter="));
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  const std::string out_format = FlagValue(argc, argv, "--benchmark_out_format=");
  if (!out_format.empty() && out_format != "json") {
    return Fail("--benchmark_out_format must be json (the report reads JSON)");
  }
  // The plain Google Benchmark loops: ten repetitions of 50 ms each unless
  // the command line says otherwise.
  std::vector<std::string> defaults;
  if (!HasFlag(argc, argv, "--benchmark_repetitions")) {
    defaults.push_back("--benchmark_repetitions=10");
  }
  if (!HasFlag(argc, argv, "--benchmark_min_time")) {
    defaults.push_back("--benchmark_min_time=0.05");
  }
  for (std::string& d : defaults) args.push_back(d.data());
  int new_argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&new_argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(new_argc, args.data())) return 2;
  const std::string out_path = FlagValue(argc, argv, "--benchmark_out=");

  // The groups, each with the rows the filter keeps.
  std::vector<std::pair<const GroupSpec*, std::vector<Contender>>> groups;
  size_t total = 0;
  for (const GroupSpec& spec : preset.groups) {
    std::vector<Contender> rows;
    for (Contender& c : BuildGroup(spec)) {
      if (filter->Matches(c.name)) rows.push_back(std::move(c));
    }
    total += rows.size();
    if (!rows.empty()) groups.emplace_back(&spec, std::move(rows));
  }
  // The gbench loops, each an arm of the resident group of its dtype and
  // size (the machine drifts by several percent over minutes, so unpaired
  // the two would differ by that drift too).
  struct Loop {
    relu::DType dtype;
    size_t n;
    std::string name;
    bool paired = false;
    bool done = false;
  };
  const double loop_seconds =
      HasFlag(argc, argv, "--benchmark_min_time") ? 0 : kPairedLoopSeconds;
  std::vector<Loop> loops;
  for (const GbenchSpec& g : preset.gbench) {
    const bool paired = std::any_of(
        groups.begin(), groups.end(), [&](const auto& group) {
          const Condition& c = group.first->cond;
          return c.state == State::kResident && c.dtype == g.dtype && c.n == g.n;
        });
    const std::string name =
        g.dtype == relu::DType::kF32
            ? RegisterGbench<float>(g, paired, loop_seconds)
            : RegisterGbench<double>(g, paired, loop_seconds);
    if (!name.empty()) loops.push_back({g.dtype, g.n, name, paired});
  }
  if (HasFlag(argc, argv, "--benchmark_list_tests")) {
    for (const auto& [spec, rows] : groups) {
      for (const Contender& c : rows) std::printf("%s\n", c.name.c_str());
    }
    // By the grammar's names (Google Benchmark's own list would append the
    // paired loops' settings, which no filter of ours matches).
    for (const Loop& loop : loops) {
      if (filter->Matches(loop.name)) std::printf("%s\n", loop.name.c_str());
    }
    return 0;
  }

  AddSuiteContext(preset.name);
  const auto start = std::chrono::steady_clock::now();
  const CpuTimes cpu_start = CpuTimes::Read();
  const auto procs_start = ProcessTicks();
  const std::string load_start = LoadAverage();
  std::vector<Run> runs;
  int64_t family = 0;
  size_t done = 0;
  Collector collected;
  bool loop_failed = false;
  // A loop whose resident group did not run: Google Benchmark's
  // repetitions, after the groups.
  auto run_loop = [&](Loop& loop) {
    loop.done = true;
    if (!filter->Matches(loop.name)) return;
    const size_t first = collected.rows.size();
    const size_t matched =
        benchmark::RunSpecifiedBenchmarks(&collected, "^" + loop.name + "$");
    if (matched != 1) {
      std::fprintf(stderr, "relu_bench: %zu benchmarks matched the loop %s\n",
                   matched, loop.name.c_str());
      loop_failed = true;
      return;
    }
    // Each call numbers its families from 0: give every loop its own.
    for (size_t i = first; i < collected.rows.size(); ++i) {
      collected.rows[i].family_index = &loop - loops.data();
    }
    std::fprintf(stderr, "  plain Google Benchmark loop %s\n",
                 loop.name.c_str());
  };
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& [spec, rows] = groups[gi];
    Budget budget = spec->budget;
    budget.max_seconds *= budget_scale;
    std::fprintf(stderr, "[%zu/%zu] %s n=%zu state:%s neg:%d\n", gi + 1,
                 groups.size(), relu::DTypeName(spec->cond.dtype), spec->cond.n,
                 StateName(spec->cond.state), spec->cond.neg);
    // The group's paired loops, each with its row per round.
    struct Arm {
      Loop* loop;
      std::vector<Run> rows;
      std::vector<size_t> rounds;
      bool failed = false;
    };
    std::vector<Arm> arms;
    for (Loop& loop : loops) {
      if (loop.paired && !loop.done && spec->cond.state == State::kResident &&
          loop.dtype == spec->cond.dtype && loop.n == spec->cond.n) {
        loop.done = true;
        if (filter->Matches(loop.name)) arms.push_back({&loop, {}, {}});
      }
    }
    std::vector<RoundArm> round_arms;
    for (Arm& arm : arms) {
      round_arms.push_back([a = &arm, &loop_failed](size_t round) {
        if (a->failed) return;
        // Google Benchmark appends the loop's own settings to its name.
        Collector one;
        const size_t matched = benchmark::RunSpecifiedBenchmarks(
            &one, "^" + a->loop->name +
                      "(/min_time:[0-9.]+)?(/min_warmup_time:[0-9.]+)?"
                      "(/repeats:1)?$");
        if (matched != 1 || one.rows.size() != 1) {
          const std::string why =
              "Google Benchmark's runner gave " +
              std::to_string(one.rows.size()) + " rows for the loop in round " +
              std::to_string(round);
          std::fprintf(stderr, "relu_bench: %s: %s\n", a->loop->name.c_str(),
                       why.c_str());
          // One errored row for the loop, not a short loop that looks whole.
          Run error;
          error.run_name.function_name = a->loop->name;
          error.error_occurred = true;
          error.error_message = why;
          a->rows.push_back(error);
          a->rounds.push_back(round);
          a->failed = loop_failed = true;
          return;
        }
        // The grammar's name: the repetition, minimum time and warm-up are
        // the pairing's, said in the README, not a different loop.
        Run& row = one.rows[0];
        row.run_name.repetitions.clear();
        row.run_name.min_time.clear();
        row.run_name.min_warmup_time.clear();
        a->rows.push_back(row);
        a->rounds.push_back(round);
      });
    }
    const CpuTimes before = CpuTimes::Read();
    GroupOutcome outcome = RunRounds(rows, budget, StateOptions{}, seed + gi,
                                     &std::cerr, round_arms);
    outcome.steal_pct = StealPercent(before, CpuTimes::Read());
    for (size_t i = 0; i < rows.size(); ++i) {
      for (Run& r : ToRuns(rows[i], outcome.rows[i], outcome, family,
                           budget.target)) {
        runs.push_back(std::move(r));
      }
      if (!outcome.rows[i].error.empty()) {
        std::fprintf(stderr, "  error: %s: %s\n", rows[i].name.c_str(),
                     outcome.rows[i].error.c_str());
      }
      ++family;
    }
    done += rows.size();
    for (const Arm& arm : arms) {
      for (Run& r : AsRoundsOf(arm.rows, arm.rounds, outcome, family,
                               budget.target)) {
        runs.push_back(std::move(r));
      }
      ++family;
      std::fprintf(stderr,
                   "  plain Google Benchmark loop %s, paired in %zu rounds\n",
                   arm.loop->name.c_str(), arm.rounds.size());
    }
  }
  for (Loop& loop : loops) {
    if (!loop.done) run_loop(loop);
  }
  for (Run& r : collected.rows) {
    r.family_index += family;
    runs.push_back(std::move(r));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  AddQualityContext(cpu_start, CpuTimes::Read(), procs_start, ProcessTicks(),
                    seconds, load_start);
  std::fprintf(stderr, "relu_bench: %zu rows in %zu groups, %.0f s\n", done,
               groups.size(), seconds);

  // The console table on stdout: the median of each row. The context's
  // name width is not initialised by its constructor; the reporters pad
  // names to it.
  benchmark::BenchmarkReporter::Context context;
  context.name_field_width = 10;
  for (const Run& r : runs) {
    context.name_field_width =
        std::max(context.name_field_width, r.benchmark_name().size());
  }
  benchmark::ConsoleReporter console(benchmark::ConsoleReporter::OO_Tabular);
  console.ReportContext(context);
  for (const Run& r : runs) {
    if (r.run_type == Run::RT_Aggregate ? r.aggregate_name == "median"
                                        : r.error_occurred) {
      console.ReportRuns({r});
    }
  }
  if (!out_path.empty()) {
    std::ofstream file(out_path);
    benchmark::JSONReporter json;
    json.SetOutputStream(&file);
    json.SetErrorStream(&std::cerr);
    json.ReportContext(context);
    for (const Run& r : runs) json.ReportRuns({r});
    json.Finalize();
    file.flush();
    if (!file) {
      std::fprintf(stderr, "relu_bench: cannot write %s\n", out_path.c_str());
      return 1;
    }
  }
  benchmark::Shutdown();
  return loop_failed ? 1 : 0;
}
