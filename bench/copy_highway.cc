// Copy references in Highway: a load/store loop and a non-temporal (Stream) loop, dispatched at run time.
#include <cstddef>
#include <cstdint>
#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "bench/copy_highway.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "bench/copy_refs.h"
#include "hwy/cache_control.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace relu {
namespace bench {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Byte copies as 32-bit lanes: every byte count the suite uses is a whole
// number of floats. The remainder is one overlapping vector, as in the kernels.
void CopyLoadStore(const void* in_bytes, void* out_bytes, size_t bytes) {
  const hn::ScalableTag<uint32_t> d;
  const size_t N = hn::Lanes(d);
  const uint32_t* in = static_cast<const uint32_t*>(in_bytes);
  uint32_t* out = static_cast<uint32_t*>(out_bytes);
  const size_t n = bytes / sizeof(uint32_t);
  if (n < N) {
    std::memcpy(out, in, bytes);
    return;
  }
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = hn::LoadU(d, in + i);
    const auto v1 = hn::LoadU(d, in + i + N);
    const auto v2 = hn::LoadU(d, in + i + 2 * N);
    const auto v3 = hn::LoadU(d, in + i + 3 * N);
    hn::StoreU(v0, d, out + i);
    hn::StoreU(v1, d, out + i + N);
    hn::StoreU(v2, d, out + i + 2 * N);
    hn::StoreU(v3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) hn::StoreU(hn::LoadU(d, in + i), d, out + i);
  if (i < n) hn::StoreU(hn::LoadU(d, in + n - N), d, out + n - N);
}

void CopyStream(const void* in_bytes, void* out_bytes, size_t bytes) {
  const hn::ScalableTag<uint32_t> d;
  const size_t N = hn::Lanes(d);
  const uint32_t* in = static_cast<const uint32_t*>(in_bytes);
  uint32_t* out = static_cast<uint32_t*>(out_bytes);
  const size_t n = bytes / sizeof(uint32_t);
  if (n < N) {
    std::memcpy(out, in, bytes);
    return;
  }
  hn::StoreU(hn::LoadU(d, in), d, out);
  const size_t misaligned =
      (reinterpret_cast<uintptr_t>(out) % (N * sizeof(uint32_t))) /
      sizeof(uint32_t);
  size_t i = N - misaligned;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = hn::LoadU(d, in + i);
    const auto v1 = hn::LoadU(d, in + i + N);
    const auto v2 = hn::LoadU(d, in + i + 2 * N);
    const auto v3 = hn::LoadU(d, in + i + 3 * N);
    hn::Stream(v0, d, out + i);
    hn::Stream(v1, d, out + i + N);
    hn::Stream(v2, d, out + i + 2 * N);
    hn::Stream(v3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) hn::Stream(hn::LoadU(d, in + i), d, out + i);
  hwy::FlushStream();
  if (i < n) hn::StoreU(hn::LoadU(d, in + n - N), d, out + n - N);
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

constexpr CopyRef kCopyRefs[] = {
    {"memcpy", "libc", &Memcpy},
    {"loadstore", "highway", &LoadStore},
    {"stream", "highway", &Stream},
};

}  // namespace

void StreamCopy(const void* in, void* out, size_t bytes) {
  Stream(in, out, bytes);
}

const CopyRef* CopyRefs(size_t* count) {
  *count = sizeof(kCopyRefs) / sizeof(kCopyRefs[0]);
  return kCopyRefs;
}

}  // namespace bench
}  // namespace relu
#endif  // HWY_ONCE
