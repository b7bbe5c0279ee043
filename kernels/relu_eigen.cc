// The Eigen form: each variant as an Eigen array expression over mapped buffers.
//
// The expressions follow the NumPy formulations. Eigen 3.4.0's own
// x.max(0) returns -0.0 for -0.0 where np.maximum(x, 0) gives +0.0 (checked
// on this machine, in vector body and tail alike), so a select() states
// NumPy's rule instead. Parameters are cast to T first, as NumPy casts a
// Python float against a float array.
#include <Eigen/Core>
#include <cstddef>

#include "kernels/forms.h"

namespace relu {
namespace eigen {
namespace {

template <typename T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <typename T>
using In = Eigen::Map<const Array<T>>;
template <typename T>
using Out = Eigen::Map<Array<T>>;

inline Eigen::Index Size(size_t n) { return static_cast<Eigen::Index>(n); }

template <typename T>
Out<T> OutOf(void* out, size_t n) {
  return Out<T>(static_cast<T*>(out), Size(n));
}

}  // namespace

// x <= 0 is false for NaN and true for -0.0: NaN passes, -0.0 becomes +0.
template <typename T>
void Maximum(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<T>(out, n) = (x <= T(0)).select(T(0), x);
}

template <typename T>
void MaximumInplace(const T*, const T*, void* out, size_t n, const Params*) {
  Out<T> x = OutOf<T>(out, n);
  x = (x <= T(0)).select(T(0), x);
}

template <typename T>
void Multiply(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<T>(out, n) = x * (x > T(0)).template cast<T>();
}

template <typename T>
void Abs(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<T>(out, n) = (x.abs() + x) / T(2);
}

template <typename T>
void MaskedAssign(const T*, const T*, void* out, size_t n, const Params*) {
  Out<T> x = OutOf<T>(out, n);
  x = (x < T(0)).select(T(0), x);
}

// np.maximum(zeros, x): a NaN in zeros wins, else zeros > x ? zeros : x.
template <typename T>
void BroadcastZeros(const T* in, const T* zeros, void* out, size_t n,
                    const Params*) {
  const In<T> x(in, Size(n));
  const In<T> z(zeros, Size(n));
  OutOf<T>(out, n) = (z > x || z.isNaN()).select(z, x);
}

template <typename T>
void AbsMultiply(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<T>(out, n) = x.abs() * (x > T(0)).template cast<T>();
}

// np.maximum(0, x): only x < 0 becomes 0; NaN and -0.0 come through.
template <typename T>
void MaximumZeroFirst(const T* in, const T*, void* out, size_t n,
                      const Params*) {
  const In<T> x(in, Size(n));
  OutOf<T>(out, n) = (x < T(0)).select(T(0), x);
}

// Left to right, as NumPy evaluates x * (x > t0) * a1 + x * (x < t0) * a0.
template <typename T>
void ThreeParam(const T* in, const T*, void* out, size_t n, const Params* p) {
  const In<T> x(in, Size(n));
  const T t0 = static_cast<T>(p->t0), a0 = static_cast<T>(p->a0),
          a1 = static_cast<T>(p->a1);
  OutOf<T>(out, n) = x * (x > t0).template cast<T>() * a1 +
                     x * (x < t0).template cast<T>() * a0;
}

template <typename T>
void Leaky(const T* in, const T*, void* out, size_t n, const Params* p) {
  const In<T> x(in, Size(n));
  const T alpha = static_cast<T>(p->alpha);
  OutOf<T>(out, n) = (x > T(0)).select(x, alpha * x);
}

// A rows x channels array as a column-major channels x rows matrix, whose
// every column is one row; alpha scales the rows of that matrix.
template <typename T>
void Prelu(const T* in, const T* alpha, void* out, size_t n, const Params* p) {
  using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Index channels = Size(p->channels);
  const Eigen::Index rows = channels == 0 ? 0 : Size(n) / channels;
  const Eigen::Map<const Matrix> x(in, channels, rows);
  Eigen::Map<Matrix> y(static_cast<T*>(out), channels, rows);
  const In<T> a(alpha, channels);
  y = (x > T(0)).select(x, x.colwise() * a);
}

template <typename T>
void GradMultiply(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<double>(out, n) = 1.0 * (x > T(0)).template cast<double>();
}

template <typename T>
void GradGreater(const T* in, const T*, void* out, size_t n, const Params*) {
  const In<T> x(in, Size(n));
  OutOf<float>(out, n) = (x > T(0)).template cast<float>();
}

template <typename T>
void BackwardWhere(const T* in, const T* dout, void* out, size_t n,
                   const Params*) {
  const In<T> x(in, Size(n));
  const In<T> d(dout, Size(n));
  OutOf<T>(out, n) = (x > T(0)).select(d, T(0));
}

RELU_VARIANTS(RELU_INSTANTIATE)

}  // namespace eigen
}  // namespace relu
