// The benchmark suite: every registered kernel, peer and copy reference, over one preset's conditions.
//
// Usage: relu_bench [--relu_preset=quick|full|so] [--relu_stream_threshold=BYTES]
//                   [--relu_narrow_threshold=BYTES]
//                   [Google Benchmark flags, e.g. --benchmark_out=FILE]
// Names follow the README grammar. Each row's result is verified after
// timing against the scalar form of its variant (peers: against max(x, 0);
// copies: against their input); a mismatch turns the row into an error.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/context.h"
#include "bench/copy_refs.h"
#include "bench/harness.h"
#include "bench/peers.h"
#include "bench/runners.h"
#include "kernels/cpu_caches.h"
#include "kernels/edge_inputs.h"
#include "kernels/relu.h"

namespace relu {
namespace bench {
namespace {

benchmark::internal::Benchmark* Register(const std::string& name,
                                         std::function<void(benchmark::State&)> fn,
                                         bool manual_time) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), std::move(fn));
  b->Unit(benchmark::kNanosecond);
  if (manual_time) b->UseManualTime();
  return b;
}

// Which kernels and peers a block registers.
struct Selection {
  bool copies = true;
  bool peers = true;
  bool in_place = true;  // in-place kernels (not under out:fresh)
};

// Registers, for one dtype and condition, the copies, then kernels grouped
// by how many buffers they touch (rows sharing a ring shape run together).
template <typename T>
void RegisterBlock(Condition c, const Selection& sel) {
  const std::string dtype = DTypeName(DTypeOf<T>());
  if (sel.copies && c.out != OutPolicy::kFresh && !c.bare) {
    size_t count = 0;
    const CopyRef* copies = CopyRefs(&count);
    for (size_t i = 0; i < count; ++i) {
      const CopyRef copy = copies[i];
      Condition cc = c;
      cc.out = OutPolicy::kReuse;
      Register("copy/" + std::string(copy.method) + "/" + copy.form + "/" +
                   dtype + Suffix(cc),
               [copy, cc](benchmark::State& s) { RunCopy<T>(s, copy, cc); },
               true);
    }
  }
  for (Kind kind : {Kind::kOutOfPlace, Kind::kZeros, Kind::kInPlace}) {
    if (kind == Kind::kInPlace && (!sel.in_place || c.out == OutPolicy::kFresh ||
                                   c.bare)) {
      continue;
    }
    Condition kc = c;
    if (kind == Kind::kInPlace) kc.out = OutPolicy::kInPlace;
    for (const Kernel<T>& k : Kernels<T>()) {
      if (k.variant->kind != kind) continue;
      if (c.bare && (k.variant->id != Variant::kMaximum)) continue;
      const Kernel<T>* kp = &k;
      Register("relu/" + k.Name() + Suffix(kc),
               [kp, kc](benchmark::State& s) { RunKernel<T>(s, *kp, kc); },
               true);
    }
    if (!sel.peers || c.out == OutPolicy::kFresh || c.bare) continue;
    for (const Peer& peer : Peers()) {
      if (peer.dtype != DTypeOf<T>() || Info(peer.variant).kind != kind) {
        continue;
      }
      const Peer* pp = &peer;
      Register("relu/" + peer.Name() + Suffix(kc),
               [pp, kc](benchmark::State& s) { RunPeer<T>(s, *pp, kc); }, true);
    }
  }
}

// Input sizes in bytes: 2^k and 1.5 * 2^k from `from` to `dense_to`, then
// 2^k only up to `to`. Past the last-level cache every row is bound by DRAM
// bandwidth and flat in size, and each costs seconds of restores and page
// faults, so one point per octave there keeps the full preset in 15 minutes.
std::vector<size_t> Sweep(size_t from, size_t dense_to, size_t to) {
  std::vector<size_t> sizes;
  for (size_t p = from; p <= to; p *= 2) {
    sizes.push_back(p);
    if (p + p / 2 <= dense_to) sizes.push_back(p + p / 2);
  }
  return sizes;
}

constexpr size_t KiB = 1024, MiB = 1024 * 1024;

struct Preset {
  const char* name;
  std::vector<size_t> sweep;  // input bytes, default conditions
  std::vector<size_t> fresh;  // out:fresh for out-of-place kernels
  std::vector<size_t> cold;   // cache:cold
  std::vector<size_t> neg;    // neg:0 and neg:100
  std::vector<size_t> bare;   // harness:bare next to the ring row
  const char* min_time;
  const char* repetitions;
  bool stack_overflow = false;  // n = 25,000,000 (5000 x 5000) only
  bool with_so_shape = false;   // the sweep plus 5000 x 5000
};

Preset FindPreset(const std::string& name) {
  if (name == "quick") {
    return {"quick", {16 * KiB, 256 * KiB, 4 * MiB, 64 * MiB},
            {256 * KiB}, {256 * KiB}, {16 * KiB}, {16 * KiB, 4 * MiB},
            "0.005", "3"};
  }
  if (name == "full") {
    return {"full",
            Sweep(4 * KiB, 64 * MiB, 256 * MiB),
            {64 * KiB, 1 * MiB, 16 * MiB, 64 * MiB, 256 * MiB},
            {16 * KiB, 256 * KiB, 4 * MiB},
            {16 * KiB, 4 * MiB},
            {4 * KiB, 16 * KiB, 64 * KiB, 1 * MiB, 16 * MiB, 64 * MiB},
            "0.005",
            "5",
            false,
            true};
  }
  if (name == "so") {
    return {"so", {}, {}, {}, {}, {}, "0.3", "5", true};
  }
  throw std::invalid_argument("unknown --relu_preset '" + name +
                              "' (expected quick, full or so)");
}

