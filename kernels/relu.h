// The kernel registry: every ReLU variant x form x dtype behind one SIMD-free interface.
//
// Tests, benchmarks and the semantics table iterate Kernels<T>(); nothing else
// lists kernels. Adding a variant means one RELU_VARIANTS line plus a body in
// each form (relu_scalar.h, relu_eigen.cc, relu_highway-inl.h).
#ifndef RELU_KERNELS_RELU_H_
#define RELU_KERNELS_RELU_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace relu {

// How a variant touches memory, which fixes the calling contract below.
enum class Kind {
  kOutOfPlace,  // reads in[0, n), writes out[0, n)
  kInPlace,     // reads and writes out[0, n); the caller passes in == out
  kZeros,       // reads zeros[0, n) and in[0, n), writes out[0, n)
};

// X(Enum, Function, name, numpy formulation, kind): the one list of variants.
#define RELU_VARIANTS(X)                                                     \
  X(kMaximum, Maximum, "maximum", "np.maximum(x, 0)", Kind::kOutOfPlace)     \
  X(kMaximumInplace, MaximumInplace, "maximum_inplace",                      \
    "np.maximum(x, 0, x)", Kind::kInPlace)                                   \
  X(kMultiply, Multiply, "multiply", "x * (x > 0)", Kind::kOutOfPlace)       \
  X(kAbs, Abs, "abs", "(abs(x) + x) / 2", Kind::kOutOfPlace)                 \
  X(kMaskedAssign, MaskedAssign, "masked_assign", "x[x < 0] = 0",            \
    Kind::kInPlace)                                                          \
  X(kBroadcastZeros, BroadcastZeros, "broadcast_zeros",                      \
    "np.maximum(np.zeros(x.shape, dtype=x.dtype), x)", Kind::kZeros)

enum class Variant {
#define RELU_ENUM(id, fn, name, numpy, kind) id,
  RELU_VARIANTS(RELU_ENUM)
#undef RELU_ENUM
};

// X(Enum, name): the forms that this project implements.
#define RELU_FORMS(X) X(kScalar, "scalar") X(kEigen, "eigen") X(kHighway, "highway")

enum class Form {
#define RELU_ENUM(id, name) id,
  RELU_FORMS(RELU_ENUM)
#undef RELU_ENUM
};

enum class DType { kF32, kF64 };

struct VariantInfo {
  Variant id;
  const char* name;   // as in benchmark names: "maximum_inplace"
  const char* numpy;  // the NumPy formulation whose result is the contract
  Kind kind;
};

// Every kernel has this signature. Contract, for every form:
// - n may be any value, including 0; pointers need only the natural alignment
//   of T (any element offset from a vector boundary is allowed).
// - kOutOfPlace: out must not partially overlap in (out == in is allowed);
//   zeros is ignored and may be null.
// - kInPlace: the caller passes in == out; only out is accessed.
// - kZeros: zeros holds n values (zeros, for the NumPy formulation) that the
//   kernel really reads; out must not partially overlap either input.
// - The result equals, bit for bit, what the variant's NumPy formulation
//   returns (any NaN matches any NaN), for every input value.
template <typename T>
using KernelFn = void (*)(const T* in, const T* zeros, T* out, size_t n);

template <typename T>
struct Kernel {
  const VariantInfo* variant;
  Form form;
  KernelFn<T> fn;
  // "maximum/highway/f32": the prefix of the kernel's benchmark names.
  std::string Name() const;
};

const std::vector<VariantInfo>& Variants();
const VariantInfo& Info(Variant v);
const char* FormName(Form f);
const char* DTypeName(DType d);

template <typename T>
constexpr DType DTypeOf();
template <>
constexpr DType DTypeOf<float>() {
  return DType::kF32;
}
template <>
constexpr DType DTypeOf<double>() {
  return DType::kF64;
}

// All kernels for T: every variant in every form, variants in RELU_VARIANTS
// order, forms in RELU_FORMS order.
template <typename T>
const std::vector<Kernel<T>>& Kernels();

// The kernel of one variant and form for T.
template <typename T>
const Kernel<T>& Find(Variant v, Form f);

// Total number of registered kernels over both dtypes.
size_t KernelCount();

// Out-of-place Highway kernels write with non-temporal stores once one call's
// working set (input, output and zeros bytes) reaches this many bytes. The
// default comes from the measured crossover (see README, "Streaming stores");
// the suite and the tests change it to time or test both paths.
size_t StreamThresholdBytes();
void SetStreamThresholdBytes(size_t bytes);

// Highway kernels use vectors of at most 32 bytes, on targets with wider
// ones, once one call's working set (in-place: the one array) reaches this
// many bytes. The default is half the last-level cache's size (README,
// "Vector width from DRAM"); the suite and the tests change it as above.
size_t NarrowVectorThresholdBytes();
void SetNarrowVectorThresholdBytes(size_t bytes);

// Highway: the target HWY_DYNAMIC_DISPATCH chooses now, and the targets
// compiled into the kernels (a bit mask of hwy::kTargets values).
std::string HighwayChosenTarget();
int64_t HighwayCompiledTargets();

}  // namespace relu

#endif  // RELU_KERNELS_RELU_H_
