// libFuzzer entry for semantics JSON (report/semantics.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  relu::fuzz::FuzzSemantics(data, size);
  return 0;
}
