// The edge inputs every form is checked on and the semantics table shows, one list for both.
#ifndef RELU_KERNELS_EDGE_INPUTS_H_
#define RELU_KERNELS_EDGE_INPUTS_H_

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace relu {

template <typename T>
struct EdgeInput {
  const char* label;
  T value;
};

// Where ReLU formulations part ways: NaN, signed zeros and infinities,
// denormals (flush-to-zero would show here), and the values around max / 2
// where (abs(x) + x) / 2 starts to overflow.
template <typename T>
std::vector<EdgeInput<T>> EdgeInputs() {
  using L = std::numeric_limits<T>;
  const T half_max = L::max() / 2;
  return {
      {"nan", L::quiet_NaN()},
      {"-nan", -L::quiet_NaN()},
      {"+0", T(0)},
      {"-0", -T(0)},
      {"+inf", L::infinity()},
      {"-inf", -L::infinity()},
      {"+1", T(1)},
      {"-1", T(-1)},
      {"+0.25", T(0.25)},
      {"-0.25", T(-0.25)},
      {"+denorm_min", L::denorm_min()},
      {"-denorm_min", -L::denorm_min()},
      {"+denorm_max", std::nextafter(L::min(), T(0))},
      {"-denorm_max", -std::nextafter(L::min(), T(0))},
      {"+normal_min", L::min()},
      {"-normal_min", -L::min()},
      {"+half_max", half_max},
      {"+half_max_next", std::nextafter(half_max, L::infinity())},
      {"+max_prev", std::nextafter(L::max(), T(0))},
      {"+max", L::max()},
      {"-max", -L::max()},
  };
}

// The IEEE bit pattern, for exact comparisons and the semantics JSON.
template <typename T>
auto Bits(T value) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U bits;
  std::memcpy(&bits, &value, sizeof(T));
  return bits;
}

// The bit pattern as the semantics JSON writes it: "0x" and 8 (f32) or 16
// (f64) lowercase hex digits.
template <typename T>
std::string HexBits(T value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%0*llx", static_cast<int>(2 * sizeof(T)),
                static_cast<unsigned long long>(Bits(value)));
  return text;
}

// Bit-for-bit equality in which any NaN matches any NaN.
template <typename T>
bool SameResult(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return Bits(a) == Bits(b);
}

}  // namespace relu

#endif  // RELU_KERNELS_EDGE_INPUTS_H_
