// The oneDNN peer: eltwise_relu forward inference on the caller's buffers, on one OpenMP thread.
//
// Written against oneDNN 2.x (Debian's 2.6.3); peers.cmake compiles it only
// for a 2.x library, since 3.x replaced the operation descriptors used here.
#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
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

dnnl::primitive CreatePrimitive(memory::data_type type, size_t n) {
  const memory::desc md = Desc(type, n);
  const auto desc = Step("create eltwise_forward descriptor", [&] {
    return dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::eltwise_relu, md,
                                       /*alpha=*/0.0f, /*beta=*/0.0f);
  });
  const auto pd = Step("create eltwise_forward primitive descriptor", [&] {
    return dnnl::eltwise_forward::primitive_desc(desc, Engine());
  });
  return Step("create eltwise_forward primitive",
              [&] { return dnnl::primitive(pd); });
}

// One primitive per (type, n), shared by every call bound at that size:
// binding a ring of buffers then costs memory objects only, not a JIT
// compilation per buffer. Primitives are immutable and may be executed from
// several threads at once; the pointers live in the per-call memory objects.
dnnl::primitive PrimitiveFor(memory::data_type type, size_t n) {
  static std::mutex mu;
  static auto* const cache =
      new std::map<std::pair<memory::data_type, size_t>, dnnl::primitive>;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find({type, n});
  if (it == cache->end()) {
    it =
        cache->emplace(std::make_pair(type, n), CreatePrimitive(type, n)).first;
  }
  return it->second;
}

class OnednnCall : public PeerCall {
 public:
  OnednnCall(memory::data_type type, const void* in, void* out, size_t n)
      : primitive_(PrimitiveFor(type, n)),
        stream_(Step("create stream", [] { return dnnl::stream(Engine()); })) {
    const memory::desc md = Desc(type, n);
    // User-provided handles: oneDNN reads and writes the caller's buffers
    // directly, no copies. The const_cast is safe: src is only read.
    src_ = Step("create src memory",
                [&] { return memory(md, Engine(), const_cast<void*>(in)); });
    // In place: the same memory object as src and dst, which oneDNN's
    // eltwise supports (peers_test checks the result).
    dst_ = in == out ? src_ : Step("create dst memory", [&] {
      return memory(md, Engine(), out);
    });
    args_[0] = {DNNL_ARG_SRC, src_.get()};
    args_[1] = {DNNL_ARG_DST, dst_.get()};
  }

  // Single-threaded: this oneDNN uses OpenMP, and its parallel sections ask
  // omp_get_max_threads() at execution time, running inline (no parallel
  // region at all) when it is 1. So Run() sets the calling thread's OpenMP
  // thread count to 1 around the execution and restores it after, leaving the
  // caller's OpenMP state as it found it. That costs about 5 ns a call; an
  // OpenMP fork and join on two threads cost 3 to 4 us at n = 1024 here.
  // peers_test fails if a run starts OpenMP threads.
  //
  // The C API executes a prebuilt argument array; the C++ execute() would
  // rebuild a std::vector of arguments (a heap allocation) on every call.
  void Run() override {
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    dnnl_status_t status =
        dnnl_primitive_execute(primitive_.get(), stream_.get(), 2, args_);
    if (status == dnnl_success) status = dnnl_stream_wait(stream_.get());
    omp_set_num_threads(threads);
    if (status != dnnl_success)
      Fail("execute eltwise_forward", status, nullptr);
  }

 private:
  dnnl::primitive primitive_;
  dnnl::stream stream_;
  memory src_;
  memory dst_;
  dnnl_exec_arg_t args_[2];
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
    PrimitiveFor(type, 1);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

std::vector<Peer> OnednnPeers() {
  std::vector<Peer> peers;
  for (Variant variant : {Variant::kMaximum, Variant::kMaximumInplace}) {
    for (const Candidate& c : kCandidates) {
      if (!Supported(c.type)) continue;
      const memory::data_type type = c.type;
      peers.push_back(
          Peer{"onednn", variant, c.dtype,
               [type](const void* in, void* out, size_t n) {
                 return std::unique_ptr<PeerCall>(
                     std::make_unique<OnednnCall>(type, in, out, n));
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
