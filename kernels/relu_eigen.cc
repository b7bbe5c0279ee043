// The Eigen form: each variant as an Eigen array expression over mapped buffers.
//
// The expressions follow the NumPy formulations. Eigen 3.4.0's own
// x.max(0) returns -0.0 for -0.0 where np.maximum(x, 0) gives +0.0 (checked
// on this machine, in vector body and tail alike), so a select() states
// NumPy's rule instead.
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

}  // namespace

// x <= 0 is false for NaN and true for -0.0: NaN passes, -0.0 becomes +0.
template <typename T>
void Maximum(const T* in, const T* /*zeros*/, T* out, size_t n) {
  const In<T> x(in, Size(n));
  Out<T>(out, Size(n)) = (x <= T(0)).select(T(0), x);
}

template <typename T>
void MaximumInplace(const T* /*in*/, const T* /*zeros*/, T* out, size_t n) {
  Out<T> x(out, Size(n));
  x = (x <= T(0)).select(T(0), x);
}

template <typename T>
void Multiply(const T* in, const T* /*zeros*/, T* out, size_t n) {
  const In<T> x(in, Size(n));
  Out<T>(out, Size(n)) = x * (x > T(0)).template cast<T>();
}

template <typename T>
void Abs(const T* in, const T* /*zeros*/, T* out, size_t n) {
  const In<T> x(in, Size(n));
  Out<T>(out, Size(n)) = (x.abs() + x) / T(2);
}

template <typename T>
void MaskedAssign(const T* /*in*/, const T* /*zeros*/, T* out, size_t n) {
  Out<T> x(out, Size(n));
  x = (x < T(0)).select(T(0), x);
}

// np.maximum(zeros, x): a NaN in zeros wins, else zeros > x ? zeros : x.
template <typename T>
void BroadcastZeros(const T* in, const T* zeros, T* out, size_t n) {
  const In<T> x(in, Size(n));
  const In<T> z(zeros, Size(n));
  Out<T>(out, Size(n)) = (z > x || z.isNaN()).select(z, x);
}

RELU_VARIANTS(RELU_INSTANTIATE)

}  // namespace eigen
}  // namespace relu
