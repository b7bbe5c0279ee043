// Runs NumPy itself on the edge inputs and checks the oracle and every form against it, so expectations never drift from NumPy's.
//
// Skipped only when /usr/bin/python3 cannot import NumPy.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/semantics_inputs.h"
#include "gtest/gtest.h"
#include "kernels/edge_inputs.h"
#include "kernels/relu.h"
#include "tests/numpy_oracle.h"

namespace relu {
namespace {

using nlohmann::json;

const char kPython[] = "/usr/bin/python3";

std::string RunCommand(const std::string& command, int* status) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"),
                                             pclose);
  std::string out;
  if (!pipe) {
    *status = -1;
    return out;
  }
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) {
    out.append(buffer, got);
  }
  *status = pclose(pipe.release());
  return out;
}

template <typename T>
T FromHex(const std::string& text) {
  const unsigned long long bits = std::stoull(text, nullptr, 16);
  T value;
  if constexpr (sizeof(T) == 4) {
    const uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&value, &b, sizeof(T));
  } else {
    const uint64_t b = bits;
    std::memcpy(&value, &b, sizeof(T));
  }
  return value;
}

class NumpyCrossCheck : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    int status = 0;
    RunCommand(std::string(kPython) + " -c 'import numpy' 2>/dev/null", &status);
    if (status != 0) return;  // script_status_ stays -2: each test skips
    const std::string path =
        testing::TempDir() + "relu_numpy_crosscheck_inputs." +
        std::to_string(getpid()) + ".json";
    std::ofstream(path) << json{{"inputs", EdgeInputsJson()},
                                {"rows", json::array()}};
    const std::string out =
        RunCommand(std::string(kPython) + " " RELU_SOURCE_DIR
                                   "/scripts/numpy_semantics.py --no-peers " + path,
            &status);
    std::remove(path.c_str());
    script_status_ = status;
    if (status == 0) numpy_ = new json(json::parse(out));
  }
  static void TearDownTestSuite() {
    delete numpy_;
    numpy_ = nullptr;
  }

  void SetUp() override {
    if (script_status_ == -2) GTEST_SKIP() << kPython << " has no NumPy";
    ASSERT_EQ(script_status_, 0) << "scripts/numpy_semantics.py failed";
    ASSERT_NE(numpy_, nullptr);
  }

  // NumPy's outputs for every variant of one dtype, by variant name.
  template <typename T>
  std::map<std::string, std::vector<T>> NumpyOutputs() {
    std::map<std::string, std::vector<T>> by_variant;
    for (const json& row : (*numpy_)["rows"]) {
      if (row["form"] != "numpy" || row["dtype"] != DTypeName(DTypeOf<T>())) {
        continue;
      }
      std::vector<T>& out = by_variant[row["variant"].get<std::string>()];
      for (const json& cell : row["outputs"]) {
        out.push_back(FromHex<T>(cell["bits"].get<std::string>()));
      }
    }
    return by_variant;
  }

  template <typename T>
  void CheckAgainstNumpy() {
    const auto numpy = NumpyOutputs<T>();
    const auto edges = EdgeInputs<T>();
    std::vector<T> x;
    for (const auto& e : edges) x.push_back(e.value);
    const std::vector<T> zeros(x.size(), T(0));
    ASSERT_EQ(numpy.size(), Variants().size()) << "a variant has no NumPy row";
    for (const VariantInfo& v : Variants()) {
      const std::vector<T>& want = numpy.at(v.name);
      ASSERT_EQ(want.size(), x.size());
      for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_TRUE(SameResult(Oracle(v.id, x[i]), want[i]))
            << "oracle disagrees with NumPy: " << v.numpy << " on "
            << edges[i].label << " gives " << want[i] << " in NumPy";
      }
      for (const Kernel<T>& k : Kernels<T>()) {
        if (k.variant->id != v.id) continue;
        std::vector<T> out = x;
        k.fn(v.kind == Kind::kInPlace ? out.data() : x.data(), zeros.data(),
             out.data(), x.size());
        for (size_t i = 0; i < x.size(); ++i) {
          EXPECT_TRUE(SameResult(out[i], want[i]))
              << k.Name() << " on " << edges[i].label << " gives " << out[i]
              << ", NumPy's " << v.numpy << " gives " << want[i];
        }
      }
    }
  }

  static int script_status_;
  static json* numpy_;
};

int NumpyCrossCheck::script_status_ = -2;
json* NumpyCrossCheck::numpy_ = nullptr;

TEST_F(NumpyCrossCheck, EveryFormMatchesNumpyF32) { CheckAgainstNumpy<float>(); }
TEST_F(NumpyCrossCheck, EveryFormMatchesNumpyF64) { CheckAgainstNumpy<double>(); }

// The two NumPy facts the issue names, pinned so a NumPy upgrade that
// changed them would be noticed here and not only as a diff of tables.
TEST_F(NumpyCrossCheck, SignedZeroAndInfinityFacts) {
  const auto numpy = NumpyOutputs<double>();
  const auto edges = EdgeInputs<double>();
  size_t minus_zero = 0, minus_inf = 0;
  for (size_t i = 0; i < edges.size(); ++i) {
    if (std::string(edges[i].label) == "-0") minus_zero = i;
    if (std::string(edges[i].label) == "-inf") minus_inf = i;
  }
  EXPECT_FALSE(std::signbit(numpy.at("maximum")[minus_zero]))
      << "np.maximum(-0.0, 0) is +0.0";
  EXPECT_TRUE(std::signbit(numpy.at("broadcast_zeros")[minus_zero]))
      << "np.maximum(zeros, -0.0) is -0.0";
  EXPECT_TRUE(std::isnan(numpy.at("multiply")[minus_inf]))
      << "-inf * (-inf > 0) is NaN";
}

}  // namespace
}  // namespace relu
