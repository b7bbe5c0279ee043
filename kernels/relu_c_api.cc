// A C interface to the kernel registry, so scripts/py_bench.py can time our kernels under its own (Python) harness.
//
// The Python peers (NumPy, Numba, PyTorch) are timed by py_bench's protocol,
// not by the C++ ring; calling our kernels from that same protocol through
// ctypes puts both sides of the comparison under one harness. The library
// exposes the registry as it is: nothing here lists kernels.

#include <cstddef>
#include <string>

#include "kernels/relu.h"

namespace {

// The kernel whose Kernel::Name() ("maximum/highway/f32", the prefix of its
// benchmark names) is `name`, as a function pointer, or null.
template <typename T>
void* Lookup(const std::string& name) {
  for (const relu::Kernel<T>& k : relu::Kernels<T>()) {
    if (k.Name() == name) return reinterpret_cast<void*>(k.fn);
  }
  return nullptr;
}

}  // namespace

extern "C" {

// The kernel for variant/form/dtype ("maximum", "highway", "f64") as a
// function pointer of KernelFn's signature (in, in2, out, n, params), or null
// when there is none. Out-of-place kernels take in != out; in-place ones
// in == out.
__attribute__((visibility("default"))) void* relu_kernel(const char* variant,
                                                         const char* form,
                                                         const char* dtype) {
  if (variant == nullptr || form == nullptr || dtype == nullptr) return nullptr;
  const std::string name = std::string(variant) + "/" + form + "/" + dtype;
  if (void* fn = Lookup<float>(name)) return fn;
  return Lookup<double>(name);
}

// The Highway target dynamic dispatch chooses on this machine, e.g. "AVX3_DL".
// The string lives as long as the library.
__attribute__((visibility("default"))) const char* relu_highway_target() {
  static const std::string target = relu::HighwayChosenTarget();
  return target.c_str();
}

// The working-set size from which out-of-place Highway kernels stream.
__attribute__((visibility("default"))) size_t relu_stream_threshold_bytes() {
  return relu::StreamThresholdBytes();
}

// The working-set size from which Highway kernels use 32-byte vectors.
__attribute__((visibility("default"))) size_t
relu_narrow_vector_threshold_bytes() {
  return relu::NarrowVectorThresholdBytes();
}

}  // extern "C"
