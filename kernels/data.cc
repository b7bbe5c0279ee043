// The data every harness feeds the kernels (see data.h).
#include "kernels/data.h"

#include <algorithm>

namespace relu {

template <typename T>
void FillUniform(T* x, size_t n, int neg_percent, uint64_t seed) {
  // splitmix64: fast enough to fill hundreds of MiB, good enough for data.
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  const double shift = neg_percent / 100.0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const double u = static_cast<double>(z >> 11) * 0x1.0p-53;  // [0, 1)
    T v = static_cast<T>(u - shift);
    // Rounding to f32 can turn a tiny negative into -0.0 or a value just
    // under 1 - shift into 1 - shift; keep the sign the distribution meant.
    if (neg_percent == 100 && !(v < T(0))) v = T(-0.25);
    if (neg_percent == 0 && v < T(0)) v = T(0.25);
    x[i] = v;
  }
}

size_t SecondCount(const VariantInfo& v, size_t n, const Params& p) {
  switch (v.second) {
    case Second::kNone:
      return 0;
    case Second::kChannelAlpha:
      return p.channels;
    case Second::kZeros:
    case Second::kDout:
      break;
  }
  return n;
}

template <typename T>
void FillSecond(const VariantInfo& v, T* second, size_t n, const Params& p,
                uint64_t seed) {
  switch (v.second) {
    case Second::kNone:
      return;
    case Second::kZeros:
      std::fill(second, second + n, T(0));
      return;
    case Second::kDout:
      // A different stream from x's: the seed's complement.
      FillUniform(second, n, 50, ~seed);
      return;
    case Second::kChannelAlpha:
      for (size_t c = 0; c < p.channels; ++c) second[c] = ChannelAlpha<T>(c);
      return;
  }
}

template void FillUniform<float>(float*, size_t, int, uint64_t);
template void FillUniform<double>(double*, size_t, int, uint64_t);
template void FillSecond<float>(const VariantInfo&, float*, size_t,
                                const Params&, uint64_t);
template void FillSecond<double>(const VariantInfo&, double*, size_t,
                                 const Params&, uint64_t);

}  // namespace relu
