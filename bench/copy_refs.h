// Copy references: the cheapest way to move a kernel's bytes, the ceiling each row is measured against.
#ifndef RELU_BENCH_COPY_REFS_H_
#define RELU_BENCH_COPY_REFS_H_

#include <cstddef>
#include <vector>

namespace relu {
namespace bench {

// Copies `bytes` from in to out; in and out do not overlap, or are equal
// (the in-place reference).
using CopyFn = void (*)(const void* in, void* out, size_t bytes);

struct CopyRef {
  const char* method;  // the op segment: memcpy, loadstore, stream, inplace
  const char* form;    // libc or highway
  bool in_place;       // loads and stores back the same buffer
  CopyFn fn;
};

// The vocabulary's copy references (vocabulary.json "copies"), in its
// order: memcpy; a Highway LoadU/StoreU loop (what a kernel's memory traffic
// costs with ordinary stores); a Highway loop with aligned non-temporal
// stores; the load/store loop on one buffer (the in-place ceiling).
const std::vector<CopyRef>& CopyRefs();

// Copies with non-temporal stores (the `stream` reference), leaving no
// dirty lines of out in the caches.
void StreamCopy(const void* in, void* out, size_t bytes);

// Copies with ordinary vector loads and stores (the `loadstore` reference),
// leaving out in the caches as a vectorised producer's stores would.
void LoadStoreCopy(const void* in, void* out, size_t bytes);

}  // namespace bench
}  // namespace relu

#endif  // RELU_BENCH_COPY_REFS_H_
