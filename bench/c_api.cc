// A C interface to the kernels, the rings, the cache states and the statistics, so scripts/py_bench.py times the Python peers exactly as the suite times ours.
//
// The Python harness calls our kernels through ctypes, prepares every batch
// with the same cache-state procedure (bench/states.h) on the same rings
// (bench/ring.h), and decides when to stop with the same plan and intervals
// (stats/), so NumPy, Numba, PyTorch and our kernels called from Python see
// what the C++ rows see. Nothing here lists kernels: it exposes the
// registry. Every function returns an error (null or a nonzero status)
// rather than throwing across the C boundary.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench/contenders.h"
#include "bench/copy_refs.h"
#include "bench/quality.h"
#include "bench/ring.h"
#include "bench/states.h"
#include "kernels/cpu_caches.h"
#include "kernels/relu.h"
#include "kernels/threads.h"
#include "stats/plan.h"
#include "stats/stats.h"

#define RELU_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using relu::bench::Condition;
using relu::bench::Contender;

void SetError(char* error, size_t len, const std::string& message) {
  if (error == nullptr || len == 0) return;
  std::strncpy(error, message.c_str(), len - 1);
  error[len - 1] = '\0';
}

bool ParseDType(const char* text, relu::DType* d) {
  if (text == nullptr) return false;
  if (std::strcmp(text, "f32") == 0) {
    *d = relu::DType::kF32;
  } else if (std::strcmp(text, "f64") == 0) {
    *d = relu::DType::kF64;
  } else {
    return false;
  }
  return true;
}

// A kernel bound to its parameters and thread count: what relu_call runs.
struct Call {
  relu::DType dtype;
  const void* kernel;  // relu::Kernel<T>*
  relu::Params params;
  size_t threads;
};

// A ring and what the contender that uses it does with it.
struct RingHandle {
  std::shared_ptr<relu::bench::Ring> ring;
  relu::bench::Access access;
  size_t bytes_moved;
  size_t ws_bytes;
};

// The contender the suite would build for family/op (any form: forms of one
// variant share a ring), so the Python harness uses the suite's ring key.
bool ContenderFor(const char* family, const char* op, relu::DType dtype,
                  const Condition& c, Contender* out, std::string* error) {
  const std::string fam = family ? family : "", name = op ? op : "";
  if (fam == "copy") {
    for (const relu::bench::CopyRef& copy : relu::bench::CopyRefs()) {
      if (name == copy.method) {
        *out = relu::bench::CopyContender(copy, c);
        return true;
      }
    }
    *error = "no copy method '" + name + "'";
    return false;
  }
  const relu::VariantInfo* v = relu::FindVariant(name);
  if (fam != "relu" || v == nullptr) {
    *error = "no variant '" + fam + "/" + name + "'";
    return false;
  }
  *out = dtype == relu::DType::kF32
             ? relu::bench::KernelContender(
                   relu::Find<float>(v->id, relu::Form::kScalar), c)
             : relu::bench::KernelContender(
                   relu::Find<double>(v->id, relu::Form::kScalar), c);
  return true;
}

bool MakeCondition(const char* dtype, size_t n, size_t rows, int neg,
                   const char* state, size_t threads, Condition* c,
                   std::string* error) {
  if (!ParseDType(dtype, &c->dtype)) {
    *error = "dtype must be f32 or f64";
    return false;
  }
  if (state != nullptr && !relu::bench::ParseState(state, &c->state)) {
    *error = std::string("no cache state '") + state + "'";
    return false;
  }
  if (n == 0 || (rows != 0 && n % rows != 0)) {
    *error = "n must be positive and a multiple of rows";
    return false;
  }
  if (neg != 0 && neg != 50 && neg != 100) {
    *error = "neg must be 0, 50 or 100";
    return false;
  }
  c->n = n;
  c->rows = rows;
  c->neg = neg;
  c->threads = threads == 0 ? 1 : threads;
  return true;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

int Interval(const relu::stats::Interval& r, double* est, double* lo,
             double* hi) {
  *est = r.estimate;
  *lo = r.lo;
  *hi = r.hi;
  return r.valid ? 1 : 0;
}

}  // namespace

