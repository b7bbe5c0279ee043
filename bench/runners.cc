// The suite's runners (see runners.h): the fair protocol applied to kernels, peers and copies.
#include "bench/runners.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernels/cpu_caches.h"
#include "kernels/edge_inputs.h"

namespace relu {
namespace bench {

std::string Suffix(const Condition& c) {
  std::string s = "/n:" + std::to_string(c.n);
  if (c.shape) s += std::string("/shape:") + c.shape;
  s += std::string("/out:") + OutPolicyName(c.out);
  s += std::string("/cache:") + CacheStateName(c.cache);
  s += "/neg:" + std::to_string(c.neg);
  if (c.bare) s += "/harness:bare";
  return s;
}

namespace {

// Bytes one call must read and write: its working set.
size_t StreamsOf(Kind kind) {
  return kind == Kind::kInPlace ? 1 : kind == Kind::kZeros ? 3 : 2;
}

// Google Benchmark runs each benchmark several times (to size the iteration
// count, then once per repetition), and the suite interleaves the
// repetitions of every row at random, so a row's ring is needed again and
// again between other rows'. Rings are kept, keyed by n, slots, pool and
// neg, up to a memory budget (least recently used dropped first): building
// one fills its pool, which at DRAM sizes costs more than the row's timing.
// How a ring restores is the current row's (rows of one ring may differ).
size_t RingBudgetBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  const size_t physical =
      pages > 0 && page > 0 ? size_t(pages) * size_t(page) : size_t{8} << 30;
  return std::min<size_t>(physical / 3, size_t{8} << 30);
}

template <typename T>
Ring<T>& CachedRing(size_t n, RingShape shape, int neg) {
  struct Entry {
    size_t n, slots, pool_slots;
    int neg;
    size_t bytes;
    uint64_t last_use;
    std::unique_ptr<Ring<T>> ring;
  };
  static std::vector<Entry> cache;
  static uint64_t clock = 0;
  ++clock;
  for (Entry& e : cache) {
    if (e.n == n && e.slots == shape.slots &&
        e.pool_slots == shape.pool_slots && e.neg == neg) {
      e.last_use = clock;
      e.ring->SetRestorePolicy(shape);
      return *e.ring;
    }
  }
  const size_t bytes = Ring<T>::Bytes(n, shape);
  Entry entry{n, shape.slots, shape.pool_slots, neg, bytes, clock, nullptr};
  const size_t budget = RingBudgetBytes();
  size_t used = 0;
  for (const Entry& e : cache) used += e.bytes;
  // Free before allocating, oldest first, so the peak stays in the budget.
  while (!cache.empty() && used + entry.bytes > budget) {
    auto oldest = std::min_element(
        cache.begin(), cache.end(),
        [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
    used -= oldest->bytes;
    cache.erase(oldest);
  }
  entry.ring = std::make_unique<Ring<T>>(n, shape, neg);
  cache.push_back(std::move(entry));
  cache.back().ring->SetRestorePolicy(shape);
  return *cache.back().ring;
}

template <typename T>
std::string FirstMismatch(const T* got, const T* want, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!SameResult(got[i], want[i])) {
      char text[160];
      std::snprintf(text, sizeof(text),
                    "result differs from the scalar reference at %zu: got %.9g, "
                    "want %.9g",
                    i, static_cast<double>(got[i]),
                    static_cast<double>(want[i]));
      return text;
    }
  }
  return "";
}

void SetCounters(benchmark::State& state, size_t n, size_t ws_bytes,
                 size_t slots) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ws_bytes));
  state.counters["ws_bytes"] = static_cast<double>(ws_bytes);
  state.counters["ring"] = static_cast<double>(slots);
}

}  // namespace

