// The suite's runners: one kernel, peer or copy under the fair protocol, verified after timing.
#ifndef RELU_BENCH_RUNNERS_H_
#define RELU_BENCH_RUNNERS_H_

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

#include "bench/copy_refs.h"
#include "bench/harness.h"
#include "bench/peers.h"
#include "kernels/relu.h"

namespace relu {
namespace bench {

// The conditions one row runs under; every field appears in its name.
struct Condition {
  size_t n = 0;
  const char* shape = nullptr;  // e.g. "5000x5000" for the StackOverflow rows
  OutPolicy out = OutPolicy::kReuse;
  CacheState cache = CacheState::kHot;
  int neg = 50;
  bool bare = false;  // a bare loop, only to measure the protocol's cost
};

// The key:value segments of a row's name for c (README grammar).
std::string Suffix(const Condition& c);

// Each runner times its callee under the ring protocol (or, with c.bare, a
// plain Google Benchmark loop on one buffer), sets bytes_per_second,
// items_per_second, ws_bytes and ring, and then checks the result: kernels
// against the scalar form of their variant, peers against max(x, 0), copies
// against their input. A mismatch becomes the row's error.
template <typename T>
void RunKernel(benchmark::State& state, const Kernel<T>& kernel,
               const Condition& c);
template <typename T>
void RunPeer(benchmark::State& state, const Peer& peer, const Condition& c);
template <typename T>
void RunCopy(benchmark::State& state, const CopyRef& copy, const Condition& c);

}  // namespace bench
}  // namespace relu

#endif  // RELU_BENCH_RUNNERS_H_
