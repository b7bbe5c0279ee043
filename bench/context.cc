// Records the machine and build context every result depends on, as Google Benchmark custom context.
#include "bench/context.h"

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "bench/build_info.h"
#include "bench/peers.h"
#include "bench/quality.h"
#include "hwy/highway.h"
#include "hwy/targets.h"
#include "kernels/cpu_caches.h"
#include "kernels/relu.h"
#include "kernels/threads.h"

namespace relu {
namespace bench {
namespace {

std::string TargetList(int64_t mask) {
  std::string names;
  for (int64_t bit = 1; bit != 0 && bit <= mask; bit <<= 1) {
    if (mask & bit) {
      if (!names.empty()) names += ' ';
      names += hwy::TargetName(bit);
    }
  }
  return names;
}

std::string CpuModel() {
  std::ifstream file("/proc/cpuinfo");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

// "family 25 model 17 stepping 1" from /proc/cpuinfo: a VM's model name
// is often just "AMD EPYC", while the family tells Zen 4 (25) from Zen 5
// (26).
std::string CpuId() {
  std::ifstream file("/proc/cpuinfo");
  std::string line, family, model, stepping;
  auto value = [&]() {
    const size_t colon = line.find(':');
    return colon == std::string::npos ? std::string() : line.substr(colon + 2);
  };
  while (std::getline(file, line) && stepping.empty()) {
    if (line.rfind("cpu family", 0) == 0) family = value();
    if (line.rfind("model\t", 0) == 0 || line.rfind("model :", 0) == 0) {
      model = value();
    }
    if (line.rfind("stepping", 0) == 0) stepping = value();
  }
  if (family.empty()) return "";
  return "family " + family + " model " + model + " stepping " + stepping;
}

// The first line a shell command prints, or "" when it fails.
std::string CommandOutput(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"),
                                             pclose);
  if (!pipe) return "";
  std::array<char, 256> buffer{};
  std::string out;
  if (fgets(buffer.data(), buffer.size(), pipe.get())) out = buffer.data();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

std::string GitCommit() {
  const std::string dir = RELU_SOURCE_DIR;
  const std::string commit =
      CommandOutput("git -C '" + dir + "' rev-parse HEAD 2>/dev/null");
  if (commit.empty()) return "unknown";
  // reports/ is left out: scripts/run.sh writes there, so a second preset
  // run from the same checkout would otherwise call unchanged code dirty.
  const std::string dirty = CommandOutput(
      "git -C '" + dir +
      "' status --porcelain --untracked-files=no -- . ':(exclude)reports' "
      "2>/dev/null");
  return dirty.empty() ? commit : commit + "-dirty";
}

}  // namespace

void AddSuiteContext(const std::string& preset) {
  const CacheSizes& caches = DetectedCaches();
  benchmark::AddCustomContext("relu_preset", preset);
  benchmark::AddCustomContext(
      "protocol",
      "paired rounds: every row of a group (one dtype, size, cache state and "
      "share of negatives) sampled once per round in shuffled order, B "
      "batches of K calls per sample (one-thread out:reuse and in-place rows "
      "of the producer and dram states taking turns batch by batch), the "
      "cache state prepared "
      "before each batch (untimed), only the calls timed with steady_clock, "
      "a sample the median of its batches; rounds until "
      "every comparison's 95% interval is within +-2% or the group's budget "
      "is spent; one iteration row per round");
  benchmark::AddCustomContext("hwy_target", HighwayChosenTarget());
  benchmark::AddCustomContext("hwy_targets_compiled",
                              TargetList(HighwayCompiledTargets()));
  benchmark::AddCustomContext("hwy_targets_supported",
                              TargetList(hwy::SupportedTargets()));
  benchmark::AddCustomContext("hwy_version",
                              std::to_string(HWY_MAJOR) + "." +
                                  std::to_string(HWY_MINOR) + "." +
                                  std::to_string(HWY_PATCH));
  benchmark::AddCustomContext(
      "eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                           std::to_string(EIGEN_MAJOR_VERSION) + "." +
                           std::to_string(EIGEN_MINOR_VERSION));
  benchmark::AddCustomContext("benchmark_version", RELU_BENCHMARK_VERSION);
  for (const auto& [library, version] : PeerVersions()) {
    benchmark::AddCustomContext(library, version);
  }
  benchmark::AddCustomContext("compiler", std::string("g++ ") + __VERSION__);
  benchmark::AddCustomContext("cxx_flags", RELU_CXX_FLAGS);
  benchmark::AddCustomContext("cxx_flags_native", RELU_NATIVE_FLAGS);
  benchmark::AddCustomContext("build_type", RELU_BUILD_TYPE);
  benchmark::AddCustomContext(
      "thp", SysfsChoice("/sys/kernel/mm/transparent_hugepage/enabled"));
  benchmark::AddCustomContext("cache_l1d", std::to_string(caches.l1d));
  benchmark::AddCustomContext("cache_l2", std::to_string(caches.l2));
  benchmark::AddCustomContext("cache_llc", std::to_string(caches.llc));
  benchmark::AddCustomContext("cache_source", caches.source);
  benchmark::AddCustomContext("cpu_model", CpuModel());
  benchmark::AddCustomContext("cpu_id", CpuId());
  benchmark::AddCustomContext("stream_threshold_bytes",
                              std::to_string(StreamThresholdBytes()));
  benchmark::AddCustomContext("narrow_vector_threshold_bytes",
                              std::to_string(NarrowVectorThresholdBytes()));
  benchmark::AddCustomContext("parallel_threshold_bytes",
                              std::to_string(ParallelThresholdBytes()));
  benchmark::AddCustomContext("git_commit", GitCommit());
}

}  // namespace bench
}  // namespace relu