// ---- Kernels

// The kernel for variant/form/dtype ("maximum", "highway", "f64") with the
// variant's default parameters (prelu: `channels` per row) on `threads`
// threads, as a handle for relu_call; null (and `error`) when there is none.
RELU_EXPORT void* relu_call_create(const char* variant, const char* form,
                                   const char* dtype, size_t channels,
                                   size_t threads, char* error, size_t len) {
  relu::DType d;
  const relu::VariantInfo* v = variant ? relu::FindVariant(variant) : nullptr;
  if (v == nullptr || form == nullptr || !ParseDType(dtype, &d)) {
    SetError(error, len, "no kernel " + std::string(variant ? variant : "?") +
                             "/" + (form ? form : "?") + "/" +
                             (dtype ? dtype : "?"));
    return nullptr;
  }
  relu::Form f;
  if (std::strcmp(form, "scalar") == 0) {
    f = relu::Form::kScalar;
  } else if (std::strcmp(form, "eigen") == 0) {
    f = relu::Form::kEigen;
  } else if (std::strcmp(form, "highway") == 0) {
    f = relu::Form::kHighway;
  } else {
    SetError(error, len, std::string("no form '") + form + "'");
    return nullptr;
  }
  auto* call = new Call{d, nullptr, v->defaults, threads == 0 ? 1 : threads};
  call->params.channels = channels;
  call->kernel = d == relu::DType::kF32
                     ? static_cast<const void*>(&relu::Find<float>(v->id, f))
                     : static_cast<const void*>(&relu::Find<double>(v->id, f));
  // Thread pools are made before the first timed call, not in it.
  relu::ThreadPool(call->threads);
  return call;
}

// Runs the call on one slot: out may equal in for in-place variants; in2 is
// the variant's second input or null.
RELU_EXPORT void relu_call(void* handle, const void* in, const void* in2,
                           void* out, size_t n) {
  const Call& c = *static_cast<const Call*>(handle);
  if (c.dtype == relu::DType::kF32) {
    relu::RunThreaded(*static_cast<const relu::Kernel<float>*>(c.kernel),
                      c.threads, static_cast<const float*>(in),
                      static_cast<const float*>(in2), out, n, c.params);
  } else {
    relu::RunThreaded(*static_cast<const relu::Kernel<double>*>(c.kernel),
                      c.threads, static_cast<const double*>(in),
                      static_cast<const double*>(in2), out, n, c.params);
  }
}

// Does nothing, through the same path: what one relu_call costs the Python
// harness before any kernel runs (ctypes' argument conversion and the call).
RELU_EXPORT void relu_call_noop(void*, const void*, const void*, void*,
                                size_t) {}

namespace {
// Nanoseconds spent inside relu_call_timed and relu_copy_call_timed since
// the last relu_timed_take. The Python harness is single-threaded.
double timed_ns = 0;

template <typename F>
void Timed(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  const auto stop = std::chrono::steady_clock::now();
  timed_ns += std::chrono::duration<double, std::nano>(stop - start).count();
}
}  // namespace

// relu_call with its time inside read in C: the Python harness's floor
// arm times its loop over these from Python and takes this off, which
// leaves the harness's own cost around each call in the state the real
// calls leave the caches in (a no-op leaves the interpreter's data
// cached; a kernel that streams megabytes does not).
RELU_EXPORT void relu_call_timed(void* handle, const void* in, const void* in2,
                                 void* out, size_t n) {
  Timed([&] { relu_call(handle, in, in2, out, n); });
}

// CoreRoundTripNs (bench/quality.h), for the Python harness's groups.
RELU_EXPORT double relu_core_rtt_ns() {
  return relu::bench::CoreRoundTripNs();
}

