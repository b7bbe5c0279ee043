// The Highway form: every variant compiled for each target Highway attains, chosen at run time.
//
// Contract (in addition to KernelFn's in relu.h):
// - Any n, any element offset: the first vector is stored unaligned, then
//   stores start at the first vector-aligned element of out; the remainder
//   is one more full vector ending at n. Both overlap elements of the
//   aligned body with the same values, and both are computed from the input
//   before anything is stored, so out == in is safe for every variant, not
//   only for idempotent ones. Lengths below one vector go a lane at a time
//   through the same op, so no access ever leaves [0, n): Highway 1.0.3 has
//   no LoadN/StoreN.
// - Out-of-place kernels whose working set reaches StreamThresholdBytes()
//   write with non-temporal stores (Stream) to vector-aligned addresses after
//   one unaligned prologue vector, so a DRAM-sized output is not first read
//   into the cache (write-allocate). In-place kernels never stream: the line
//   is already in the cache because it was just read.
// - Kernels whose working set reaches NarrowVectorThresholdBytes() (half
//   the last-level cache) use vectors of at most 32 bytes (faster from
//   there to DRAM on the Zen 5 machine, see Run); below it, the target's
//   widest.
// - Where input and output types differ (the gradients' fixed float32 or
//   float64 output), the loop steps by the lanes of the wider type and the
//   narrower side uses a half-width vector of the same lane count.

#include <cstddef>
#include <cstdint>
#include <vector>

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

// One op per variant: what happens to one vector. An op is called as
// op(din, dout, x) or, for variants with a second input, op(din, dout, x,
// second), and returns a vector of dout. din and dout have the same lane
// count; for variants whose output type is the input's they are the same.

// On x86 targets Highway's Max is the MAXPS/MAXPD instruction, whose result
// is its second operand when either operand is NaN or both are zeros (of
// any sign). So Max(0, x) is x for NaN and for -0.0, 0 for x < 0, and the
// larger otherwise. One instruction instead of a compare into a mask and a
// masked move, which ran 28% slower in place at 256 KiB on the Zen 5
// machine (the mask path, not memory, was the limit). Other targets define
// Max on NaN differently, so they keep the compare. The conformance tests
// run every target on NaN, signed zeros and the rest.
constexpr bool kX86Max = HWY_ARCH_X86 && HWY_TARGET != HWY_SCALAR &&
                         HWY_TARGET != HWY_EMU128;

// Every op is built from the call's Params (most ignore them) and is
// templated on the input type, so one macro can build any variant's op.
struct NoParams {
  explicit NoParams(const Params&) {}
};

// np.maximum(x, 0): NaN is kept and -0.0 becomes +0.0.
template <typename T>
struct MaximumOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
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
template <typename T>
using MaximumInplaceOp = MaximumOp<T>;

// x * (x > 0), with the mask turned into 1.0 / 0.0 as NumPy's bool cast does.
template <typename T>
struct MultiplyOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    return hn::Mul(x, hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)),
                                         hn::Set(d, T(1))));
  }
};

// (abs(x) + x) / 2. Multiplying by 0.5 rounds the same real number as
// dividing by 2, so the bits are identical, and it avoids a divider.
template <typename T>
struct AbsOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    return hn::Mul(hn::Add(hn::Abs(x), x), hn::Set(d, T(0.5)));
  }
};

// x[x < 0] = 0: NaN and -0.0 are not less than 0 and stay as they are,
// which is exactly what MAXPS(0, x) returns for them (see kX86Max).
template <typename T>
struct MaskedAssignOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    if constexpr (kX86Max) {
      return hn::Max(hn::Zero(d), x);
    } else {
      return hn::IfThenZeroElse(hn::Lt(x, hn::Zero(d)), x);
    }
  }
};

// np.maximum(0, x) has x[x < 0] = 0's result, out of place.
template <typename T>
using MaximumZeroFirstOp = MaskedAssignOp<T>;

