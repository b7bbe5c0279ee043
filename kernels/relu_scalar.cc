// The scalar form: each variant as a plain element-at-a-time loop, as a programmer would write it.
//
// Written for clarity, not speed; the compiler is free to vectorise what it
// can (the report explains where it does and where branches stop it).
#include <cmath>
#include <cstddef>

#include "kernels/forms.h"

namespace relu {
namespace scalar {

// np.maximum(a, b) returns a NaN operand, else a > b ? a : b. With b = 0 that
// gives +0 for x = -0.0, which is why the test is "x > 0", not "x >= 0".
template <typename T>
void Maximum(const T* in, const T* /*zeros*/, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T x = in[i];
    out[i] = (x > T(0) || std::isnan(x)) ? x : T(0);
  }
}

template <typename T>
void MaximumInplace(const T* /*in*/, const T* /*zeros*/, T* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!(x[i] > T(0)) && !std::isnan(x[i])) x[i] = T(0);
  }
}

// x * (x > 0): the mask becomes 1.0 or 0.0, so negatives give -0.0 and -inf
// gives NaN (inf * 0), exactly as NumPy.
template <typename T>
void Multiply(const T* in, const T* /*zeros*/, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = in[i] * static_cast<T>(in[i] > T(0));
  }
}

// (abs(x) + x) / 2 overflows to inf for x > max / 2 and gives NaN for -inf.
template <typename T>
void Abs(const T* in, const T* /*zeros*/, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = (std::abs(in[i]) + in[i]) / T(2);
  }
}

// x[x < 0] = 0 leaves NaN and -0.0 alone (neither compares less than 0).
template <typename T>
void MaskedAssign(const T* /*in*/, const T* /*zeros*/, T* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (x[i] < T(0)) x[i] = T(0);
  }
}

// np.maximum(zeros, x): NaN from either side, else zeros > x ? zeros : x, so
// -0.0 stays -0.0 here (unlike Maximum, where 0 is the second operand).
template <typename T>
void BroadcastZeros(const T* in, const T* zeros, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T z = zeros[i];
    const T x = in[i];
    out[i] = (z > x || std::isnan(z)) ? z : x;
  }
}

RELU_VARIANTS(RELU_INSTANTIATE)

}  // namespace scalar
}  // namespace relu