// The ns spent inside the timed calls since the last take; resets.
RELU_EXPORT double relu_timed_take() {
  const double t = timed_ns;
  timed_ns = 0;
  return t;
}

// What one steady_clock read costs: the median spacing of back-to-back
// reads. Each timed call reads the clock twice where the real call reads it
// never; one read falls inside the measured time, one outside it.
RELU_EXPORT double relu_clock_read_ns() {
  std::vector<double> spacing;
  for (int trial = 0; trial < 101; ++trial) {
    const auto start = std::chrono::steady_clock::now();
    auto last = start;
    for (int i = 0; i < 1000; ++i) last = std::chrono::steady_clock::now();
    spacing.push_back(
        std::chrono::duration<double, std::nano>(last - start).count() / 1000);
  }
  std::nth_element(spacing.begin(), spacing.begin() + 50, spacing.end());
  return spacing[50];
}

RELU_EXPORT void relu_call_release(void* handle) {
  delete static_cast<Call*>(handle);
}

// A copy reference ("memcpy", "loadstore", "stream", "inplace") over `bytes`
// on `threads` threads.
RELU_EXPORT int relu_copy(const char* method, size_t threads, const void* in,
                          void* out, size_t bytes) {
  for (const relu::bench::CopyRef& copy : relu::bench::CopyRefs()) {
    if (method == nullptr || std::strcmp(method, copy.method) != 0) continue;
    void* dst = copy.in_place ? const_cast<void*>(in) : out;
    const size_t ws = copy.in_place ? bytes : 2 * bytes;
    if (relu::ThreadsFor(threads, ws) <= 1) {
      copy.fn(in, dst, bytes);
    } else {
      const char* src = static_cast<const char*>(in);
      char* d = static_cast<char*>(dst);
      relu::ParallelChunks(threads, bytes, 64, [&](size_t b, size_t e) {
        copy.fn(src + b, d + b, e - b);
      });
    }
    return 0;
  }
  return 1;
}

// A copy reference as a handle for relu_copy_call, whose signature is
// relu_call's (the last argument counts bytes): the Python harness calls
// both the same way, so they pay the same per-call cost.
struct CopyCall {
  const relu::bench::CopyRef* copy;
  size_t threads;
};

RELU_EXPORT void* relu_copy_create(const char* method, size_t threads) {
  for (const relu::bench::CopyRef& copy : relu::bench::CopyRefs()) {
    if (method != nullptr && std::strcmp(method, copy.method) == 0) {
      relu::ThreadPool(threads);
      return new CopyCall{&copy, threads == 0 ? 1 : threads};
    }
  }
  return nullptr;
}

RELU_EXPORT void relu_copy_call(void* handle, const void* in, const void*,
                                void* out, size_t bytes) {
  const CopyCall& c = *static_cast<const CopyCall*>(handle);
  relu_copy(c.copy->method, c.threads, in, out, bytes);
}

// relu_copy_call with its time inside read in C (see relu_call_timed).
RELU_EXPORT void relu_copy_call_timed(void* handle, const void* in,
                                      const void* in2, void* out,
                                      size_t bytes) {
  Timed([&] { relu_copy_call(handle, in, in2, out, bytes); });
}

RELU_EXPORT void relu_copy_release(void* handle) {
  delete static_cast<CopyCall*>(handle);
}

// ---- Rings and cache states

// The suite's ring for family ("relu" or "copy") / op at dtype, n (rows x
// n / rows for a 2-D shape, else rows 0), with `neg` percent negatives; the
// slots, their buffers and the contender's bytes come from it.
RELU_EXPORT void* relu_ring_create(const char* family, const char* op,
                                   const char* dtype, size_t n, size_t rows,
                                   int neg, char* error, size_t len) {
  try {
    Condition c;
    std::string why;
    if (!MakeCondition(dtype, n, rows, neg, nullptr, 1, &c, &why)) {
      SetError(error, len, why);
      return nullptr;
    }
    Contender con;
    if (!ContenderFor(family, op, c.dtype, c, &con, &why)) {
      SetError(error, len, why);
      return nullptr;
    }
    auto* h = new RingHandle{relu::bench::CachedRing(con.ring), con.access,
                             con.bytes_moved, con.ws_bytes};
    return h;
  } catch (const std::exception& e) {
    SetError(error, len, e.what());
    return nullptr;
  }
}

