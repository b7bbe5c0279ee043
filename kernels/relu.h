// The kernel registry: every ReLU variant x form x dtype behind one SIMD-free interface.
//
// Variants come from vocabulary.json (through the generated RELU_VARIANTS
// and vocab::kVariants); tests, benchmarks, the C interface and the
// semantics table iterate Kernels<T>(), so nothing else lists kernels.
// Adding a variant means one vocabulary entry plus a body in each form
// (relu_scalar.cc, relu_eigen.cc, relu_highway.cc) and its NumPy rule
// (tests/numpy_oracle.h).
#ifndef RELU_KERNELS_RELU_H_
#define RELU_KERNELS_RELU_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "relu/vocabulary_generated.h"

namespace relu {

enum class Variant {
#define RELU_ENUM(id, fn, name, kind, second, out) id,
  RELU_VARIANTS(RELU_ENUM)
#undef RELU_ENUM
};

// How a variant touches memory, which fixes the calling contract below.
enum class Kind {
  kOutOfPlace,  // reads in[0, n) (and in2), writes out[0, n)
  kInPlace,     // reads and writes out[0, n); the caller passes in == out
};

// The variant's other input array, if any (vocabulary "second").
enum class Second {
  kNone,
  kZeros,         // n zeros the kernel really reads (np.zeros)
  kDout,          // n upstream gradients
  kChannelAlpha,  // Params::channels slopes, one per column of rows x channels
};

// The output's element type: the input's, or fixed by NumPy's type rules.
enum class OutType { kSame, kF32, kF64 };

// X(Enum, name): the forms that this project implements.
#define RELU_FORMS(X) X(kScalar, "scalar") X(kEigen, "eigen") X(kHighway, "highway")

enum class Form {
#define RELU_ENUM(id, name) id,
  RELU_FORMS(RELU_ENUM)
#undef RELU_ENUM
};

enum class DType { kF32, kF64 };

// Runtime parameters of the parametrised variants. Each variant's defaults
// come from the vocabulary (VariantInfo::defaults); the other fields are
// unused by it. Kernels cast a parameter to the input's type first, as NumPy
// 1.24 casts a Python float against a float array.
struct Params {
  double alpha = 0;  // leaky
  double t0 = 0, a0 = 0, a1 = 0;  // three_param
  // prelu: the row length of a rows x channels array; in2 holds this many
  // slopes. n must be a multiple of it.
  size_t channels = 0;
};

// Sets the parameter called `name` (a vocabulary params key); false when
// Params has no such field.
bool SetParam(Params& p, const std::string& name, double value);

struct VariantInfo {
  Variant id;
  const char* name;   // as in benchmark names: "maximum_inplace"
  const char* numpy;  // the NumPy formulation whose result is the contract
  Kind kind;
  Second second;
  OutType out_type;
  bool backward;
  Params defaults;  // the vocabulary's parameter values
  const vocab::VariantEntry* entry;
};

// Every kernel has this signature. Contract, for every form:
// - n may be any value, including 0; pointers need only the natural alignment
//   of their element type (any element offset from a vector boundary).
// - out points to n elements of the variant's output type (T, or float /
//   double for OutType::kF32 / kF64).
// - kOutOfPlace: out must not partially overlap in (out == in is allowed
//   when the output type is T, as NumPy's out=x is), nor in2; in2 is read
//   when second != kNone (n values, or Params::channels for kChannelAlpha)
//   and may be null otherwise.
// - kInPlace: the caller passes in == out; only out is accessed.
// - p is never null; the kernel reads only its own variant's fields.
// - The result equals, bit for bit, what the variant's NumPy formulation
//   returns (any NaN matches any NaN), for every input value.
template <typename T>
using KernelFn = void (*)(const T* in, const T* in2, void* out, size_t n,
                          const Params* p);

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
// The variant called `name`, or null.
const VariantInfo* FindVariant(const std::string& name);
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

// Bytes of one output element of variant v for input element type T.
template <typename T>
size_t OutBytes(const VariantInfo& v) {
  return v.out_type == OutType::kSame  ? sizeof(T)
         : v.out_type == OutType::kF32 ? sizeof(float)
                                       : sizeof(double);
}

// Bytes of the second input: n elements, or one per channel.
template <typename T>
size_t SecondBytes(const VariantInfo& v, size_t n, const Params& p) {
  switch (v.second) {
    case Second::kNone:
      return 0;
    case Second::kChannelAlpha:
      return p.channels * sizeof(T);
    case Second::kZeros:
    case Second::kDout:
      break;
  }
  return n * sizeof(T);
}

// The bytes one call reads plus the bytes it writes: the one rule by which
// every row (kernels, peers, copies) counts GB/s. In place reads and
// writes the one array; a copy reads n and writes n.
template <typename T>
size_t BytesMoved(const VariantInfo& v, size_t n, const Params& p) {
  const size_t in = n * sizeof(T) + SecondBytes<T>(v, n, p);
  return in + n * OutBytes<T>(v);
}

// The distinct memory one call touches (its footprint): in place, the one
// array; else every input and the output.
template <typename T>
size_t WorkingSetBytes(const VariantInfo& v, size_t n, const Params& p) {
  if (v.kind == Kind::kInPlace) return n * sizeof(T);
  return BytesMoved<T>(v, n, p);
}

// All kernels for T: every variant in every form, variants in vocabulary
// order, forms in RELU_FORMS order.
template <typename T>
const std::vector<Kernel<T>>& Kernels();

// The kernel of one variant and form for T.
template <typename T>
const Kernel<T>& Find(Variant v, Form f);

// Total number of registered kernels over both dtypes.
size_t KernelCount();

// The Highway form of every variant, compiled for one target, bypassing
// dynamic dispatch (the isa:<target> rows and the conformance tests).
// Targets are hwy::kTargets bits; only compiled ones have kernels.
template <typename T>
struct TargetKernel {
  int64_t target;
  Kernel<T> kernel;  // form kHighway; fn calls that target's code directly
};
template <typename T>
const std::vector<TargetKernel<T>>& HighwayTargetKernels();
// The targets this CPU supports among those compiled, best first.
std::vector<int64_t> HighwayUsableTargets();
std::string HighwayTargetName(int64_t target);

// Out-of-place Highway kernels write with non-temporal stores once one call's
// working set (every array it touches) reaches this many bytes. The default
// comes from the measured crossover (see README, "Streaming stores"); the
// suite and the tests change it to time or test both paths.
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
