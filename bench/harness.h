// The fair protocol: rings of pristine inputs, restored outside the timing, timed in batches.
//
// Every timed call gets input with the original distribution: before each
// batch of K calls the ring's K slots are refilled from a pool of pristine
// data, and only the K calls between two clock reads are timed. Pausing
// Google Benchmark's timer costs hundreds of nanoseconds per pause (it reads
// the thread CPU clock), so the suite uses manual time instead: two
// steady_clock reads per batch, amortised over K calls.
//
// The pool holds more distinct data than the ring when the ring is small, and
// each restore takes the next window of it, so a branch predictor never sees
// the same short sequence twice in a row and cannot learn the data.
#ifndef RELU_BENCH_HARNESS_H_
#define RELU_BENCH_HARNESS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "kernels/cpu_caches.h"

namespace relu {
namespace bench {

enum class OutPolicy { kReuse, kFresh, kInPlace };
enum class CacheState { kHot, kCold };

const char* OutPolicyName(OutPolicy p);
const char* CacheStateName(CacheState c);

// Zeroed, 64-byte aligned memory with every page already faulted in.
// Buffers of 4 MiB and more ask for transparent huge pages, as NumPy does
// for its arrays of that size, so neither side pays 4 KiB faults the other
// does not.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t bytes);
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  template <typename T>
  T* As() const {
    return reinterpret_cast<T*>(data_);
  }
  size_t bytes() const { return bytes_; }

 private:
  char* data_ = nullptr;
  size_t bytes_ = 0;
};

// Requests huge pages for the 2 MiB-aligned interior of [p, p + bytes) when
// bytes >= 4 MiB, exactly as NumPy's allocator does; does nothing otherwise.
void AdviseHugePages(void* p, size_t bytes);

// Fills x[0, n) with values uniform in [-neg/100, 1 - neg/100): for neg = 50
// that is np.random.random(n) - 0.5, the StackOverflow data; for 0 no value
// is negative and for 100 every value is.
template <typename T>
void FillUniform(T* x, size_t n, int neg_percent, uint64_t seed);

// How many slots a ring has and how many pristine copies feed it.
struct RingShape {
  size_t slots = 1;       // K: calls per timed batch
  size_t pool_slots = 1;  // M >= K: distinct pristine inputs
  // Restore with non-temporal stores: set when the ring cannot stay in the
  // caches anyway (cold rings, and hot ones larger than the LLC). Ordinary
  // stores would leave the restored lines dirty in the LLC, and the timed
  // calls would then pay for writing them back: restore cost leaking into
  // the measurement (47% at 64 MiB here before this was done).
  bool stream_restore = false;
  bool touch_outputs = false;  // hot rings that fit the caches
};

// hot: the ring fills at most three quarters of the smallest cache level
// that holds one call's working set, so calls run from that level (one slot
// when only one fits; at most 64; one when no level holds it). cold: the
// ring spans at least twice the last-level cache, so each slot has been
// evicted by the time it comes round. Both restore with streaming stores
// when the ring is larger than the last-level cache.
RingShape ChooseRing(size_t n, size_t ws_bytes,
                     CacheState cache, const CacheSizes& caches);

// K slots of input, output and zeros buffers plus the pristine pool.
template <typename T>
class Ring {
 public:
  Ring(size_t n, RingShape shape, int neg_percent);

  // The bytes a ring of this n and shape allocates (pool, in, out, zeros).
  static size_t Bytes(size_t n, const RingShape& shape) {
    return (shape.pool_slots + 3 * shape.slots) * n * sizeof(T);
  }

  size_t n() const { return n_; }
  size_t slots() const { return shape_.slots; }
  T* in(size_t k) const { return in_.As<T>() + k * n_; }
  T* out(size_t k) const { return out_.As<T>() + k * n_; }
  const T* zeros(size_t k) const { return zeros_.As<T>() + k * n_; }
  // The pristine data slot k received at the last Restore().
  const T* pristine(size_t k) const;

  // Adopts how a reusing row restores (stream_restore, touch_outputs); the
  // buffers depend only on n, slots and pool_slots, which must match.
  void SetRestorePolicy(const RingShape& shape);

  // Refills every slot's input from the next window of the pool. Not timed.
  void Restore();

  // Hot rings that fit the caches: reads one value per cache line of every
  // output (and, when asked, zeros) slot, so they are resident again after
  // the previous restore's pool traffic evicted them. Called before
  // Restore(). Without it the timed calls' stores missed and the protocol
  // cost 17% at 64 KiB. Not timed.
  void TouchOutputs(bool with_zeros) const;

 private:
  size_t n_;
  RingShape shape_;
  Buffer pool_, in_, out_, zeros_;
  size_t pass_ = 0;
};

using Clock = std::chrono::steady_clock;

// The protocol itself, independent of Google Benchmark so tests can drive
// it: while keep_running(K) says so, restore() the ring (untimed), then time
// call(0) .. call(K-1) and hand the seconds to record().
template <typename KeepRunning, typename Restore, typename Call,
          typename Record>
void RunBatches(size_t slots, KeepRunning&& keep_running, Restore&& restore,
                Call&& call, Record&& record) {
  while (keep_running(slots)) {
    restore();
    const Clock::time_point start = Clock::now();
    for (size_t k = 0; k < slots; ++k) call(k);
    const Clock::time_point stop = Clock::now();
    record(std::chrono::duration<double>(stop - start).count());
  }
}

// An output allocated per call as NumPy allocates one: malloc (16-byte
// aligned, page faults on first touch for large sizes), huge pages advised
// from 4 MiB; zeros come from calloc as np.zeros's do.
template <typename T>
class FreshOutputs {
 public:
  FreshOutputs() = default;
  FreshOutputs(const FreshOutputs&) = delete;
  FreshOutputs& operator=(const FreshOutputs&) = delete;
  ~FreshOutputs() { Release(); }

  // Allocates this call's output (and zeros, when asked). End() then frees
  // the zeros temporary and the previous call's output: like `y = f(x)` in a
  // loop, the new array exists before the old one is dropped.
  T* Begin(size_t n, bool with_zeros);
  const T* zeros() const { return zeros_; }
  void End();
  // The latest output, kept alive for verification.
  T* latest() const { return latest_; }
  void Release();

 private:
  T* latest_ = nullptr;
  T* previous_ = nullptr;
  T* zeros_ = nullptr;
};

}  // namespace bench
}  // namespace relu

#endif  // RELU_BENCH_HARNESS_H_
