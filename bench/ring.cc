// Rings of pristine inputs (see ring.h).
#include "bench/ring.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "bench/copy_refs.h"
#include "kernels/data.h"

namespace relu::bench {

const char* StateName(State s) {
  switch (s) {
    case State::kProducer:
      return "producer";
    case State::kDram:
      return "dram";
    case State::kResident:
      return "resident";
  }
  return "?";
}

bool ParseState(const std::string& name, State* s) {
  for (State candidate : {State::kProducer, State::kDram, State::kResident}) {
    if (name == StateName(candidate)) {
      *s = candidate;
      return true;
    }
  }
  return false;
}

bool RingKey::operator==(const RingKey& o) const {
  return dtype == o.dtype && n == o.n && slots == o.slots &&
         pool_slots == o.pool_slots && neg == o.neg && second == o.second &&
         second_count == o.second_count;
}

RingKey ChooseRing(DType dtype, size_t n, size_t ws_bytes, int neg,
                   Second second, size_t second_count,
                   const CacheSizes& caches) {
  RingKey key;
  key.dtype = dtype;
  key.n = n;
  key.neg = neg;
  key.second = second;
  key.second_count = second_count;
  const size_t elem = dtype == DType::kF32 ? 4 : 8;
  const size_t ws = std::max<size_t>(ws_bytes, 1);
  // The pristine pool is read by every restore, so the budget counts one
  // more input per slot for it.
  const size_t pool_share = n * elem;
  size_t level = 0;
  for (size_t capacity : {caches.l1d, caches.l2, caches.llc}) {
    if (capacity >= ws) {
      level = capacity;
      break;
    }
  }
  // Three quarters of the level, leaving room for the stack and the other
  // core's traffic.
  key.slots =
      level == 0 ? 1
                 : std::clamp<size_t>(level * 3 / 4 / (ws + pool_share), 1, 64);
  // Tiny rings draw on at least 32 Ki elements of distinct data, beyond what
  // any branch predictor's history can learn; larger ones need no more.
  constexpr size_t kMinPoolElements = size_t{1} << 15;
  const size_t min_pool = (kMinPoolElements + n - 1) / std::max<size_t>(n, 1);
  key.pool_slots = std::max(key.slots, min_pool);
  return key;
}

size_t Ring::Bytes(const RingKey& key) {
  const size_t elem = key.dtype == DType::kF32 ? 4 : 8;
  return (key.pool_slots + key.slots) * key.n * elem + key.slots * key.n * 8 +
         key.second_slots() * key.second_count * elem;
}

Ring::Ring(const RingKey& key)
    : key_(key),
      pool_(key.n * key.pool_slots * elem()),
      in_(key.n * key.slots * elem()),
      out_(key.n * key.slots * 8),
      second_(key.second_count * elem() * key.second_slots()) {
  const uint64_t seed = key.n * 131 + static_cast<uint64_t>(key.neg);
  Params p;
  p.channels = key.second_count;
  const VariantInfo* with_second = nullptr;
  for (const VariantInfo& v : Variants()) {
    if (v.second == key.second) with_second = &v;
  }
  const size_t second_slots = key.second_slots();
  if (key.dtype == DType::kF32) {
    FillUniform(reinterpret_cast<float*>(pool_.data()), key.n * key.pool_slots,
                key.neg, seed);
    for (size_t k = 0; k < second_slots && with_second; ++k) {
      FillSecond(*with_second, static_cast<float*>(second(k)), key.n, p,
                 seed + k);
    }
  } else {
    FillUniform(reinterpret_cast<double*>(pool_.data()), key.n * key.pool_slots,
                key.neg, seed);
    for (size_t k = 0; k < second_slots && with_second; ++k) {
      FillSecond(*with_second, static_cast<double*>(second(k)), key.n, p,
                 seed + k);
    }
  }
  Restore(false);
}

void* Ring::second(size_t k) const {
  if (key_.second == Second::kNone) return nullptr;
  const size_t slot = key_.second == Second::kChannelAlpha ? 0 : k;
  return second_.data() + slot * second_bytes();
}

const void* Ring::pristine(size_t k) const {
  const size_t pass = pass_ - 1;  // the pass the last Restore() loaded
  const size_t slot = (pass * key_.slots + k) % key_.pool_slots;
  return pool_.data() + slot * in_bytes();
}

void Ring::Restore(bool streaming) {
  for (size_t k = 0; k < key_.slots; ++k) {
    const size_t slot = (pass_ * key_.slots + k) % key_.pool_slots;
    const char* from = pool_.data() + slot * in_bytes();
    if (streaming) {
      StreamCopy(from, in(k), in_bytes());
    } else {
      // Not memcpy: glibc copies 2 KiB to 1 MiB with `rep movsb`, which on
      // the Zen 5 machine left the lines in another cache state than a
      // vectorised producer's stores do; our kernels and the load/store
      // copy read that input up to 25% slower at 256 KiB than after this
      // loop (measured A/B, and with GLIBC_TUNABLES raising
      // glibc.cpu.x86_rep_movsb_threshold).
      LoadStoreCopy(from, in(k), in_bytes());
    }
  }
  ++pass_;
}

void Ring::RewriteSecond() {
  if (key_.second != Second::kDout) return;
  for (size_t k = 0; k < key_.slots; ++k) {
    LoadStoreCopy(second(k), second(k), second_bytes());
  }
}

void Ring::RewriteInputsInPlace() {
  for (size_t k = 0; k < key_.slots; ++k)
    LoadStoreCopy(in(k), in(k), in_bytes());
}

namespace {

// Reads one byte per 64-byte line; the sum reaches a volatile so the loads
// stay.
void TouchLines(const char* p, size_t bytes) {
  unsigned sum = 0;
  for (size_t i = 0; i < bytes; i += 64) {
    sum += static_cast<unsigned char>(p[i]);
  }
  volatile unsigned sink = sum;
  (void)sink;
}

void FlushLines(const char* p, size_t bytes) {
#if defined(__x86_64__) || defined(__i386__)
  for (size_t i = 0; i < bytes; i += 64) _mm_clflush(p + i);
  if (bytes > 0) _mm_clflush(p + bytes - 1);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace

void Ring::TouchOutputsAndSecond(bool second_too, size_t bytes) const {
  for (size_t k = 0; k < key_.slots; ++k) {
    TouchLines(static_cast<const char*>(out(k)), std::min(bytes, out_bytes()));
  }
  if (second_too && key_.second != Second::kNone) {
    for (size_t k = 0; k < key_.second_slots(); ++k) {
      TouchLines(static_cast<const char*>(second(k)), second_bytes());
    }
  }
}

void Ring::TouchInputs() const {
  for (size_t k = 0; k < key_.slots; ++k) {
    TouchLines(static_cast<const char*>(in(k)), in_bytes());
  }
}

void Ring::FlushAll() const {
  FlushLines(in_.data(), in_.bytes());
  FlushLines(out_.data(), out_.bytes());
  FlushLines(second_.data(), second_.bytes());
#if defined(__x86_64__) || defined(__i386__)
  _mm_mfence();
#endif
}

size_t Ring::UsedBytes(bool second_too, size_t bytes) const {
  const size_t used = key_.slots * (in_bytes() + std::min(bytes, out_bytes()));
  // second_bytes() is 0 for variants without a second input.
  return used + (second_too ? key_.second_slots() * second_bytes() : 0);
}

size_t Ring::SlotBytes() const {
  return in_.bytes() + out_.bytes() + second_.bytes();
}

namespace {

size_t RingBudgetBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  const size_t physical =
      pages > 0 && page > 0 ? size_t(pages) * size_t(page) : size_t{8} << 30;
  return std::min<size_t>(physical / 3, size_t{8} << 30);
}

struct Entry {
  RingKey key;
  size_t bytes;
  uint64_t last_use;
  std::shared_ptr<Ring> ring;
};

std::vector<Entry>& Cache() {
  static std::vector<Entry> cache;
  return cache;
}

}  // namespace

std::shared_ptr<Ring> CachedRing(const RingKey& key) {
  static uint64_t clock = 0;
  ++clock;
  std::vector<Entry>& cache = Cache();
  for (Entry& e : cache) {
    if (e.key == key) {
      e.last_use = clock;
      return e.ring;
    }
  }
  const size_t bytes = Ring::Bytes(key);
  const size_t budget = RingBudgetBytes();
  size_t used = 0;
  for (const Entry& e : cache) used += e.bytes;
  // Free before allocating, oldest first, so the peak stays in the budget.
  while (!cache.empty() && used + bytes > budget) {
    auto oldest = std::min_element(
        cache.begin(), cache.end(),
        [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
    used -= oldest->bytes;
    cache.erase(oldest);
  }
  cache.push_back({key, bytes, clock, std::make_shared<Ring>(key)});
  return cache.back().ring;
}

void ClearRingCache() { Cache().clear(); }

}  // namespace relu::bench