RELU_EXPORT size_t relu_ring_slots(void* h) {
  return static_cast<RingHandle*>(h)->ring->slots();
}
RELU_EXPORT void* relu_ring_in(void* h, size_t k) {
  return static_cast<RingHandle*>(h)->ring->in(k);
}
RELU_EXPORT void* relu_ring_out(void* h, size_t k) {
  return static_cast<RingHandle*>(h)->ring->out(k);
}
RELU_EXPORT void* relu_ring_second(void* h, size_t k) {
  return static_cast<RingHandle*>(h)->ring->second(k);
}
RELU_EXPORT const void* relu_ring_pristine(void* h, size_t k) {
  return static_cast<RingHandle*>(h)->ring->pristine(k);
}
RELU_EXPORT size_t relu_ring_second_count(void* h) {
  return static_cast<RingHandle*>(h)->ring->key().second_count;
}
RELU_EXPORT size_t relu_ring_bytes_moved(void* h) {
  return static_cast<RingHandle*>(h)->bytes_moved;
}
RELU_EXPORT size_t relu_ring_ws_bytes(void* h) {
  return static_cast<RingHandle*>(h)->ws_bytes;
}

// The cache state's procedure before one batch (bench/states.h): the same
// code the C++ suite runs. Returns nonzero for an unknown state or one the
// ring's contender cannot use (resident and in place).
RELU_EXPORT int relu_ring_prepare(void* h, const char* state) {
  auto* handle = static_cast<RingHandle*>(h);
  relu::bench::State s;
  if (state == nullptr || !relu::bench::ParseState(state, &s) ||
      !relu::bench::StateAllows(s, handle->access)) {
    return 1;
  }
  relu::bench::PrepareBatch(*handle->ring, s, handle->access,
                            relu::DetectedCaches());
  return 0;
}

// One batch timed in C, as the suite times it (bench/rounds.cc): the
// state's procedure, then `call` (a relu_call_create handle) on each of the
// ring's K slots between two steady_clock reads. Seconds for the K calls,
// or a negative value for a state the ring cannot take. It separates what
// the Python harness's loop adds from what its process's memory does.
RELU_EXPORT double relu_ring_time_batch(void* h, void* call,
                                        const char* state) {
  if (relu_ring_prepare(h, state) != 0) return -1;
  auto* handle = static_cast<RingHandle*>(h);
  relu::bench::Ring& ring = *handle->ring;
  const size_t slots = ring.slots();
  const bool in_place = handle->access.in_place;
  const auto start = std::chrono::steady_clock::now();
  for (size_t k = 0; k < slots; ++k) {
    relu_call(call, ring.in(k), ring.second(k),
              in_place ? ring.in(k) : ring.out(k), ring.n());
  }
  const auto stop = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(stop - start).count();
}

RELU_EXPORT void relu_ring_release(void* h) {
  delete static_cast<RingHandle*>(h);
}

