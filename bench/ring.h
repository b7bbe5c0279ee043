// Rings of pristine inputs: K slots of input, output and second-input buffers
// fed from a pool, the memory every timed call uses.
//
// Every timed call gets input with the original distribution: before each
// batch of K calls the state's procedure (states.h) refills the ring's
// slots from a pool of pristine data, and only the K calls between two
// clock reads are timed. The pool holds more distinct data than the ring
// when the ring is small, and each restore takes the next window of it, so
// a branch predictor never sees the same short sequence twice in a row. One
// ring serves every contender of its key (its n, slots, data and second
// input): the C++ suite's kernels, peers and copies, and, through the C
// interface, the Python harness's NumPy, Numba and PyTorch calls.
#ifndef RELU_BENCH_RING_H_
#define RELU_BENCH_RING_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "bench/buffers.h"
#include "kernels/cpu_caches.h"
#include "kernels/relu.h"

namespace relu::bench {

// The input's cache state before each timed call (README, "Cache states").
enum class State { kProducer, kDram, kResident };
const char* StateName(State s);
// The state called `name`, or false.
bool ParseState(const std::string& name, State* s);

// What a ring holds and how many slots: everything that makes two rings
// interchangeable.
struct RingKey {
  DType dtype = DType::kF32;
  size_t n = 0;
  size_t slots = 1;       // K: calls per timed batch
  size_t pool_slots = 1;  // M >= K: distinct pristine inputs
  int neg = 50;           // percent of negative inputs
  Second second = Second::kNone;
  size_t second_count = 0;  // per slot: n, or channels for prelu's slopes
  // Second-input slots: prelu's slopes are one array every slot shares.
  size_t second_slots() const {
    return second == Second::kChannelAlpha ? 1 : slots;
  }
  bool operator==(const RingKey& o) const;
};

// How many slots a contender's ring needs: the ring fills at most three
// quarters of the smallest cache level that holds one call's working set,
// with the pool counted too, so calls run from that level (one slot when
// only one fits; at most 64; one when no level holds it). The same K serves
// every state, so the states differ only in their procedure.
RingKey ChooseRing(DType dtype, size_t n, size_t ws_bytes, int neg,
                   Second second, size_t second_count,
                   const CacheSizes& caches);

class Ring {
 public:
  explicit Ring(const RingKey& key);

  // The bytes a ring of this key allocates.
  static size_t Bytes(const RingKey& key);

  const RingKey& key() const { return key_; }
  size_t n() const { return key_.n; }
  size_t slots() const { return key_.slots; }
  size_t elem() const { return key_.dtype == DType::kF32 ? 4 : 8; }
  void* in(size_t k) const { return in_.data() + k * key_.n * elem(); }
  // Room for n elements of 8 bytes: any variant's output type.
  void* out(size_t k) const { return out_.data() + k * key_.n * 8; }
  void* second(size_t k) const;
  // The pristine data slot k received at the last Restore().
  const void* pristine(size_t k) const;
  // Bytes of one slot's input, output room and second input.
  size_t in_bytes() const { return key_.n * elem(); }
  size_t out_bytes() const { return key_.n * 8; }
  size_t second_bytes() const { return key_.second_count * elem(); }

  // Refills every slot's input from the next window of the pool, with
  // ordinary vector stores (as a producer writes) or streaming ones.
  void Restore(bool streaming);
  // Rewrites every slot's dout in place with ordinary vector stores, so it
  // was just written, as the next layer's backward pass writes it.
  void RewriteSecond();
  // Rewrites every slot's input with its own values (vector loads and
  // stores): the lines become dirty, the data stays what the last calls
  // saw. For the probe, which separates dirtiness from new data.
  void RewriteInputsInPlace();
  // Reads one value per cache line of the first out_bytes of every output
  // slot, and of every second-input slot when `second`.
  void TouchOutputsAndSecond(bool second, size_t out_bytes) const;
  // Bytes of all slots a contender with this output size (and second input,
  // when it reads one) uses: what must fit the last-level cache.
  size_t UsedBytes(bool second, size_t out_bytes) const;
  // Reads one value per cache line of every input slot.
  void TouchInputs() const;
  // Writes every line of every slot's input, output and second input back
  // to memory and drops it from every cache level (x86 CLFLUSH).
  void FlushAll() const;
  // Bytes all slots of the ring span (inputs, outputs, seconds).
  size_t SlotBytes() const;

 private:
  RingKey key_;
  Buffer pool_, in_, out_, second_;
  size_t pass_ = 0;
};

// Rings are kept between contenders and groups, keyed by RingKey, up to a
// memory budget (least recently used dropped first): building one fills its
// pool, which at DRAM sizes costs more than a contender's timing.
// The caller keeps the ring alive while it uses it, even if the cache drops
// it meanwhile.
std::shared_ptr<Ring> CachedRing(const RingKey& key);
// Drops every cached ring.
void ClearRingCache();

}  // namespace relu::bench

#endif  // RELU_BENCH_RING_H_