// The StackOverflow shape: every variant, form and peer, reused and fresh.
template <typename T>
void RegisterStackOverflowShape() {
  Condition c;
  c.n = 25000000;
  c.shape = "5000x5000";
  RegisterBlock<T>(c, {});
  c.out = OutPolicy::kFresh;
  RegisterBlock<T>(c, {});
}

template <typename T>
void RegisterPreset(const Preset& p) {
  if (p.stack_overflow) {
    RegisterStackOverflowShape<T>();
    return;
  }
  const Selection all;
  const Selection kernels_only{false, false, true};
  for (size_t bytes : p.sweep) {
    Condition c;
    c.n = bytes / sizeof(T);
    RegisterBlock<T>(c, all);
    if (std::count(p.bare.begin(), p.bare.end(), bytes)) {
      c.bare = true;
      RegisterBlock<T>(c, kernels_only);
      c.bare = false;
    }
    if (std::count(p.fresh.begin(), p.fresh.end(), bytes)) {
      c.out = OutPolicy::kFresh;
      RegisterBlock<T>(c, kernels_only);
      c.out = OutPolicy::kReuse;
    }
    if (std::count(p.cold.begin(), p.cold.end(), bytes)) {
      c.cache = CacheState::kCold;
      RegisterBlock<T>(c, all);
      c.cache = CacheState::kHot;
    }
    if (std::count(p.neg.begin(), p.neg.end(), bytes)) {
      for (int neg : {0, 100}) {
        c.neg = neg;
        RegisterBlock<T>(c, kernels_only);
      }
      c.neg = 50;
    }
  }
  if (p.with_so_shape) RegisterStackOverflowShape<T>();
}

bool HasFlag(int argc, char** argv, const char* prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  }
  return false;
}

// The flags that move the Highway kernels' size switches (relu.h).
struct ThresholdFlag {
  const char* flag;  // including the '='
  void (*set)(size_t bytes);
};
constexpr ThresholdFlag kThresholdFlags[] = {
    {"--relu_stream_threshold=", &SetStreamThresholdBytes},
    {"--relu_narrow_threshold=", &SetNarrowVectorThresholdBytes},
};

const ThresholdFlag* FindThresholdFlag(const std::string& arg) {
  for (const ThresholdFlag& t : kThresholdFlags) {
    if (arg.rfind(t.flag, 0) == 0) return &t;
  }
  return nullptr;
}

// The BYTES of --flag=BYTES: a whole decimal number, or false.
bool ParseBytes(const std::string& arg, const char* flag, size_t* bytes) {
  const std::string digits = arg.substr(std::strlen(flag));
  if (digits.empty() ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  errno = 0;
  const unsigned long long value = std::strtoull(digits.c_str(), nullptr, 10);
  if (errno == ERANGE || value > SIZE_MAX) return false;
  *bytes = static_cast<size_t>(value);
  return true;
}

}  // namespace
}  // namespace bench
}  // namespace relu

int main(int argc, char** argv) {
  using namespace relu::bench;  // NOLINT(build/namespaces)
  std::string preset_name = "quick";
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--relu_preset=", 0) == 0) {
      preset_name = arg.substr(std::strlen("--relu_preset="));
    } else if (const ThresholdFlag* t = FindThresholdFlag(arg)) {
      size_t bytes = 0;
      if (!ParseBytes(arg, t->flag, &bytes)) {
        std::fprintf(stderr,
                     "relu_bench: %s wants a number of bytes, got '%s'\n",
                     t->flag, arg.c_str() + std::strlen(t->flag));
        return 2;
      }
      t->set(bytes);
    } else {
      args.push_back(argv[i]);
    }
  }
  Preset preset;
  try {
    preset = FindPreset(preset_name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relu_bench: %s\n", e.what());
    return 2;
  }
  // The preset's timing defaults, unless the command line sets its own.
  std::vector<std::string> defaults;
  if (!HasFlag(argc, argv, "--benchmark_min_time")) {
    defaults.push_back(std::string("--benchmark_min_time=") + preset.min_time);
  }
  if (!HasFlag(argc, argv, "--benchmark_repetitions")) {
    defaults.push_back(std::string("--benchmark_repetitions=") +
                       preset.repetitions);
  }
  // Repetitions of all rows run in random order, so the machine's drift
  // (this one is shared) spreads over every row instead of striking a few
  // rows' consecutive repetitions: the ratios between rows are what the
  // report states. The rings are cached (runners.cc), so this costs no
  // rebuilding.
  if (!HasFlag(argc, argv, "--benchmark_enable_random_interleaving")) {
    defaults.push_back("--benchmark_enable_random_interleaving=true");
  }
  if (!HasFlag(argc, argv, "--benchmark_report_aggregates_only")) {
    defaults.push_back("--benchmark_report_aggregates_only=true");
  }
  for (std::string& d : defaults) args.push_back(d.data());
  int new_argc = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&new_argc, args.data());
  if (benchmark::ReportUnrecognizedArguments(new_argc, args.data())) return 2;

  RegisterPreset<float>(preset);
  RegisterPreset<double>(preset);
  AddSuiteContext(preset.name);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