// One of our kernels under the ring protocol (or a bare loop).
template <typename T>
void RunKernel(benchmark::State& state, const Kernel<T>& kernel,
               const Condition& c) {
  const Kind kind = kernel.variant->kind;
  const size_t ws = StreamsOf(kind) * c.n * sizeof(T);
  const RingShape shape = ChooseRing(c.n, ws, c.cache, DetectedCaches());
  Ring<T>& ring = CachedRing<T>(c.n, shape, c.neg);
  const KernelFn<T> fn = kernel.fn;
  const size_t n = c.n;
  auto keep_running = [&state](size_t k) { return state.KeepRunningBatch(k); };
  const bool touch = c.out != OutPolicy::kFresh && kind != Kind::kInPlace;
  const bool touch_zeros = kind == Kind::kZeros;
  // Outputs first, then inputs: the input is the most recently written
  // data, as it is when a producer has just written what ReLU reads.
  auto restore = [&] {
    if (touch) ring.TouchOutputs(touch_zeros);
    ring.Restore();
  };
  auto record = [&state](double s) { state.SetIterationTime(s); };

  // Allocated at the first verification, after the timing: zero-filling n
  // elements before it would leave up to an LLC of dirty lines that the
  // first timed call (often the only one at DRAM sizes) pays to write back.
  std::vector<T> want;
  auto reference = [&](const T* pristine) {
    want.resize(n);
    const Kernel<T>& scalar = Find<T>(kernel.variant->id, Form::kScalar);
    if (kind == Kind::kInPlace) {
      std::copy(pristine, pristine + n, want.begin());
      scalar.fn(want.data(), nullptr, want.data(), n);
    } else {
      scalar.fn(pristine, ring.zeros(0), want.data(), n);
    }
  };
  std::string error;

  if (c.bare) {
    // What the protocol costs, measured A/B in one stretch of time so the
    // machine's drift hits both sides alike: each round runs one protocol
    // batch (restore and touch untimed, K calls between two clock reads)
    // and then one bare chunk: kBareBatches x K calls on the same slots,
    // with no restores and two clock reads for the whole chunk. The row's
    // time is the bare per-call time; `protocol_overhead_pct` is
    // 100 * (protocol per call / bare per call - 1). Out-of-place only,
    // since their input is never modified.
    constexpr size_t kBareBatches = 8;
    const size_t slots = ring.slots();
    double ring_seconds = 0, bare_seconds = 0;
    size_t ring_calls = 0, bare_calls = 0;
    while (state.KeepRunningBatch(slots * kBareBatches)) {
      restore();
      Clock::time_point start = Clock::now();
      for (size_t k = 0; k < slots; ++k) {
        fn(ring.in(k), ring.zeros(k), ring.out(k), n);
      }
      Clock::time_point stop = Clock::now();
      ring_seconds += std::chrono::duration<double>(stop - start).count();
      ring_calls += slots;
      start = Clock::now();
      for (size_t b = 0; b < kBareBatches; ++b) {
        for (size_t k = 0; k < slots; ++k) {
          fn(ring.in(k), ring.zeros(k), ring.out(k), n);
        }
      }
      stop = Clock::now();
      const double seconds = std::chrono::duration<double>(stop - start).count();
      bare_seconds += seconds;
      bare_calls += slots * kBareBatches;
      state.SetIterationTime(seconds);
    }
    state.counters["protocol_overhead_pct"] =
        100.0 * ((ring_seconds / ring_calls) / (bare_seconds / bare_calls) - 1);
    for (size_t s = 0; s < ring.slots() && error.empty(); ++s) {
      reference(ring.pristine(s));
      error = FirstMismatch(ring.out(s), want.data(), n);
    }
  } else if (c.out == OutPolicy::kFresh) {
    FreshOutputs<T> fresh;
    const bool zeros = kind == Kind::kZeros;
    RunBatches(
        ring.slots(), keep_running, restore,
        [&](size_t k) {
          T* out = fresh.Begin(n, zeros);
          fn(ring.in(k), fresh.zeros(), out, n);
          fresh.End();
        },
        record);
    reference(ring.pristine(ring.slots() - 1));
    error = FirstMismatch(fresh.latest(), want.data(), n);
  } else if (kind == Kind::kInPlace) {
    RunBatches(
        ring.slots(), keep_running, restore,
        [&](size_t k) { fn(ring.in(k), nullptr, ring.in(k), n); }, record);
    for (size_t k = 0; k < ring.slots() && error.empty(); ++k) {
      reference(ring.pristine(k));
      error = FirstMismatch(ring.in(k), want.data(), n);
    }
  } else {
    RunBatches(
        ring.slots(), keep_running, restore,
        [&](size_t k) { fn(ring.in(k), ring.zeros(k), ring.out(k), n); },
        record);
    for (size_t k = 0; k < ring.slots() && error.empty(); ++k) {
      reference(ring.pristine(k));
      error = FirstMismatch(ring.out(k), want.data(), n);
    }
  }
  SetCounters(state, n, ws, shape.slots);
  if (!error.empty()) state.SkipWithError(error.c_str());
}

