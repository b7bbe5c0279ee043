// The per-element oracle: what each variant's NumPy formulation returns for one value.
//
// Written from NumPy's definitions, independently of every form, and itself
// checked against NumPy in numpy_crosscheck_test.cc.
#ifndef RELU_TESTS_NUMPY_ORACLE_H_
#define RELU_TESTS_NUMPY_ORACLE_H_

#include <cmath>

#include "kernels/relu.h"

namespace relu {

// np.maximum(a, b): a NaN operand is returned, else a > b ? a : b (so on a
// tie, e.g. -0.0 vs +0.0, the second operand).
template <typename T>
T NumpyMaximum(T a, T b) {
  if (std::isnan(a)) return a;
  if (std::isnan(b)) return b;
  return a > b ? a : b;
}

template <typename T>
T Oracle(Variant v, T x) {
  switch (v) {
    case Variant::kMaximum:
    case Variant::kMaximumInplace:
      return NumpyMaximum(x, T(0));
    case Variant::kMultiply:
      return x * (x > T(0) ? T(1) : T(0));
    case Variant::kAbs: {
      const T sum = std::fabs(x) + x;  // may overflow to inf, or be NaN
      return sum / T(2);
    }
    case Variant::kMaskedAssign:
      return x < T(0) ? T(0) : x;
    case Variant::kBroadcastZeros:
      return NumpyMaximum(T(0), x);
  }
  return x;
}

}  // namespace relu

#endif  // RELU_TESTS_NUMPY_ORACLE_H_
