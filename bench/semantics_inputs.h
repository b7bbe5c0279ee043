// The "inputs" array of the semantics JSON: every edge input's label and bits, one list for the tool and its tests.
#ifndef RELU_BENCH_SEMANTICS_INPUTS_H_
#define RELU_BENCH_SEMANTICS_INPUTS_H_

#include <cstddef>
#include <nlohmann/json.hpp>

#include "kernels/edge_inputs.h"

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

}  // namespace relu

#endif  // RELU_BENCH_SEMANTICS_INPUTS_H_
