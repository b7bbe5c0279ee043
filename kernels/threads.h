// Threads that share one call: a persistent pthreadpool per thread count, and each form of a kernel split over it.
//
// Splitting is by contiguous chunks, one per thread, whose starts are whole
// cache lines (prelu: whole rows), so no two threads write one line. Below
// ParallelThresholdBytes() of working set per extra thread, the fork and
// join cost more than the second core saves, and the call runs on the
// calling thread alone: the kernel knows, whatever the caller asked for.
#ifndef RELU_KERNELS_THREADS_H_
#define RELU_KERNELS_THREADS_H_

#include <cstddef>
#include <functional>

#include "kernels/relu.h"

struct pthreadpool;  // pthreadpool.h's pthreadpool_t points to one

namespace relu {

// The pool of `threads` threads (the calling thread among them), created on
// first use and kept; null for one thread. Not thread-safe to create.
::pthreadpool* ThreadPool(size_t threads);

// Calls f(begin, end) for `threads` contiguous chunks of [0, n) in parallel;
// every chunk but the last starts and ends on a multiple of `granule`.
void ParallelChunks(size_t threads, size_t n, size_t granule,
                    const std::function<void(size_t, size_t)>& f);

// From this working set per thread on, a call is split; measured with
// relu_state_probe --knob=threads (README, "Threads").
size_t ParallelThresholdBytes();
void SetParallelThresholdBytes(size_t bytes);

// How many threads a call of this working set really uses when `threads`
// are asked for.
size_t ThreadsFor(size_t threads, size_t ws_bytes);

// Runs kernel k on `threads` threads (or fewer, see ThreadsFor).
template <typename T>
void RunThreaded(const Kernel<T>& k, size_t threads, const T* in, const T* in2,
                 void* out, size_t n, const Params& p);

}  // namespace relu

#endif  // RELU_KERNELS_THREADS_H_
