// The oneDNN peer: eltwise_relu forward (ReLU, and leaky ReLU with its alpha) and backward on the caller's buffers, on the OpenMP threads it is bound with.
//
// Written against oneDNN 2.x (Debian's 2.6.3); cmake/optional_peers.cmake
// builds it only for a 2.x library, since 3.x replaced the operation
// descriptors used here.
#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/peers.h"
#include "bench/peers_internal.h"
#include "kernels/relu.h"
#include "oneapi/dnnl/dnnl.hpp"
#include "oneapi/dnnl/dnnl_debug.h"

namespace relu {
namespace peers_internal {
namespace {

using dnnl::memory;

// Out of line and cold so that the timed Run() stays lean.
[[noreturn, gnu::noinline, gnu::cold]] void Fail(const std::string& step,
                                                 dnnl_status_t status,
                                                 const char* detail) {
  std::string message = "oneDNN: " + step + " failed with status " +
                        std::to_string(static_cast<int>(status)) + " (" +
                        dnnl_status2str(status) + ")";
  if (detail != nullptr) message += ": " + std::string(detail);
  throw std::runtime_error(message);
}

// Runs one step of the C++ API, turning its dnnl::error into the
// std::runtime_error that the Peer contract promises.
template <typename F>
auto Step(const std::string& step, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    Fail(step, e.status, e.what());
  }
}

const dnnl::engine& Engine() {
  static const dnnl::engine* const engine = Step("create CPU engine", [] {
    return new dnnl::engine(dnnl::engine::kind::cpu, 0);
  });
  return *engine;
}

memory::desc Desc(memory::data_type type, size_t n) {
  // A flat 1-D tensor: n == 0 is a valid zero-volume tensor whose execution
  // is a no-op.
  return memory::desc({static_cast<memory::dim>(n)}, type,
                      memory::format_tag::a);
}

// What one primitive computes: forward ReLU with a slope below zero
// (0 for ReLU, alpha for leaky), or ReLU's backward pass.
struct Op {
  bool backward = false;
  float alpha = 0;
  bool operator<(const Op& o) const {
    return std::make_pair(backward, alpha) < std::make_pair(o.backward, o.alpha);
  }
};

dnnl::primitive CreatePrimitive(memory::data_type type, size_t n, Op op) {
  const memory::desc md = Desc(type, n);
  const auto forward = Step("create eltwise_forward descriptor", [&] {
    return dnnl::eltwise_forward::desc(
        op.backward ? dnnl::prop_kind::forward_training
                    : dnnl::prop_kind::forward_inference,
        dnnl::algorithm::eltwise_relu, md, op.alpha, /*beta=*/0.0f);
  });
  const auto forward_pd = Step("create eltwise_forward primitive descriptor", [&] {
    return dnnl::eltwise_forward::primitive_desc(forward, Engine());
  });
  if (!op.backward) {
    return Step("create eltwise_forward primitive",
                [&] { return dnnl::primitive(forward_pd); });
  }
  // diff_src = src > 0 ? diff_dst : alpha * diff_dst, with alpha 0.
  const auto backward = Step("create eltwise_backward descriptor", [&] {
    return dnnl::eltwise_backward::desc(dnnl::algorithm::eltwise_relu, md, md,
                                        op.alpha, /*beta=*/0.0f);
  });
  const auto backward_pd =
      Step("create eltwise_backward primitive descriptor", [&] {
        return dnnl::eltwise_backward::primitive_desc(backward, Engine(),
                                                      forward_pd);
      });
  return Step("create eltwise_backward primitive",
              [&] { return dnnl::primitive(backward_pd); });
}

// One primitive per (type, n, op), shared by every call bound at that size:
// binding a ring of buffers then costs memory objects only, not a JIT
// compilation per buffer. Primitives are immutable and may be executed from
// several threads at once; the pointers live in the per-call memory objects.
dnnl::primitive PrimitiveFor(memory::data_type type, size_t n, Op op) {
  static std::mutex mu;
  static auto* const cache =
      new std::map<std::tuple<memory::data_type, size_t, Op>, dnnl::primitive>;
  std::lock_guard<std::mutex> lock(mu);
  const auto key = std::make_tuple(type, n, op);
  auto it = cache->find(key);
  if (it == cache->end()) {
    it = cache->emplace(key, CreatePrimitive(type, n, op)).first;
  }
  return it->second;
}

class OnednnCall : public PeerCall {
 public:
  OnednnCall(memory::data_type type, const PeerArgs& a, Op op)
      : primitive_(PrimitiveFor(type, a.n, op)),
        stream_(Step("create stream", [] { return dnnl::stream(Engine()); })),
        threads_(static_cast<int>(a.threads)),
        backward_(op.backward) {
    const memory::desc md = Desc(type, a.n);
    // User-provided handles: oneDNN reads and writes the caller's buffers
    // directly, no copies. The const_casts are safe: inputs are only read.
    src_ = Step("create src memory", [&] {
      return memory(md, Engine(), const_cast<void*>(a.in));
    });
    // In place: the same memory object as src and dst, which oneDNN's
    // eltwise supports (peers_test checks the result).
    dst_ = a.in == a.out ? src_ : Step("create dst memory", [&] {
      return memory(md, Engine(), a.out);
    });
    if (backward_) {
      diff_dst_ = Step("create diff_dst memory", [&] {
        return memory(md, Engine(), const_cast<void*>(a.in2));
      });
      args_[0] = {DNNL_ARG_SRC, src_.get()};
      args_[1] = {DNNL_ARG_DIFF_DST, diff_dst_.get()};
      args_[2] = {DNNL_ARG_DIFF_SRC, dst_.get()};
    } else {
      args_[0] = {DNNL_ARG_SRC, src_.get()};
      args_[1] = {DNNL_ARG_DST, dst_.get()};
    }
  }

