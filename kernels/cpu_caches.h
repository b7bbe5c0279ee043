// Cache sizes of this machine, from sysfs where the kernel exposes them, else from CPUID.
#ifndef RELU_KERNELS_CPU_CACHES_H_
#define RELU_KERNELS_CPU_CACHES_H_

#include <cstddef>
#include <string>

namespace relu {

struct CacheSizes {
  size_t l1d = 0;   // bytes, per core
  size_t l2 = 0;    // bytes, per core
  size_t llc = 0;   // bytes of the last level, as one core sees it
  std::string source;  // "sysfs", "cpuid ..." or "default", and any note
};

// Detected once; later calls return the same values.
const CacheSizes& DetectedCaches();

}  // namespace relu

#endif  // RELU_KERNELS_CPU_CACHES_H_
