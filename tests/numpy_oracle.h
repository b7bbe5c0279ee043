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

// NumPy's bool-to-float cast: True is 1, False is 0.
template <typename T>
T AsFloat(bool b) {
  return b ? T(1) : T(0);
}

// Variant v's NumPy result for one element x, in the variant's output type
// R. `second` is the second input's element at the same place (zeros, dout,
// or the slope alpha[c] of x's channel); NumPy casts the parameters in p to
// x's type.
template <typename R, typename T>
R Oracle(Variant v, T x, T second, const Params& p) {
  switch (v) {
    case Variant::kMaximum:
    case Variant::kMaximumInplace:
      return NumpyMaximum(x, T(0));
    case Variant::kMultiply:
      return x * AsFloat<T>(x > T(0));
    case Variant::kAbs: {
      const T sum = std::fabs(x) + x;  // may overflow to inf, or be NaN
      return sum / T(2);
    }
    case Variant::kMaskedAssign:
      return x < T(0) ? T(0) : x;
    case Variant::kBroadcastZeros:
      return NumpyMaximum(second, x);
    case Variant::kAbsMultiply:
      return std::fabs(x) * AsFloat<T>(x > T(0));
    case Variant::kMaximumZeroFirst:
      return NumpyMaximum(T(0), x);
    case Variant::kThreeParam: {
      const T t0 = static_cast<T>(p.t0);
      const T above = x * AsFloat<T>(x > t0) * static_cast<T>(p.a1);
      const T below = x * AsFloat<T>(x < t0) * static_cast<T>(p.a0);
      return above + below;
    }
    case Variant::kLeaky:
      return x > T(0) ? x : static_cast<T>(p.alpha) * x;
    case Variant::kPrelu:
      return x > T(0) ? x : second * x;
    case Variant::kGradMultiply:
      return static_cast<R>(1.0 * AsFloat<double>(x > T(0)));
    case Variant::kGradGreater:
      return static_cast<R>(AsFloat<float>(x > T(0)));
    case Variant::kBackwardWhere:
      return x > T(0) ? second : T(0);
  }
  return static_cast<R>(x);
}

}  // namespace relu

#endif  // RELU_TESTS_NUMPY_ORACLE_H_
