// Replays every fuzz seed and every crash input kept as a regression
// (fuzz/corpus/<parser>/) through the fuzz targets' checks, with whatever
// compiler and sanitizers this build uses, clang and libFuzzer or not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "tests/report/test_util.h"

namespace relu::report {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Inputs(const std::string& target) {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(
           std::string(RELU_FUZZ_CORPUS_DIR) + "/" + target)) {
    if (e.is_regular_file()) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void Replay(const std::string& target,
            void (*fn)(const uint8_t* data, size_t size)) {
  const std::vector<std::string> inputs = Inputs(target);
  ASSERT_FALSE(inputs.empty()) << target;
  for (const std::string& path : inputs) {
    SCOPED_TRACE(path);
    const std::string bytes = testing::ReadFileOrDie(path);
    // A broken invariant aborts, as under libFuzzer; an exception other than
    // InputError fails here.
    EXPECT_NO_THROW(
        fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }
}

TEST(FuzzCorpusTest, BenchJson) { Replay("bench_json", fuzz::FuzzBenchJson); }
TEST(FuzzCorpusTest, Semantics) { Replay("semantics", fuzz::FuzzSemantics); }
TEST(FuzzCorpusTest, SoClaims) { Replay("so_claims", fuzz::FuzzSoClaims); }
TEST(FuzzCorpusTest, BenchName) { Replay("bench_name", fuzz::FuzzBenchName); }

}  // namespace
}  // namespace relu::report
