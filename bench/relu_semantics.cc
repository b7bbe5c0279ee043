// Prints, as JSON, what every kernel and peer returns for each edge input: the semantics table.
//
// Usage: relu_semantics [--out FILE]. Schema (README, "Semantics JSON"):
// {"inputs": [{"label", "f32", "f64"}], "second_inputs": {"<variant>":
// {"f32": [bits], "f64": [bits]}}, "rows": [{"variant", "form",
// "dtype", ["out_dtype",] "outputs": [{"bits", "text"}]}]}, outputs in input
// order; "out_dtype" where the output type is not the input's.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/peers.h"
#include "bench/semantics_inputs.h"
#include "kernels/data.h"
#include "kernels/edge_inputs.h"
#include "kernels/relu.h"

namespace relu {
namespace {

using nlohmann::json;

template <typename T>
json Outputs(const std::vector<T>& out) {
  json cells = json::array();
  for (T v : out) cells.push_back({{"bits", HexBits(v)}, {"text", fmt::format("{}", v)}});
  return cells;
}

// The kernel's outputs on the edge inputs, in its output type.
template <typename R, typename T>
json KernelOutputs(const Kernel<T>& k, const std::vector<T>& x,
                   const std::vector<T>& second, const Params& p) {
  std::vector<R> out(x.size());
  if (k.variant->kind == Kind::kInPlace) {
    std::vector<T> y = x;
    k.fn(y.data(), second.data(), y.data(), y.size(), &p);
    return Outputs(y);
  }
  k.fn(x.data(), second.data(), out.data(), x.size(), &p);
  return Outputs(out);
}

template <typename T>
void AddRows(json& rows) {
  const auto edges = EdgeInputs<T>();
  std::vector<T> x;
  for (const auto& e : edges) x.push_back(e.value);
  const char* dtype = DTypeName(DTypeOf<T>());
  for (const Kernel<T>& k : Kernels<T>()) {
    Params p;
    const std::vector<T> second = SemanticsSecond<T>(*k.variant, x.size(), &p);
    json outputs;
    const char* out_dtype = dtype;
    switch (k.variant->out_type) {
      case OutType::kF32:
        outputs = KernelOutputs<float>(k, x, second, p);
        out_dtype = "f32";
        break;
      case OutType::kF64:
        outputs = KernelOutputs<double>(k, x, second, p);
        out_dtype = "f64";
        break;
      case OutType::kSame:
        outputs = KernelOutputs<T>(k, x, second, p);
        break;
    }
    json row = {{"variant", k.variant->name},
                {"form", FormName(k.form)},
                {"dtype", dtype},
                {"outputs", outputs}};
    if (std::string(out_dtype) != dtype) row["out_dtype"] = out_dtype;
    rows.push_back(row);
  }
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DTypeOf<T>()) continue;
    const VariantInfo& v = Info(peer.variant);
    PeerArgs a;
    const std::vector<T> second = SemanticsSecond<T>(v, x.size(), &a.params);
    // Spare elements past n: XNNPACK may read up to 16 bytes beyond its input.
    std::vector<T> in = x, out(x.size() + 16);
    in.resize(x.size() + 16);
    const bool in_place = v.kind == Kind::kInPlace;
    a.in = in.data();
    a.in2 = second.data();
    a.out = in_place ? in.data() : out.data();
    a.n = x.size();
    peer.bind(a)->Run();
    in.resize(x.size());
    out.resize(x.size());
    rows.push_back({{"variant", v.name},
                    {"form", peer.form},
                    {"dtype", dtype},
                    {"outputs", Outputs(in_place ? in : out)}});
  }
}

json Semantics() {
  json rows = json::array();
  AddRows<float>(rows);
  AddRows<double>(rows);
  return {{"inputs", EdgeInputsJson()},
          {"second_inputs", SecondInputsJson()},
          {"rows", rows}};
}

}  // namespace
}  // namespace relu

int main(int argc, char** argv) {
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
      out_path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: relu_semantics [--out FILE]\n");
      return 2;
    }
  }
  try {
    const std::string text = relu::Semantics().dump(1) + "\n";
    if (out_path.empty()) {
      std::cout << text;
      return 0;
    }
    // Written beside the target and renamed, so a failure leaves no half file.
    const std::string tmp = out_path + ".tmp";
    {
      std::ofstream file(tmp);
      file << text;
      if (!file.flush()) {
        std::fprintf(stderr, "relu_semantics: cannot write %s\n", tmp.c_str());
        std::remove(tmp.c_str());
        return 1;
      }
    }
    if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
      std::fprintf(stderr, "relu_semantics: cannot rename %s to %s\n",
                   tmp.c_str(), out_path.c_str());
      std::remove(tmp.c_str());
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relu_semantics: %s\n", e.what());
    return 1;
  }
  return 0;
}
