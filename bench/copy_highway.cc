// Copy references in Highway: a load/store loop and a non-temporal (Stream) loop, dispatched at run time; memcpy; the vocabulary's table of them.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "bench/copy_highway.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "bench/copy_refs.h"
#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "kernels/relu.h"

HWY_BEFORE_NAMESPACE();
namespace relu {
namespace bench {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Byte copies as 32-bit lanes: every byte count the suite uses is a whole
// number of floats. The remainder is one overlapping vector, as in the
// kernels; kStream stores non-temporally from the first aligned element.
template <bool kStream, class D>
HWY_INLINE void CopyWith(D d, const void* in_bytes, void* out_bytes,
                         size_t bytes) {
  const size_t N = hn::Lanes(d);
  const uint32_t* in = static_cast<const uint32_t*>(in_bytes);
  uint32_t* out = static_cast<uint32_t*>(out_bytes);
  const size_t n = bytes / sizeof(uint32_t);
  if (n < N) {
    std::memcpy(out, in, bytes);
    return;
  }
  size_t i = 0;
  if (kStream) {
    hn::StoreU(hn::LoadU(d, in), d, out);
    const size_t misaligned =
        (reinterpret_cast<uintptr_t>(out) % (N * sizeof(uint32_t))) /
        sizeof(uint32_t);
    i = N - misaligned;
  }
  auto put = [&](auto v, size_t at) {
    if constexpr (kStream) {
      hn::Stream(v, d, out + at);
    } else {
      hn::StoreU(v, d, out + at);
    }
  };
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = hn::LoadU(d, in + i);
    const auto v1 = hn::LoadU(d, in + i + N);
    const auto v2 = hn::LoadU(d, in + i + 2 * N);
    const auto v3 = hn::LoadU(d, in + i + 3 * N);
    put(v0, i);
    put(v1, i + N);
    put(v2, i + 2 * N);
    put(v3, i + 3 * N);
  }
  for (; i + N <= n; i += N) put(hn::LoadU(d, in + i), i);
  if (kStream) hwy::FlushStream();
  if (i < n) hn::StoreU(hn::LoadU(d, in + n - N), d, out + n - N);
}

// The vector width follows the kernels' rule (kernels/relu_highway.cc):
// 32-byte vectors once the working set (input and output) reaches
// NarrowVectorThresholdBytes(), from where they were faster here, so the
// copy stays the ceiling for a kernel's memory traffic.
template <bool kStream>
HWY_INLINE void CopyLoop(const void* in, void* out, size_t bytes) {
  if constexpr (HWY_MAX_BYTES > 32) {
    if (2 * bytes >= NarrowVectorThresholdBytes()) {
      CopyWith<kStream>(hn::CappedTag<uint32_t, 8>(), in, out, bytes);
      return;
    }
  }
  CopyWith<kStream>(hn::ScalableTag<uint32_t>(), in, out, bytes);
}

void CopyLoadStore(const void* in, void* out, size_t bytes) {
  CopyLoop<false>(in, out, bytes);
}

void CopyStream(const void* in, void* out, size_t bytes) {
  CopyLoop<true>(in, out, bytes);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace bench
}  // namespace relu
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace relu {
namespace bench {
namespace {

HWY_EXPORT(CopyLoadStore);
HWY_EXPORT(CopyStream);

void Memcpy(const void* in, void* out, size_t bytes) {
  std::memcpy(out, in, bytes);
}
void LoadStore(const void* in, void* out, size_t bytes) {
  HWY_DYNAMIC_DISPATCH(CopyLoadStore)(in, out, bytes);
}
void Stream(const void* in, void* out, size_t bytes) {
  HWY_DYNAMIC_DISPATCH(CopyStream)(in, out, bytes);
}

// Functions by the vocabulary's method names.
CopyFn FunctionOf(const char* method) {
  const std::string m = method;
  if (m == "memcpy") return &Memcpy;
  if (m == "loadstore" || m == "inplace") return &LoadStore;
  if (m == "stream") return &Stream;
  return nullptr;
}

}  // namespace

void StreamCopy(const void* in, void* out, size_t bytes) {
  Stream(in, out, bytes);
}

void LoadStoreCopy(const void* in, void* out, size_t bytes) {
  LoadStore(in, out, bytes);
}

const std::vector<CopyRef>& CopyRefs() {
  static const std::vector<CopyRef> refs = [] {
    std::vector<CopyRef> r;
    for (const vocab::CopyEntry& c : vocab::kCopies) {
      const CopyFn fn = FunctionOf(c.method);
      if (fn == nullptr) {
        throw std::logic_error(std::string("vocabulary.json: copy method '") +
                               c.method + "' has no function in copy_highway.cc");
      }
      r.push_back({c.method, c.form, c.in_place, fn});
    }
    return r;
  }();
  return refs;
}

}  // namespace bench
}  // namespace relu
#endif  // HWY_ONCE
