// Copy references: the cheapest way to move a kernel's bytes, the ceiling each row is measured against.
#ifndef RELU_BENCH_COPY_REFS_H_
#define RELU_BENCH_COPY_REFS_H_

#include <cstddef>

namespace relu {
namespace bench {

// Same signature as a KernelFn over bytes; in and out do not overlap.
using CopyFn = void (*)(const void* in, void* out, size_t bytes);

struct CopyRef {
  const char* method;  // the op segment: memcpy, loadstore, stream
  const char* form;    // libc or highway
  CopyFn fn;
};

// memcpy; a Highway LoadU/StoreU loop (what a kernel's memory traffic costs
// with ordinary stores); a Highway loop with aligned non-temporal stores.
const CopyRef* CopyRefs(size_t* count);

// Copies with non-temporal stores (the `stream` reference), leaving no
// dirty lines of out in the caches.
void StreamCopy(const void* in, void* out, size_t bytes);

// Copies with ordinary vector loads and stores (the `loadstore` reference),
// leaving out in the caches as a vectorised producer's stores would.
void LoadStoreCopy(const void* in, void* out, size_t bytes);

}  // namespace bench
}  // namespace relu

#endif  // RELU_BENCH_COPY_REFS_H_
