// libFuzzer entry for StackOverflow claims JSON (report/so_claims.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  relu::fuzz::FuzzSoClaims(data, size);
  return 0;
}