// np.maximum(zeros, x): a NaN in zeros wins, else zeros > x ? zeros : x
// (so a NaN x and x = -0.0 come through unchanged).
template <typename T>
struct BroadcastZerosOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI, DO, V x, V z) const {
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

// abs(x) * (x > 0): +0.0 for negatives, NaN for -inf (inf * 0).
template <typename T>
struct AbsMultiplyOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    return hn::Mul(hn::Abs(x), hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)),
                                                  hn::Set(d, T(1))));
  }
};

// x * (x > t0) * a1 + x * (x < t0) * a0, each product rounded in NumPy's
// order (no FMA: the build has -ffp-contract=off and Highway's Mul and Add
// are separate instructions).
template <typename T>
struct ThreeParamOp {
  T t0, a0, a1;
  explicit ThreeParamOp(const Params& p)
      : t0(static_cast<T>(p.t0)),
        a0(static_cast<T>(p.a0)),
        a1(static_cast<T>(p.a1)) {}
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    const V t = hn::Set(d, t0);
    const V one = hn::Set(d, T(1));
    const V above = hn::Mul(hn::Mul(x, hn::IfThenElseZero(hn::Gt(x, t), one)),
                            hn::Set(d, a1));
    const V below = hn::Mul(hn::Mul(x, hn::IfThenElseZero(hn::Lt(x, t), one)),
                            hn::Set(d, a0));
    return hn::Add(above, below);
  }
};

// np.where(x > 0, x, alpha * x).
template <typename T>
struct LeakyOp {
  T alpha;
  explicit LeakyOp(const Params& p) : alpha(static_cast<T>(p.alpha)) {}
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x) const {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x,
                          hn::Mul(hn::Set(d, alpha), x));
  }
};

// The same with a slope per channel: the second input is alpha, loaded at
// the same offset within the row as x (RunRows restarts it per row).
template <typename T>
struct PreluOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x, V alpha) const {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(alpha, x));
  }
};

// 1. * (x > 0) and np.greater(x, 0.).astype(np.float32): 1 or 0 in the
// output type, which differs from the input type for one of the dtypes.
template <typename T>
struct GradOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE hn::Vec<DO> operator()(DI d, DO dout, V x) const {
    using TO = hn::TFromD<DO>;
    const V one_or_zero =
        hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)), hn::Set(d, T(1)));
    if constexpr (sizeof(TO) == sizeof(T)) {
      return one_or_zero;
    } else if constexpr (sizeof(TO) > sizeof(T)) {
      return hn::PromoteTo(dout, one_or_zero);  // 1.0f -> 1.0 exactly
    } else {
      return hn::DemoteTo(dout, one_or_zero);  // 1.0 -> 1.0f exactly
    }
  }
};
template <typename T>
using GradMultiplyOp = GradOp<T>;
template <typename T>
using GradGreaterOp = GradOp<T>;

// np.where(x > 0, dout, 0).
template <typename T>
struct BackwardWhereOp : NoParams {
  using NoParams::NoParams;
  template <class DI, class DO, class V>
  HWY_INLINE V operator()(DI d, DO, V x, V dout) const {
    return hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)), dout);
  }
};

// How one call's arrays are laid out; fixed per variant.
template <Kind kKind, Second kSecond, typename TIn, typename TOut>
struct Shape {
  static constexpr Kind kind = kKind;
  static constexpr bool kTwo = kSecond != Second::kNone;
  using In = TIn;
  using Out = TOut;
  // The loop's lanes come from the wider of the two types.
  using Wide = std::conditional_t<(sizeof(TOut) > sizeof(TIn)), TOut, TIn>;
  // Highway 1.0.3's Stream writes a whole 128-bit register even for a
  // partial vector, so an output narrower than the input (grad_greater's
  // float32 from float64, a half vector) uses ordinary stores.
  static constexpr bool kCanStream = sizeof(TOut) >= sizeof(TIn);
};

