// The semantics table's inputs and conventions: every edge input's label and bits, and each variant's second input, one definition for the tool and its tests.
#ifndef RELU_BENCH_SEMANTICS_INPUTS_H_
#define RELU_BENCH_SEMANTICS_INPUTS_H_

#include <cstddef>
#include <nlohmann/json.hpp>

#include <vector>

#include "kernels/data.h"
#include "kernels/edge_inputs.h"
#include "kernels/relu.h"

namespace relu {

// [{"label": "nan", "f32": "0x7fc00000", "f64": "0x7ff8000000000000"}, ...]
inline nlohmann::json EdgeInputsJson() {
  nlohmann::json inputs = nlohmann::json::array();
  const auto f32 = EdgeInputs<float>();
  const auto f64 = EdgeInputs<double>();
  for (size_t i = 0; i < f32.size(); ++i) {
    inputs.push_back({{"label", f32[i].label},
                      {"f32", HexBits(f32[i].value)},
                      {"f64", HexBits(f64[i].value)}});
  }
  return inputs;
}

// Variant v's second input on the edge inputs (n of them) and its
// parameters, by the table's conventions (vocabulary.json "semantics"): the
// edge inputs form one 1-D array; prelu has one channel; dout is a constant,
// so backward_where's row reads as the derivative mask; zeros are zeros.
template <typename T>
std::vector<T> SemanticsSecond(const VariantInfo& v, size_t n, Params* p) {
  *p = v.defaults;
  switch (v.second) {
    case Second::kNone:
      return {};
    case Second::kZeros:
      return std::vector<T>(n, T(0));
    case Second::kDout:
      return std::vector<T>(n, static_cast<T>(vocab::kSemanticsDout));
    case Second::kChannelAlpha:
      break;
  }
  p->channels = vocab::kSemanticsChannels;
  std::vector<T> alpha(p->channels);
  FillSecond(v, alpha.data(), n, *p, 0);
  return alpha;
}

// {"<variant>": {"f32": ["0x..", ...], "f64": [...]}} for every variant
// whose second input is not np.zeros: what SemanticsSecond gives it, so
// scripts/numpy_semantics.py feeds NumPy exactly the same values.
inline nlohmann::json SecondInputsJson() {
  nlohmann::json seconds = nlohmann::json::object();
  const size_t n = EdgeInputs<float>().size();
  for (const VariantInfo& v : Variants()) {
    if (v.second == Second::kNone || v.second == Second::kZeros) continue;
    Params p;
    nlohmann::json f32 = nlohmann::json::array(), f64 = nlohmann::json::array();
    for (float x : SemanticsSecond<float>(v, n, &p)) f32.push_back(HexBits(x));
    for (double x : SemanticsSecond<double>(v, n, &p)) f64.push_back(HexBits(x));
    seconds[v.name] = {{"f32", f32}, {"f64", f64}};
  }
  return seconds;
}

}  // namespace relu

#endif  // RELU_BENCH_SEMANTICS_INPUTS_H_
