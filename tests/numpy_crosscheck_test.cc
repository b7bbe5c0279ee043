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
#include <type_traits>
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
T FromHex(uint64_t bits) {
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
                                {"second_inputs", SecondInputsJson()},
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

  // NumPy's output bits for every variant of one input dtype, by variant
  // name, with the output dtype NumPy gave them.
  struct NumpyRow {
    std::string out_dtype;
    std::vector<uint64_t> bits;
  };
  std::map<std::string, NumpyRow> NumpyOutputs(const char* dtype) {
    std::map<std::string, NumpyRow> by_variant;
    for (const json& row : (*numpy_)["rows"]) {
      if (row["form"] != "numpy" || row["dtype"] != dtype) continue;
      NumpyRow& r = by_variant[row["variant"].get<std::string>()];
      r.out_dtype = row.value("out_dtype", std::string(dtype));
      for (const json& cell : row["outputs"]) {
        r.bits.push_back(std::stoull(cell["bits"].get<std::string>(), nullptr, 16));
      }
    }
    return by_variant;
  }

  // The oracle and every form against NumPy's row, in output type R.
  template <typename R, typename T>
  void CheckVariant(const VariantInfo& v, const NumpyRow& numpy) {
    const auto edges = EdgeInputs<T>();
    std::vector<T> x;
    for (const auto& e : edges) x.push_back(e.value);
    Params p;
    const std::vector<T> second = SemanticsSecond<T>(v, x.size(), &p);
    ASSERT_EQ(numpy.out_dtype, DTypeName(DTypeOf<R>()))
        << v.name << ": NumPy's output type is not the vocabulary's";
    ASSERT_EQ(numpy.bits.size(), x.size());
    std::vector<R> want(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      want[i] = FromHex<R>(numpy.bits[i]);
      const T s = v.second == Second::kNone ? T(0)
                  : v.second == Second::kChannelAlpha
                      ? second[i % p.channels]
                      : second[i];
      EXPECT_TRUE(SameResult(Oracle<R>(v.id, x[i], s, p), want[i]))
          << "oracle disagrees with NumPy: " << v.numpy << " on "
          << edges[i].label << " gives " << want[i] << " in NumPy";
    }
    for (const Kernel<T>& k : Kernels<T>()) {
      if (k.variant->id != v.id) continue;
      std::vector<R> out(x.size());
      if (v.kind == Kind::kInPlace) {
        std::vector<T> y = x;
        k.fn(y.data(), second.data(), y.data(), y.size(), &p);
        if constexpr (std::is_same_v<R, T>) out = y;
      } else {
        k.fn(x.data(), second.data(), out.data(), x.size(), &p);
      }
      for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_TRUE(SameResult(out[i], want[i]))
            << k.Name() << " on " << edges[i].label << " gives " << out[i]
            << ", NumPy's " << v.numpy << " gives " << want[i];
      }
    }
  }

  template <typename T>
  void CheckAgainstNumpy() {
    const auto numpy = NumpyOutputs(DTypeName(DTypeOf<T>()));
    ASSERT_EQ(numpy.size(), Variants().size()) << "a variant has no NumPy row";
    for (const VariantInfo& v : Variants()) {
      const NumpyRow& row = numpy.at(v.name);
      switch (v.out_type) {
        case OutType::kF32:
          CheckVariant<float, T>(v, row);
          break;
        case OutType::kF64:
          CheckVariant<double, T>(v, row);
          break;
        case OutType::kSame:
          CheckVariant<T, T>(v, row);
          break;
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
  const auto rows = NumpyOutputs("f64");
  std::map<std::string, std::vector<double>> numpy;
  for (const auto& [name, row] : rows) {
    for (uint64_t b : row.bits) numpy[name].push_back(FromHex<double>(b));
  }
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
  EXPECT_TRUE(std::signbit(numpy.at("maximum_zero_first")[minus_zero]))
      << "np.maximum(0, -0.0) is -0.0: the second operand wins a tie";
  EXPECT_EQ(rows.at("grad_greater").out_dtype, "f32")
      << "np.greater(x, 0.).astype(np.float32) is float32 for float64 x";
  const auto f32_rows = NumpyOutputs("f32");
  EXPECT_EQ(f32_rows.at("grad_multiply").out_dtype, "f64")
      << "1. * (x > 0) is float64 for float32 x";
}

}  // namespace
}  // namespace relu
