// The Highway form: every variant compiled for each target Highway attains, chosen at run time.
//
// Contract (in addition to KernelFn's in relu.h):
// - Any n, any element offset: the first vector is stored unaligned, then
//   stores start at the first vector-aligned element of out; the remainder
//   is one more full vector ending at n. Both overlap elements already done.
//   That is safe because every op either reads input the kernel never writes
//   (out-of-place) or is idempotent (in-place: relu(relu(x)) == relu(x) bit
//   for bit, NaN and -0.0 included). Lengths below one vector go a lane at a
//   time through the same op, so no access ever leaves [0, n): Highway 1.0.3
//   has no LoadN/StoreN.
// - Out-of-place kernels whose working set reaches StreamThresholdBytes()
//   write with non-temporal stores (Stream) to vector-aligned addresses after
//   one unaligned prologue vector, so a DRAM-sized output is not first read
//   into the cache (write-allocate). In-place kernels never stream: the line
//   is already in the cache because it was just read.
// - Kernels whose working set reaches NarrowVectorThresholdBytes() (half
//   the last-level cache) use vectors of at most 32 bytes (faster from
//   there to DRAM on this machine, see Run); below it, the target's widest.

#include <cstddef>
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/relu_highway.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "kernels/forms.h"

HWY_BEFORE_NAMESPACE();
namespace relu {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One op per variant: what happens to one vector. kZeros ops take the zeros
// vector first, as np.maximum(zeros, x) does.

// On x86 targets Highway's Max is the MAXPS/MAXPD instruction, whose result
// is its second operand when either operand is NaN or both are zeros (of
// any sign). So Max(0, x) is x for NaN and for -0.0, 0 for x < 0, and the
// larger otherwise. One instruction instead of a compare into a mask and a
// masked move, which ran 28% slower in place at 256 KiB here (the mask
// path, not memory, was the limit). Other targets define Max on NaN
// differently, so they keep the compare. The conformance tests run every
// target on NaN, signed zeros and the rest.
constexpr bool kX86Max = HWY_ARCH_X86 && HWY_TARGET != HWY_SCALAR &&
                         HWY_TARGET != HWY_EMU128;

// np.maximum(x, 0): NaN is kept and -0.0 becomes +0.0.
struct MaximumOp {
  template <class D, class V>
  HWY_INLINE V operator()(D d, V x) const {
    if constexpr (kX86Max) {
      // Max(0, x) is -0.0, +0.0, positive or NaN; clearing the sign bit
      // turns -0.0 into +0.0 and leaves the others ReLU's (a NaN stays a
      // NaN). An AND: cheaper than adding +0.0, which does the same.
      return hn::Abs(hn::Max(hn::Zero(d), x));
    } else {
      // x <= 0 is false for NaN (kept) and true for -0.0 (+0).
      return hn::IfThenZeroElse(hn::Le(x, hn::Zero(d)), x);
    }
  }
};
using MaximumInplaceOp = MaximumOp;

// x * (x > 0), with the mask turned into 1.0 / 0.0 as NumPy's bool cast does.
struct MultiplyOp {
  template <class D, class V>
  HWY_INLINE V operator()(D d, V x) const {
    using T = hn::TFromD<D>;
    const V one_or_zero = hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)), hn::Set(d, T(1)));
    return hn::Mul(x, one_or_zero);
  }
};

// (abs(x) + x) / 2. Multiplying by 0.5 rounds the same real number as
// dividing by 2, so the bits are identical, and it avoids a divider.
struct AbsOp {
  template <class D, class V>
  HWY_INLINE V operator()(D d, V x) const {
    using T = hn::TFromD<D>;
    return hn::Mul(hn::Add(hn::Abs(x), x), hn::Set(d, T(0.5)));
  }
};