  // This oneDNN uses OpenMP, and its parallel sections ask
  // omp_get_max_threads() at execution time, running inline (no parallel
  // region at all) when it is 1. So Run() sets the calling thread's OpenMP
  // thread count to the bound count around the execution and restores it
  // after, leaving the caller's OpenMP state as it found it. That costs
  // about 5 ns a call. peers_test fails if a one-thread run starts OpenMP
  // threads.
  //
  // The C API executes a prebuilt argument array; the C++ execute() would
  // rebuild a std::vector of arguments (a heap allocation) on every call.
  void Run() override {
    const int threads = omp_get_max_threads();
    omp_set_num_threads(threads_);
    dnnl_status_t status = dnnl_primitive_execute(
        primitive_.get(), stream_.get(), backward_ ? 3 : 2, args_);
    if (status == dnnl_success) status = dnnl_stream_wait(stream_.get());
    omp_set_num_threads(threads);
    if (status != dnnl_success) Fail("execute eltwise", status, nullptr);
  }

 private:
  dnnl::primitive primitive_;
  dnnl::stream stream_;
  int threads_;
  bool backward_;
  memory src_, dst_, diff_dst_;
  dnnl_exec_arg_t args_[3];
};

struct Candidate {
  DType dtype;
  memory::data_type type;
};

// oneDNN 2.x has no f64 data type at all (dnnl_data_type_t stops at u8), so
// f64 has no candidate; f32 is probed like any other in case the CPU lacks it.
constexpr Candidate kCandidates[] = {{DType::kF32, memory::data_type::f32}};

bool Supported(memory::data_type type) {
  try {
    PrimitiveFor(type, 1, Op{});
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

std::vector<Peer> OnednnPeers() {
  std::vector<Peer> peers;
  for (Variant variant : {Variant::kMaximum, Variant::kMaximumInplace,
                          Variant::kLeaky, Variant::kBackwardWhere}) {
    for (const Candidate& c : kCandidates) {
      if (!Supported(c.type)) continue;
      const memory::data_type type = c.type;
      peers.push_back(
          Peer{"onednn", variant, c.dtype, [type, variant](const PeerArgs& a) {
                 Op op;
                 op.backward = variant == Variant::kBackwardWhere;
                 if (variant == Variant::kLeaky) {
                   op.alpha = static_cast<float>(a.params.alpha);
                 }
                 return std::unique_ptr<PeerCall>(
                     std::make_unique<OnednnCall>(type, a, op));
               }});
    }
  }
  return peers;
}

std::string OnednnVersion() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch);
}

}  // namespace peers_internal
}  // namespace relu
