// Internal: declares each form's body of every variant, for the registry to collect.
//
// All forms share KernelFn's signature and contract (see relu.h). Each form's
// source explicitly instantiates these templates for float and double.
#ifndef RELU_KERNELS_FORMS_H_
#define RELU_KERNELS_FORMS_H_

#include <cstddef>

#include "kernels/relu.h"

namespace relu {

#define RELU_DECLARE(id, fn, name, numpy, kind) \
  template <typename T>                         \
  void fn(const T* in, const T* zeros, T* out, size_t n);

namespace scalar {
RELU_VARIANTS(RELU_DECLARE)
}  // namespace scalar
namespace eigen {
RELU_VARIANTS(RELU_DECLARE)
}  // namespace eigen
namespace highway {
RELU_VARIANTS(RELU_DECLARE)
}  // namespace highway

#undef RELU_DECLARE

// Instantiates a form's body of every variant for float and double.
#define RELU_INSTANTIATE(id, fn, name, numpy, kind)                         \
  template void fn<float>(const float*, const float*, float*, size_t);      \
  template void fn<double>(const double*, const double*, double*, size_t);

}  // namespace relu

#endif  // RELU_KERNELS_FORMS_H_
