// Prints, as JSON, what every kernel and peer returns for each edge input: the semantics table.
//
// Usage: relu_semantics [--out FILE]. Schema (README, "Semantics JSON"):
// {"inputs": [{"label", "f32", "f64"}], "rows": [{"variant", "form",
// "dtype", "outputs": [{"bits", "text"}]}]}, outputs in input order.
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

template <typename T>
void AddRows(json& rows) {
  const auto edges = EdgeInputs<T>();
  std::vector<T> x;
  for (const auto& e : edges) x.push_back(e.value);
  const std::vector<T> zeros(x.size(), T(0));
  const char* dtype = DTypeName(DTypeOf<T>());
  for (const Kernel<T>& k : Kernels<T>()) {
    std::vector<T> out = x;
    k.fn(k.variant->kind == Kind::kInPlace ? out.data() : x.data(), zeros.data(),
         out.data(), x.size());
    rows.push_back({{"variant", k.variant->name},
                    {"form", FormName(k.form)},
                    {"dtype", dtype},
                    {"outputs", Outputs(out)}});
  }
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DTypeOf<T>()) continue;
    // Spare elements past n: XNNPACK may read up to 16 bytes beyond its input.
    std::vector<T> in = x, out(x.size() + 16);
    in.resize(x.size() + 16);
    const bool in_place = Info(peer.variant).kind == Kind::kInPlace;
    peer.bind(in.data(), in_place ? in.data() : out.data(), x.size())->Run();
    in.resize(x.size());
    out.resize(x.size());
    rows.push_back({{"variant", Info(peer.variant).name},
                    {"form", peer.form},
                    {"dtype", dtype},
                    {"outputs", Outputs(in_place ? in : out)}});
  }
}

json Semantics() {
  json rows = json::array();
  AddRows<float>(rows);
  AddRows<double>(rows);
  return {{"inputs", EdgeInputsJson()}, {"rows", rows}};
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
