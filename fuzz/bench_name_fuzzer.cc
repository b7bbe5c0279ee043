// libFuzzer entry for the benchmark-name grammar (report/bench_name.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  relu::fuzz::FuzzBenchName(data, size);
  return 0;
}