// A peer library, bound to each slot before timing as its API intends.
template <typename T>
void RunPeer(benchmark::State& state, const Peer& peer, const Condition& c) {
  const bool in_place = Info(peer.variant).kind == Kind::kInPlace;
  const size_t ws = (in_place ? 1 : 2) * c.n * sizeof(T);
  const RingShape shape = ChooseRing(c.n, ws, c.cache, DetectedCaches());
  Ring<T>& ring = CachedRing<T>(c.n, shape, c.neg);
  std::vector<std::unique_ptr<PeerCall>> calls;
  try {
    for (size_t k = 0; k < ring.slots(); ++k) {
      calls.push_back(peer.bind(ring.in(k), in_place ? ring.in(k) : ring.out(k),
                                c.n));
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  RunBatches(
      ring.slots(), [&state](size_t k) { return state.KeepRunningBatch(k); },
      [&ring, in_place] {
        if (!in_place) ring.TouchOutputs(false);
        ring.Restore();
      },
      [&calls](size_t k) { calls[k]->Run(); },
      [&state](double s) { state.SetIterationTime(s); });
  // Peers are not held to NumPy's semantics, only to being a ReLU: the data
  // has no NaN, so max(x, 0) with either zero sign is the right answer.
  std::string error;
  for (size_t k = 0; k < ring.slots() && error.empty(); ++k) {
    const T* x = ring.pristine(k);
    const T* got = in_place ? ring.in(k) : ring.out(k);
    for (size_t i = 0; i < c.n; ++i) {
      if (got[i] != std::max(x[i], T(0))) {
        error = peer.Name() + " is not max(x, 0) at element " +
                std::to_string(i);
        break;
      }
    }
  }
  SetCounters(state, c.n, ws, shape.slots);
  if (!error.empty()) state.SkipWithError(error.c_str());
}

// A copy of the same bytes: the ceiling a row is compared with.
template <typename T>
void RunCopy(benchmark::State& state, const CopyRef& copy,
             const Condition& c) {
  const size_t bytes = c.n * sizeof(T);
  const size_t ws = 2 * bytes;
  const RingShape shape = ChooseRing(c.n, ws, c.cache, DetectedCaches());
  Ring<T>& ring = CachedRing<T>(c.n, shape, c.neg);
  const CopyFn fn = copy.fn;
  RunBatches(
      ring.slots(), [&state](size_t k) { return state.KeepRunningBatch(k); },
      [&ring] {
        ring.TouchOutputs(false);
        ring.Restore();
      },
      [&](size_t k) { fn(ring.in(k), ring.out(k), bytes); },
      [&state](double s) { state.SetIterationTime(s); });
  for (size_t k = 0; k < ring.slots(); ++k) {
    if (std::memcmp(ring.out(k), ring.pristine(k), bytes) != 0) {
      state.SkipWithError("copy differs from its input");
      break;
    }
  }
  SetCounters(state, c.n, ws, shape.slots);
}

template void RunKernel<float>(benchmark::State&, const Kernel<float>&,
                               const Condition&);
template void RunKernel<double>(benchmark::State&, const Kernel<double>&,
                                const Condition&);
template void RunPeer<float>(benchmark::State&, const Peer&, const Condition&);
template void RunPeer<double>(benchmark::State&, const Peer&, const Condition&);
template void RunCopy<float>(benchmark::State&, const CopyRef&,
                             const Condition&);
template void RunCopy<double>(benchmark::State&, const CopyRef&,
                              const Condition&);

}  // namespace bench
}  // namespace relu