template <class S, class DI, class DO, class Op>
HWY_INLINE hn::Vec<DO> Compute(DI di, DO dout, const Op& op,
                               const typename S::In* in,
                               const typename S::In* in2, size_t i) {
  if constexpr (S::kTwo) {
    return op(di, dout, hn::LoadU(di, in + i), hn::LoadU(di, in2 + i));
  } else {
    return op(di, dout, hn::LoadU(di, in + i));
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

// Whole vectors from element i while they fit, four at a time first. Each
// reads exactly the elements it then writes, so out == in is safe.
template <class S, bool kStream, class DI, class DO, class Op>
HWY_INLINE void WholeVectors(DI di, DO dout, const Op& op,
                               const typename S::In* in,
                               const typename S::In* in2,
                               typename S::Out* out, size_t i,
                               const size_t n) {
  const size_t N = hn::Lanes(di);
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = Compute<S>(di, dout, op, in, in2, i);
    const auto v1 = Compute<S>(di, dout, op, in, in2, i + N);
    const auto v2 = Compute<S>(di, dout, op, in, in2, i + 2 * N);
    const auto v3 = Compute<S>(di, dout, op, in, in2, i + 3 * N);
    Put<kStream>(v0, dout, out + i);
    Put<kStream>(v1, dout, out + i + N);
    Put<kStream>(v2, dout, out + i + 2 * N);
    Put<kStream>(v3, dout, out + i + 3 * N);
  }
  for (; i + N <= n; i += N) {
    Put<kStream>(Compute<S>(di, dout, op, in, in2, i), dout, out + i);
  }
}

// One run of n elements with vectors of descriptor dw (of the wider type);
// `stream` selects non-temporal stores for the aligned body. The caller
// fences streaming stores once, after its last run: the first and last
// vectors below rewrite elements of the body with the same values, so their
// order against the streaming stores does not matter.
template <class S, class DW, class Op>
HWY_INLINE void RunWith(DW dw, const Op& op, const typename S::In* in,
                        const typename S::In* in2, typename S::Out* out,
                        const size_t n, const bool stream) {
  using TIn = typename S::In;
  using TOut = typename S::Out;
  const hn::Rebind<TIn, DW> di;
  const hn::Rebind<TOut, DW> dout;
  const size_t N = hn::Lanes(dw);
  if (n < N) {
    const hn::CappedTag<typename S::Wide, 1> d1;
    const hn::Rebind<TIn, decltype(d1)> di1;
    const hn::Rebind<TOut, decltype(d1)> do1;
    for (size_t i = 0; i < n; ++i) {
      hn::StoreU(Compute<S>(di1, do1, op, in, in2, i), do1, out + i);
    }
    return;
  }

  // One unaligned vector first, then every store from the first
  // vector-aligned element of out (out is aligned to sizeof(TOut)). A store
  // that straddles two cache lines costs about two; NumPy's large arrays
  // start 16 bytes past a page boundary, so without this every 64-byte
  // AVX-512 store would (17% slower in-place at 8 MiB on the Zen 5 machine).
  // Non-temporal stores need the alignment in any case. The first and the
  // last vector overlap the body; both are computed before any store, so
  // that with out == in nothing is computed from an element already
  // rewritten (which only idempotent ops would survive).
  const auto first = Compute<S>(di, dout, op, in, in2, 0);
  const auto last = Compute<S>(di, dout, op, in, in2, n - N);
  const size_t vector_bytes = N * sizeof(TOut);
  const size_t misaligned =
      (reinterpret_cast<uintptr_t>(out) % vector_bytes) / sizeof(TOut);
  const size_t start = N - misaligned;
  if (stream) {
    WholeVectors<S, true>(di, dout, op, in, in2, out, start, n);
  } else {
    WholeVectors<S, false>(di, dout, op, in, in2, out, start, n);
  }
  hn::StoreU(first, dout, out);
  hn::StoreU(last, dout, out + n - N);
}

// The whole call: a prelu array row by row (alpha restarts at each row),
// anything else as one run.
template <class S, class DW, class Op>
HWY_INLINE void RunRows(DW dw, const Op& op, const typename S::In* in,
                        const typename S::In* in2, typename S::Out* out,
                        const size_t n, const size_t row, const bool stream) {
  if (row == 0) {
    RunWith<S>(dw, op, in, in2, out, n, stream);
  } else {
    for (size_t r = 0; r < n; r += row) {
      RunWith<S>(dw, op, in + r, in2, out + r, row, stream);
    }
  }
  if (stream) {
    // Orders the weakly-ordered streaming stores before any later store
    // and before the caller reads out.
    hwy::FlushStream();
  }
}

template <class S, class Op>
HWY_INLINE void Run(const Op& op, const typename S::In* in,
                    const typename S::In* in2, void* out_v, const size_t n,
                    const size_t ws, const size_t row) {
  using Out = typename S::Out;
  using Wide = typename S::Wide;
  Out* out = static_cast<Out*>(out_v);
  // Working sets beyond the last-level cache stream their stores (out of
  // place), and from half of it on every kernel uses 32-byte vectors on
  // targets with wider ones. There, 64-byte AVX-512 vectors were 1.5-10%
  // slower than 32-byte ones on the Zen 5 machine (f64 in place, 256 MiB:
  // 10.0 vs 9.14 ms median, 25 of 30 interleaved pairs; out of place, 8 MiB
  // input: 216 vs 213 us); in L2 they are faster (256 KiB: 1.23 vs 1.73 us)
  // (README, "Vector width from DRAM").
  const bool aliased =
      S::kind == Kind::kInPlace ||
      static_cast<const void*>(out) == static_cast<const void*>(in);
  const bool stream =
      S::kCanStream && !aliased && ws >= StreamThresholdBytes();
  if constexpr (HWY_MAX_BYTES > 32) {
    if (ws >= NarrowVectorThresholdBytes()) {
      const hn::CappedTag<Wide, 32 / sizeof(Wide)> d32;
      RunRows<S>(d32, op, in, in2, out, n, row, stream);
      return;
    }
  }
  RunRows<S>(hn::ScalableTag<Wide>(), op, in, in2, out, n, row, stream);
}

// One variant for one input type, as this target compiles it.
template <Kind kKind, Second kSecond, OutType kOut, template <typename> class Op,
          typename T>
HWY_INLINE void RunVariant(const T* in, const T* in2, void* out, size_t n,
                        const Params* p) {
  using S = Shape<kKind, kSecond, T, OutT<T, kOut>>;
  const bool aliased = kKind == Kind::kInPlace ||
                       static_cast<const void*>(out) ==
                           static_cast<const void*>(in);
  const size_t second_bytes = kSecond == Second::kNone ? 0
                              : kSecond == Second::kChannelAlpha
                                  ? p->channels * sizeof(T)
                                  : n * sizeof(T);
  const size_t ws = n * sizeof(T) + second_bytes +
                    (aliased ? 0 : n * sizeof(OutT<T, kOut>));
  const size_t row = kSecond == Second::kChannelAlpha ? p->channels : 0;
  Run<S>(Op<T>(*p), in, in2, out, n, ws, row);
}

#define RELU_DEFINE_TARGET(id, fn, name, kind, second, out)                  \
  void fn##F32(const float* in, const float* in2, void* o, size_t n,         \
               const Params* p) {                                            \
    RunVariant<Kind::kind, Second::second, OutType::out, fn##Op>(            \
        in, in2, o, n, p);                                                   \
  }                                                                          \
  void fn##F64(const double* in, const double* in2, void* o, size_t n,       \
               const Params* p) {                                            \
    RunVariant<Kind::kind, Second::second, OutType::out, fn##Op>(            \
        in, in2, o, n, p);                                                   \
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