// x[x < 0] = 0: NaN and -0.0 are not less than 0 and stay as they are,
// which is exactly what MAXPS(0, x) returns for them (see kX86Max).
struct MaskedAssignOp {
  template <class D, class V>
  HWY_INLINE V operator()(D d, V x) const {
    if constexpr (kX86Max) {
      return hn::Max(hn::Zero(d), x);
    } else {
      return hn::IfThenZeroElse(hn::Lt(x, hn::Zero(d)), x);
    }
  }
};

// np.maximum(zeros, x): a NaN in zeros wins, else zeros > x ? zeros : x
// (so a NaN x and x = -0.0 come through unchanged).
struct BroadcastZerosOp {
  template <class D, class V>
  HWY_INLINE V operator()(D /*d*/, V z, V x) const {
    if constexpr (kX86Max) {
      // MAXPS(z, x) is already np.maximum(z, x) but for a NaN in z, where
      // it returns x: one compare and blend for that instead of two
      // compares, an OR of masks and a blend.
      return hn::IfThenElse(hn::IsNaN(z), z, hn::Max(z, x));
    } else {
      return hn::IfThenElse(hn::Or(hn::Gt(z, x), hn::IsNaN(z)), z, x);
    }
  }
};

template <Kind kKind, class D, class Op, typename T = hn::TFromD<D>>
HWY_INLINE hn::Vec<D> Compute(D d, const Op& op, const T* in, const T* zeros,
                              size_t i) {
  if constexpr (kKind == Kind::kZeros) {
    return op(d, hn::LoadU(d, zeros + i), hn::LoadU(d, in + i));
  } else {
    return op(d, hn::LoadU(d, in + i));
  }
}

// Stores one vector: non-temporal (aligned p) or ordinary (any p).
template <bool kStream, class D, class V, typename T>
HWY_INLINE void Put(V v, D d, T* p) {
  if constexpr (kStream) {
    hn::Stream(v, d, p);
  } else {
    hn::StoreU(v, d, p);
  }
}

// Whole vectors from element i while they fit, four at a time first;
// returns where it stopped.
template <Kind kKind, bool kStream, class D, class Op, typename T>
HWY_INLINE size_t WholeVectors(D d, const Op& op, const T* in, const T* zeros,
                               T* out, size_t i, const size_t n) {
  const size_t N = hn::Lanes(d);
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = Compute<kKind>(d, op, in, zeros, i);
    const auto v1 = Compute<kKind>(d, op, in, zeros, i + N);
    const auto v2 = Compute<kKind>(d, op, in, zeros, i + 2 * N);
    const auto v3 = Compute<kKind>(d, op, in, zeros, i + 3 * N);
    Put<kStream>(v0, d, out + i);
    Put<kStream>(v1, d, out + i + N);
    Put<kStream>(v2, d, out + i + 2 * N);
    Put<kStream>(v3, d, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) {
    Put<kStream>(Compute<kKind>(d, op, in, zeros, i), d, out + i);
  }
  return i;
}

// The whole call with vectors of descriptor d; `stream` selects
// non-temporal stores for the aligned body.
template <Kind kKind, class D, class Op, typename T = hn::TFromD<D>>
HWY_INLINE void RunWith(D d, const Op& op, const T* in, const T* zeros, T* out,
                        const size_t n, const bool stream) {
  const size_t N = hn::Lanes(d);
  if (n < N) {
    const hn::CappedTag<T, 1> d1;
    for (size_t i = 0; i < n; ++i) {
      hn::StoreU(Compute<kKind>(d1, op, in, zeros, i), d1, out + i);
    }
    return;
  }

  // One unaligned vector first, then every store from the first
  // vector-aligned element of out (out is aligned to sizeof(T)). A store
  // that straddles two cache lines costs about two; NumPy's large arrays
  // start 16 bytes past a page boundary, so without this every 64-byte
  // AVX-512 store would (17% slower in-place at 8 MiB, measured).
  // Non-temporal stores need the alignment in any case.
  hn::StoreU(Compute<kKind>(d, op, in, zeros, 0), d, out);
  const size_t vector_bytes = N * sizeof(T);
  const size_t misaligned =
      (reinterpret_cast<uintptr_t>(out) % vector_bytes) / sizeof(T);
  size_t i = N - misaligned;
  if (stream) {
    i = WholeVectors<kKind, true>(d, op, in, zeros, out, i, n);
    // Orders the weakly-ordered streaming stores before any later store
    // (including the tail below) and before the caller reads out.
    hwy::FlushStream();
  } else {
    i = WholeVectors<kKind, false>(d, op, in, zeros, out, i, n);
  }
  if (i < n) {  // last vector ends at n and overlaps finished elements
    hn::StoreU(Compute<kKind>(d, op, in, zeros, n - N), d, out + n - N);
  }
}

