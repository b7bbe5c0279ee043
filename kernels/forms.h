// Internal: declares each form's body of every variant, for the registry to collect.
//
// All forms share KernelFn's signature and contract (see relu.h). Each form's
// source explicitly instantiates these templates for float and double.
#ifndef RELU_KERNELS_FORMS_H_
#define RELU_KERNELS_FORMS_H_

#include <cstddef>
#include <type_traits>

#include "kernels/relu.h"

namespace relu {

#define RELU_DECLARE(id, fn, name, kind, second, out)                                    \
  template <typename T>                                                 \
  void fn(const T* in, const T* in2, void* out, size_t n, const Params* p);

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
#define RELU_INSTANTIATE(id, fn, name, kind, second, out)                                  \
  template void fn<float>(const float*, const float*, void*, size_t,      \
                          const Params*);                                  \
  template void fn<double>(const double*, const double*, void*, size_t,   \
                           const Params*);

// The output element type of a variant whose NumPy type rule fixes it.
template <typename T, OutType kOut>
using OutT = std::conditional_t<
    kOut == OutType::kSame, T,
    std::conditional_t<kOut == OutType::kF32, float, double>>;

}  // namespace relu

#endif  // RELU_KERNELS_FORMS_H_
