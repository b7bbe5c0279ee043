// The fair protocol's buffers, data and ring shapes (see harness.h for the why).
#include "bench/harness.h"

#include "bench/copy_refs.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace relu {
namespace bench {

const char* OutPolicyName(OutPolicy p) {
  switch (p) {
    case OutPolicy::kReuse:
      return "reuse";
    case OutPolicy::kFresh:
      return "fresh";
    case OutPolicy::kInPlace:
      return "inplace";
  }
  return "?";
}

const char* CacheStateName(CacheState c) {
  return c == CacheState::kHot ? "hot" : "cold";
}

void AdviseHugePages(void* p, size_t bytes) {
  constexpr size_t kHuge = size_t{2} << 20;
  if (bytes < (size_t{4} << 20)) return;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t first = (begin + kHuge - 1) / kHuge * kHuge;
  const uintptr_t last = (begin + bytes) / kHuge * kHuge;
  if (last > first) {
    madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
}

Buffer::Buffer(size_t bytes) : bytes_(bytes) {
  // 64 spare bytes: XNNPACK may read (never write) up to 16 bytes past an
  // input, and the last slot of a ring ends at the end of its buffer.
  const size_t rounded = (bytes + 63) / 64 * 64 + 64;
  data_ = static_cast<char*>(std::aligned_alloc(64, rounded));
  if (data_ == nullptr) throw std::bad_alloc();
  AdviseHugePages(data_, rounded);
  std::memset(data_, 0, rounded);  // faults every page in now, not in a timed call
}

Buffer::~Buffer() { std::free(data_); }

Buffer::Buffer(Buffer&& other) noexcept
    : data_(other.data_), bytes_(other.bytes_) {
  other.data_ = nullptr;
  other.bytes_ = 0;
}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    bytes_ = other.bytes_;
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

template <typename T>
void FillUniform(T* x, size_t n, int neg_percent, uint64_t seed) {
  // splitmix64: fast enough to fill hundreds of MiB, good enough for data.
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  const double shift = neg_percent / 100.0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const double u = static_cast<double>(z >> 11) * 0x1.0p-53;  // [0, 1)
    T v = static_cast<T>(u - shift);
    // Rounding to f32 can turn a tiny negative into -0.0 or a value just
    // under 1 - shift into 1 - shift; keep the sign the distribution meant.
    if (neg_percent == 100 && !(v < T(0))) v = T(-0.25);
    if (neg_percent == 0 && v < T(0)) v = T(0.25);
    x[i] = v;
  }
}

template void FillUniform<float>(float*, size_t, int, uint64_t);
template void FillUniform<double>(double*, size_t, int, uint64_t);

RingShape ChooseRing(size_t n, size_t ws_bytes, CacheState cache,
                     const CacheSizes& caches) {
  RingShape shape;
  const size_t ws = std::max<size_t>(ws_bytes, 1);
  // The pristine pool is read by every restore, so a hot ring's budget
  // counts one more input per slot for it.
  const size_t in_bytes = ws_bytes / 2 + 1;
  if (cache == CacheState::kHot) {
    // Three quarters of the level, leaving room for the stack and the other
    // core's traffic.
    size_t level = 0;
    for (size_t capacity : {caches.l1d, caches.l2, caches.llc}) {
      if (capacity >= ws) {
        level = capacity;
        break;
      }
    }
    shape.slots = level == 0 ? 1
                             : std::clamp<size_t>(level * 3 / 4 / (ws + in_bytes),
                                                  1, 64);
  } else {
    shape.slots = std::max<size_t>(2, (2 * caches.llc + ws - 1) / ws);
  }
  shape.stream_restore = shape.slots * ws > caches.llc;
  shape.touch_outputs = cache == CacheState::kHot && !shape.stream_restore;
  // Tiny rings draw on at least 32 Ki elements of distinct data, beyond what
  // any branch predictor's history can learn; larger ones need no more.
  constexpr size_t kMinPoolElements = size_t{1} << 15;
  const size_t min_pool = (kMinPoolElements + n - 1) / std::max<size_t>(n, 1);
  shape.pool_slots = std::max(shape.slots, min_pool);
  return shape;
}

template <typename T>
Ring<T>::Ring(size_t n, RingShape shape, int neg_percent)
    : n_(n),
      shape_(shape),
      pool_(n * shape.pool_slots * sizeof(T)),
      in_(n * shape.slots * sizeof(T)),
      out_(n * shape.slots * sizeof(T)),
      zeros_(n * shape.slots * sizeof(T)) {
  FillUniform(pool_.As<T>(), n * shape.pool_slots, neg_percent,
              /*seed=*/n * 131 + static_cast<uint64_t>(neg_percent));
  Restore();
}

template <typename T>
const T* Ring<T>::pristine(size_t k) const {
  const size_t pass = pass_ - 1;  // the pass the last Restore() loaded
  const size_t slot = (pass * shape_.slots + k) % shape_.pool_slots;
  return pool_.As<T>() + slot * n_;
}

template <typename T>
void Ring<T>::SetRestorePolicy(const RingShape& shape) {
  shape_.stream_restore = shape.stream_restore;
  shape_.touch_outputs = shape.touch_outputs;
}

template <typename T>
void Ring<T>::Restore() {
  for (size_t k = 0; k < shape_.slots; ++k) {
    const size_t slot = (pass_ * shape_.slots + k) % shape_.pool_slots;
    if (shape_.stream_restore) {
      StreamCopy(pool_.As<T>() + slot * n_, in(k), n_ * sizeof(T));
    } else {
      // Not memcpy: glibc copies 2 KiB to 1 MiB with `rep movsb` here,
      // which leaves the lines in another cache state than a vectorised
      // producer's stores do; our kernels and the load/store copy read
      // that input up to 25% slower at 256 KiB than after this loop, memcpy
      // less so (measured A/B, and with GLIBC_TUNABLES raising
      // glibc.cpu.x86_rep_movsb_threshold).
      LoadStoreCopy(pool_.As<T>() + slot * n_, in(k), n_ * sizeof(T));
    }
  }
  ++pass_;
}

template <typename T>
void Ring<T>::TouchOutputs(bool with_zeros) const {
  if (!shape_.touch_outputs) return;
  constexpr size_t kStride = 64 / sizeof(T);
  T sum = T(0);
  const size_t total = n_ * shape_.slots;
  for (size_t i = 0; i < total; i += kStride) sum += out_.As<T>()[i];
  if (with_zeros) {
    for (size_t i = 0; i < total; i += kStride) sum += zeros_.As<T>()[i];
  }
  // Keeps the loads: the compiler cannot drop what reaches a volatile.
  volatile T sink = sum;
  (void)sink;
}

template class Ring<float>;
template class Ring<double>;

template <typename T>
T* FreshOutputs<T>::Begin(size_t n, bool with_zeros) {
  const size_t bytes = std::max<size_t>(n, 1) * sizeof(T);
  T* out = static_cast<T*>(std::malloc(bytes));
  if (out == nullptr) throw std::bad_alloc();
  AdviseHugePages(out, bytes);
  if (with_zeros) {
    zeros_ = static_cast<T*>(std::calloc(std::max<size_t>(n, 1), sizeof(T)));
    if (zeros_ == nullptr) throw std::bad_alloc();
    AdviseHugePages(zeros_, bytes);
  }
  previous_ = latest_;
  latest_ = out;
  return out;
}

template <typename T>
void FreshOutputs<T>::End() {
  std::free(zeros_);
  zeros_ = nullptr;
  std::free(previous_);
  previous_ = nullptr;
}

template <typename T>
void FreshOutputs<T>::Release() {
  End();
  std::free(latest_);
  latest_ = nullptr;
}

template class FreshOutputs<float>;
template class FreshOutputs<double>;

}  // namespace bench
}  // namespace relu