namespace {

// The slot of `target` in an HWY_EXPORT table: the one HWY_DYNAMIC_DISPATCH
// reads once that target is chosen (hwy/targets.h: ChosenTarget's mask
// layout), so the isa:<target> rows call exactly the code dispatch would.
size_t TableIndex(int64_t target) {
  if (target == HWY_SCALAR || target == HWY_EMU128) {
    return HWY_MAX_DYNAMIC_TARGETS + 1;
  }
  return static_cast<size_t>(
      hwy::Num0BitsBelowLS1Bit_Nonzero64(HWY_CHOSEN_TARGET_SHIFT(target)));
}

// The compiled targets, best (widest) first. The fallback (SCALAR or
// EMU128) is listed once, as the last.
std::vector<int64_t> CompiledTargetsBestFirst() {
  // Only one of SCALAR and EMU128 has a slot (HWY_CHOOSE_FALLBACK prefers
  // EMU128), so the other is not a target the table can reach.
  constexpr int64_t kUnreachable =
      (HWY_TARGETS & HWY_EMU128) ? HWY_SCALAR : 0;
  std::vector<int64_t> targets;
  // Unsigned, so the shift past the top target bit is defined (UBSan).
  for (uint64_t bit = 1; bit != 0 && bit <= uint64_t{HWY_TARGETS}; bit <<= 1) {
    const int64_t target = static_cast<int64_t>(bit);
    if ((HWY_TARGETS & target) && target != kUnreachable) {
      targets.push_back(target);
    }
  }
  return targets;  // lower bits are better targets on x86
}

}  // namespace