// The name's key:value segments the suite gives a row (after
// family/op/form/dtype), into buf: "/n:.../out:.../state:.../threads:1".
RELU_EXPORT int relu_name_suffix(const char* family, const char* op,
                                 const char* dtype, size_t n, size_t rows,
                                 const char* out, const char* state, int neg,
                                 size_t threads, char* buf, size_t len) {
  try {
    Condition c;
    std::string why;
    if (!MakeCondition(dtype, n, rows, neg, state, threads, &c, &why)) {
      SetError(buf, len, why);
      return 1;
    }
    std::string suffix;
    const relu::VariantInfo* v =
        std::strcmp(family, "relu") == 0 ? relu::FindVariant(op) : nullptr;
    if (v != nullptr) {
      const relu::Params p = relu::bench::ParamsFor(*v, c);
      suffix = relu::bench::ConditionSuffix(c, v, out, &p, "");
    } else {
      suffix = relu::bench::ConditionSuffix(c, nullptr, out, nullptr, "");
    }
    if (suffix.size() + 1 > len) return 1;
    std::memcpy(buf, suffix.c_str(), suffix.size() + 1);
    return 0;
  } catch (const std::exception& e) {
    SetError(buf, len, e.what());
    return 1;
  }
}

// ---- Statistics (stats/stats.h)

RELU_EXPORT int relu_paired_ratio(const double* a, const double* b, size_t n,
                                  double* est, double* lo, double* hi) {
  try {
    return Interval(relu::stats::PairedRatio(std::vector<double>(a, a + n),
                                             std::vector<double>(b, b + n)),
                    est, lo, hi);
  } catch (const std::exception&) {
    return -1;
  }
}

RELU_EXPORT int relu_unpaired_ratio(const double* a, size_t m, const double* b,
                                    size_t n, double* est, double* lo,
                                    double* hi) {
  try {
    return Interval(relu::stats::UnpairedRatio(std::vector<double>(a, a + m),
                                               std::vector<double>(b, b + n)),
                    est, lo, hi);
  } catch (const std::exception&) {
    return -1;
  }
}

RELU_EXPORT int relu_median(const double* x, size_t n, double* est,
                            double* lo, double* hi) {
  try {
    return Interval(relu::stats::Median(std::vector<double>(x, x + n)), est,
                    lo, hi);
  } catch (const std::exception&) {
    return -1;
  }
}

// The group's plan (stats/plan.h) for rows described as
// "family|op|form|out|threads|isa|harness|fn|params|ours|in_place" with
// their typical times: writes up to max_pairs (a, b) index pairs into pairs
// and returns how many there are (or -1 for a malformed description).
RELU_EXPORT long relu_plan(const char* const* rows, const double* typical,
                           size_t n, size_t* pairs, size_t max_pairs) {
  std::vector<relu::stats::Descriptor> desc;
  for (size_t i = 0; i < n; ++i) {
    const std::vector<std::string> f = Split(rows[i] ? rows[i] : "", '|');
    if (f.size() != 11) return -1;
    relu::stats::Descriptor d;
    d.family = f[0];
    d.op = f[1];
    d.form = f[2];
    d.out = f[3];
    d.threads = f[4];
    d.isa = f[5];
    d.harness = f[6];
    d.fn = f[7];
    d.params = f[8];
    d.ours = f[9] == "1";
    d.in_place = f[10] == "1";
    desc.push_back(d);
  }
  const auto plan = relu::stats::Plan(
      desc, std::vector<double>(typical, typical + n));
  for (size_t i = 0; i < plan.size() && i < max_pairs; ++i) {
    pairs[2 * i] = plan[i].a;
    pairs[2 * i + 1] = plan[i].b;
  }
  return static_cast<long>(plan.size());
}

// ---- What the library was built and configured with

// The Highway target dynamic dispatch chooses on this machine, e.g. "AVX2".
// The string lives as long as the library.
RELU_EXPORT const char* relu_highway_target() {
  static const std::string target = relu::HighwayChosenTarget();
  return target.c_str();
}

RELU_EXPORT size_t relu_stream_threshold_bytes() {
  return relu::StreamThresholdBytes();
}

RELU_EXPORT size_t relu_narrow_vector_threshold_bytes() {
  return relu::NarrowVectorThresholdBytes();
}

RELU_EXPORT size_t relu_parallel_threshold_bytes() {
  return relu::ParallelThresholdBytes();
}
