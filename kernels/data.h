// The data every harness feeds the kernels: inputs with a chosen share of negatives, and each variant's second input.
//
// One implementation for the C++ suite, the tests and (through the C
// interface) the Python harness, so every harness times the same values.
#ifndef RELU_KERNELS_DATA_H_
#define RELU_KERNELS_DATA_H_

#include <cstddef>
#include <cstdint>

#include "kernels/relu.h"

namespace relu {

// Fills x[0, n) with values uniform in [-neg/100, 1 - neg/100): for neg = 50
// that is np.random.random(n) - 0.5, the StackOverflow data; for 0 no value
// is negative and for 100 every value is. Deterministic in seed.
template <typename T>
void FillUniform(T* x, size_t n, int neg_percent, uint64_t seed);

// prelu's slope of channel c: (c % 8 + 1) / 32, exact in both dtypes
// (vocabulary.json, "second": channel_alpha).
template <typename T>
T ChannelAlpha(size_t c) {
  return static_cast<T>(static_cast<double>(c % 8 + 1) / 32.0);
}

// How many values variant v's second input holds for n elements.
size_t SecondCount(const VariantInfo& v, size_t n, const Params& p);

// Fills the second input of variant v for n elements: zeros, upstream
// gradients (uniform in [-0.5, 0.5), from `seed`), or one slope per channel.
// Does nothing for variants without one.
template <typename T>
void FillSecond(const VariantInfo& v, T* second, size_t n, const Params& p,
                uint64_t seed);

}  // namespace relu

#endif  // RELU_KERNELS_DATA_H_