namespace highway {

// The registry's entry points: dispatch to the best target supported now
// (or the one a test selected with hwy::SetSupportedTargetsForTest).
#define RELU_DISPATCH(id, fn, name, kind, second, out)                   \
  HWY_EXPORT(fn##F32);                                                  \
  HWY_EXPORT(fn##F64);                                                  \
  template <>                                                           \
  void fn<float>(const float* in, const float* in2, void* o, size_t n,  \
                 const Params* p) {                                     \
    HWY_DYNAMIC_DISPATCH(fn##F32)(in, in2, o, n, p);                    \
  }                                                                     \
  template <>                                                           \
  void fn<double>(const double* in, const double* in2, void* o,        \
                  size_t n, const Params* p) {                          \
    HWY_DYNAMIC_DISPATCH(fn##F64)(in, in2, o, n, p);                    \
  }
RELU_VARIANTS(RELU_DISPATCH)
#undef RELU_DISPATCH

}  // namespace highway

template <typename T>
const std::vector<TargetKernel<T>>& HighwayTargetKernels() {
  static const std::vector<TargetKernel<T>> kernels = [] {
    std::vector<TargetKernel<T>> out;
    for (int64_t target : CompiledTargetsBestFirst()) {
      const size_t index = TableIndex(target);
#define RELU_TARGET_ENTRY(id, fn, name, kind, second, out_type)               \
  {                                                                           \
    KernelFn<T> f;                                                            \
    if constexpr (sizeof(T) == 4) {                                           \
      f = highway::HWY_DISPATCH_TABLE(fn##F32)[index];                        \
    } else {                                                                  \
      f = highway::HWY_DISPATCH_TABLE(fn##F64)[index];                        \
    }                                                                         \
    if (f != nullptr) {                                                       \
      out.push_back({target, Kernel<T>{&Info(Variant::id), Form::kHighway, f}}); \
    }                                                                         \
  }
      RELU_VARIANTS(RELU_TARGET_ENTRY)
#undef RELU_TARGET_ENTRY
    }
    return out;
  }();
  return kernels;
}

template const std::vector<TargetKernel<float>>& HighwayTargetKernels<float>();
template const std::vector<TargetKernel<double>>& HighwayTargetKernels<double>();

std::vector<int64_t> HighwayUsableTargets() {
  std::vector<int64_t> usable;
  const int64_t supported = hwy::SupportedTargets();
  for (int64_t target : CompiledTargetsBestFirst()) {
    if (supported & target) usable.push_back(target);
  }
  return usable;
}

std::string HighwayTargetName(int64_t target) {
  return hwy::TargetName(target);
}

}  // namespace relu
#endif  // HWY_ONCE