template <Kind kKind, typename T, class Op>
HWY_INLINE void Run(const Op& op, const T* in, const T* zeros, T* out,
                    const size_t n) {
  // Working sets beyond the last-level cache stream their stores (out of
  // place), and from half of it on every kernel uses 32-byte vectors on
  // targets with wider ones. There, 64-byte AVX-512 vectors were 1.5-10%
  // slower than 32-byte ones here (f64 in place, 256 MiB: 10.0 vs 9.14 ms
  // median, 25 of 30 interleaved pairs; out of place, 8 MiB input: 216 vs
  // 213 us); in L2 they are faster (256 KiB: 1.23 vs 1.73 us)
  // (README, "Vector width from DRAM").
  const bool aliased = kKind == Kind::kInPlace || out == in;
  const size_t arrays = (aliased ? 1 : 2) + (kKind == Kind::kZeros ? 1 : 0);
  const size_t ws = n * sizeof(T) * arrays;
  const bool stream = !aliased && ws >= StreamThresholdBytes();
  if constexpr (HWY_MAX_BYTES > 32) {
    if (ws >= NarrowVectorThresholdBytes()) {
      const hn::CappedTag<T, 32 / sizeof(T)> d32;
      RunWith<kKind>(d32, op, in, zeros, out, n, stream);
      return;
    }
  }
  RunWith<kKind>(hn::ScalableTag<T>(), op, in, zeros, out, n, stream);
}

#define RELU_DEFINE_TARGET(id, fn, name, numpy, kind)                        \
  void fn##F32(const float* in, const float* zeros, float* out, size_t n) { \
    Run<kind>(fn##Op(), in, zeros, out, n);                                  \
  }                                                                          \
  void fn##F64(const double* in, const double* zeros, double* out,          \
               size_t n) {                                                   \
    Run<kind>(fn##Op(), in, zeros, out, n);                                  \
  }
RELU_VARIANTS(RELU_DEFINE_TARGET)
#undef RELU_DEFINE_TARGET

const char* TargetNameHere() { return hwy::TargetName(HWY_TARGET); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace relu
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace relu {

HWY_EXPORT(TargetNameHere);

std::string HighwayChosenTarget() {
  return HWY_DYNAMIC_DISPATCH(TargetNameHere)();
}

int64_t HighwayCompiledTargets() { return HWY_TARGETS; }

namespace highway {

// The registry's entry points: dispatch to the best target supported now
// (or the one a test selected with hwy::SetSupportedTargetsForTest).
#define RELU_DISPATCH(id, fn, name, numpy, kind)                            \
  HWY_EXPORT(fn##F32);                                                      \
  HWY_EXPORT(fn##F64);                                                      \
  template <>                                                               \
  void fn<float>(const float* in, const float* zeros, float* out,          \
                 size_t n) {                                                \
    HWY_DYNAMIC_DISPATCH(fn##F32)(in, zeros, out, n);                       \
  }                                                                         \
  template <>                                                               \
  void fn<double>(const double* in, const double* zeros, double* out,      \
                  size_t n) {                                               \
    HWY_DYNAMIC_DISPATCH(fn##F64)(in, zeros, out, n);                       \
  }
RELU_VARIANTS(RELU_DISPATCH)
#undef RELU_DISPATCH

}  // namespace highway
}  // namespace relu
#endif  // HWY_ONCE
