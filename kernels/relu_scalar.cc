// The scalar form: each variant as a plain element-at-a-time loop, as a programmer would write it.
//
// Written for clarity, not speed; the compiler is free to vectorise what it
// can (the report explains where it does and where branches stop it).
// Parameters are cast to T first, as NumPy 1.24 casts a Python float
// against a float array, and every operation rounds in T in NumPy's order.
#include <cmath>
#include <cstddef>

#include "kernels/forms.h"

namespace relu {
namespace scalar {

// np.maximum(a, b) returns a NaN operand, else a > b ? a : b. With b = 0 that
// gives +0 for x = -0.0, which is why the test is "x > 0", not "x >= 0".
template <typename T>
void Maximum(const T* in, const T*, void* out_v, size_t n, const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    const T x = in[i];
    out[i] = (x > T(0) || std::isnan(x)) ? x : T(0);
  }
}

template <typename T>
void MaximumInplace(const T*, const T*, void* out_v, size_t n, const Params*) {
  T* x = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    if (!(x[i] > T(0)) && !std::isnan(x[i])) x[i] = T(0);
  }
}

// x * (x > 0): the mask becomes 1.0 or 0.0, so negatives give -0.0 and -inf
// gives NaN (inf * 0), exactly as NumPy.
template <typename T>
void Multiply(const T* in, const T*, void* out_v, size_t n, const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    out[i] = in[i] * static_cast<T>(in[i] > T(0));
  }
}

// (abs(x) + x) / 2 overflows to inf for x > max / 2 and gives NaN for -inf.
template <typename T>
void Abs(const T* in, const T*, void* out_v, size_t n, const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    out[i] = (std::abs(in[i]) + in[i]) / T(2);
  }
}

// x[x < 0] = 0 leaves NaN and -0.0 alone (neither compares less than 0).
template <typename T>
void MaskedAssign(const T*, const T*, void* out_v, size_t n, const Params*) {
  T* x = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] < T(0)) x[i] = T(0);
  }
}

// np.maximum(zeros, x): NaN from either side, else zeros > x ? zeros : x, so
// -0.0 stays -0.0 here (unlike Maximum, where 0 is the second operand).
template <typename T>
void BroadcastZeros(const T* in, const T* zeros, void* out_v, size_t n,
                    const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    const T z = zeros[i];
    const T x = in[i];
    out[i] = (z > x || std::isnan(z)) ? z : x;
  }
}

// abs(x) * (x > 0): +0.0 for negatives and -0.0, NaN for -inf (inf * 0).
template <typename T>
void AbsMultiply(const T* in, const T*, void* out_v, size_t n, const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    out[i] = std::abs(in[i]) * static_cast<T>(in[i] > T(0));
  }
}

// np.maximum(0, x): x is the second operand, so NaN and -0.0 come through
// and only x < 0 becomes 0: the same rule as x[x < 0] = 0, out of place.
template <typename T>
void MaximumZeroFirst(const T* in, const T*, void* out_v, size_t n,
                      const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    out[i] = in[i] < T(0) ? T(0) : in[i];
  }
}

// x * (x > t0) * a1 + x * (x < t0) * a0, left to right as NumPy evaluates it.
template <typename T>
void ThreeParam(const T* in, const T*, void* out_v, size_t n, const Params* p) {
  T* out = static_cast<T*>(out_v);
  const T t0 = static_cast<T>(p->t0), a0 = static_cast<T>(p->a0),
          a1 = static_cast<T>(p->a1);
  for (size_t i = 0; i < n; ++i) {
    const T x = in[i];
    const T above = x * static_cast<T>(x > t0) * a1;
    const T below = x * static_cast<T>(x < t0) * a0;
    out[i] = above + below;
  }
}

// np.where(x > 0, x, alpha * x): NaN takes the alpha branch (alpha * NaN).
template <typename T>
void Leaky(const T* in, const T*, void* out_v, size_t n, const Params* p) {
  T* out = static_cast<T*>(out_v);
  const T alpha = static_cast<T>(p->alpha);
  for (size_t i = 0; i < n; ++i) {
    const T x = in[i];
    out[i] = x > T(0) ? x : alpha * x;
  }
}

// The same with alpha[c] for column c of a rows x channels array.
template <typename T>
void Prelu(const T* in, const T* alpha, void* out_v, size_t n,
           const Params* p) {
  T* out = static_cast<T*>(out_v);
  const size_t channels = p->channels;
  for (size_t row = 0; row < n; row += channels) {
    for (size_t c = 0; c < channels; ++c) {
      const T x = in[row + c];
      out[row + c] = x > T(0) ? x : alpha[c] * x;
    }
  }
}

// 1. * (x > 0): float64 whatever x is.
template <typename T>
void GradMultiply(const T* in, const T*, void* out_v, size_t n,
                  const Params*) {
  double* out = static_cast<double*>(out_v);
  for (size_t i = 0; i < n; ++i) out[i] = 1.0 * (in[i] > T(0));
}

// np.greater(x, 0.).astype(np.float32): float32 whatever x is.
template <typename T>
void GradGreater(const T* in, const T*, void* out_v, size_t n, const Params*) {
  float* out = static_cast<float*>(out_v);
  for (size_t i = 0; i < n; ++i) out[i] = in[i] > T(0) ? 1.0f : 0.0f;
}

// np.where(x > 0, dout, 0).
template <typename T>
void BackwardWhere(const T* in, const T* dout, void* out_v, size_t n,
                   const Params*) {
  T* out = static_cast<T*>(out_v);
  for (size_t i = 0; i < n; ++i) out[i] = in[i] > T(0) ? dout[i] : T(0);
}

RELU_VARIANTS(RELU_INSTANTIATE)

}  // namespace scalar
}  // namespace relu
