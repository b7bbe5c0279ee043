// Threads that share one call (see threads.h).
#include "kernels/threads.h"

#include <pthreadpool.h>

#include <atomic>
#include <map>
#include <memory>

namespace relu {
namespace {

std::atomic<size_t>& ParallelThreshold() {
  // Each thread gets at least this much of the call's working set (input,
  // output, second input), so two threads start at twice it. Measured on a
  // 2-core EPYC VM (512 KiB L2), f64, in the suite's protocol (each
  // two-thread sample starts on idle cores), two full runs: at a 512 KiB
  // working set two threads lose (maximum 0.74x and 0.84x the one-thread
  // speed, in place 0.92x and 0.86x); from 1 MiB they win (maximum 1.74x and
  // 1.82x, in place 1.60x and 1.67x). relu_probe --knob=threads, whose
  // batches run back to back with the second thread awake, gains from
  // smaller sizes (in place 0.84x the time at 64 KiB): what a program sees
  // depends on what it does between calls. Below the threshold, waking and
  // joining a second thread and moving half the data to the other core's
  // cache cost more than the second core gives.
  static std::atomic<size_t> threshold{size_t{512} << 10};
  return threshold;
}

struct Chunks {
  size_t n, granule, parts;
  const std::function<void(size_t, size_t)>* f;
};

void RunChunk(void* context, size_t part) {
  const Chunks& c = *static_cast<const Chunks*>(context);
  // Equal shares rounded to the granule; the last takes the remainder.
  const size_t units = (c.n + c.granule - 1) / c.granule;
  const size_t begin = std::min(c.n, units * part / c.parts * c.granule);
  const size_t end =
      part + 1 == c.parts
          ? c.n
          : std::min(c.n, units * (part + 1) / c.parts * c.granule);
  if (end > begin) (*c.f)(begin, end);
}

}  // namespace

::pthreadpool* ThreadPool(size_t threads) {
  if (threads <= 1) return nullptr;
  static std::map<size_t,
                  std::unique_ptr<::pthreadpool, void (*)(::pthreadpool*)>>
      pools;
  auto it = pools.find(threads);
  if (it == pools.end()) {
    it = pools
             .emplace(threads,
                      std::unique_ptr<::pthreadpool, void (*)(::pthreadpool*)>(
                          pthreadpool_create(threads), pthreadpool_destroy))
             .first;
  }
  return it->second.get();
}

void ParallelChunks(size_t threads, size_t n, size_t granule,
                    const std::function<void(size_t, size_t)>& f) {
  if (threads <= 1 || n == 0) {
    f(0, n);
    return;
  }
  Chunks c{n, granule == 0 ? 1 : granule, threads, &f};
  // No PTHREADPOOL_FLAG_DISABLE_DENORMALS: that sets FTZ and DAZ, which
  // would change the results on denormal inputs.
  pthreadpool_parallelize_1d(ThreadPool(threads), &RunChunk, &c, threads, 0);
}

size_t ParallelThresholdBytes() {
  return ParallelThreshold().load(std::memory_order_relaxed);
}

void SetParallelThresholdBytes(size_t bytes) {
  ParallelThreshold().store(bytes, std::memory_order_relaxed);
}

size_t ThreadsFor(size_t threads, size_t ws_bytes) {
  if (threads <= 1) return 1;
  const size_t threshold = std::max<size_t>(ParallelThresholdBytes(), 1);
  const size_t useful = ws_bytes / threshold;
  return std::max<size_t>(1, std::min(threads, useful));
}

template <typename T>
void RunThreaded(const Kernel<T>& k, size_t threads, const T* in, const T* in2,
                 void* out, size_t n, const Params& p) {
  const VariantInfo& v = *k.variant;
  const size_t used = ThreadsFor(threads, WorkingSetBytes<T>(v, n, p));
  if (used <= 1) {
    k.fn(in, in2, out, n, &p);
    return;
  }
  const size_t out_bytes = OutBytes<T>(v);
  const bool per_element_second =
      v.second == Second::kZeros || v.second == Second::kDout;
  // Whole cache lines of the output per chunk; prelu splits by rows.
  const size_t granule = v.second == Second::kChannelAlpha
                             ? p.channels
                             : std::max<size_t>(1, 64 / out_bytes);
  char* out_bytes_ptr = static_cast<char*>(out);
  ParallelChunks(used, n, granule, [&](size_t begin, size_t end) {
    k.fn(in + begin, per_element_second ? in2 + begin : in2,
         out_bytes_ptr + begin * out_bytes, end - begin, &p);
  });
}

template void RunThreaded<float>(const Kernel<float>&, size_t, const float*,
                                 const float*, void*, size_t, const Params&);
template void RunThreaded<double>(const Kernel<double>&, size_t, const double*,
                                  const double*, void*, size_t, const Params&);

}  // namespace relu
