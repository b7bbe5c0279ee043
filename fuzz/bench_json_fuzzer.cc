// libFuzzer entry for Google Benchmark JSON (report/bench_json.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  relu::fuzz::FuzzBenchJson(data, size);
  return 0;
}
