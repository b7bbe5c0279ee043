// The XNNPACK peer: f32 ReLU as XNNPACK's clamp operator over [0, +inf), and its leaky-ReLU operator, on the pthreadpool it is bound with.
//
// XNNPACK has no ReLU operator of its own; clamp with output_min = 0 and
// output_max = +inf is how its users (TFLite, PyTorch mobile) express ReLU,
// and XNNPACK recognises that range and dispatches its dedicated vrelu
// microkernel instead of the general clamp one. XNNPACK has no f64 operators.
//
// Denormals: xnn_run_operator asks pthreadpool to disable denormals, which on
// x86 sets MXCSR's FTZ and DAZ for the run and restores them after. So XNNPACK
// reads denormal inputs as zero (ReLU of +denorm_min is 0), and every Run()
// pays a save and two writes of MXCSR; peers_test checks the restore.
//
// Buffers: xnnpack.h asks for XNN_EXTRA_BYTES (16) readable bytes after an
// input tensor; XNNPACK reads, never writes, beyond the end. The AVX-512 and
// AVX vrelu kernels use masked loads and read nothing past n, but the SSE
// kernel loads whole vectors, so callers should pad inputs by 16 bytes.
#include <pthreadpool.h>
#include <xnnpack.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/peers.h"
#include "bench/peers_internal.h"
#include "kernels/relu.h"
#include "kernels/threads.h"

#ifndef RELU_XNNPACK_VERSION
#define RELU_XNNPACK_VERSION "unknown"
#endif

namespace relu {
namespace peers_internal {
namespace {

const char* StatusName(xnn_status status) {
  switch (status) {
    case xnn_status_success:
      return "success";
    case xnn_status_uninitialized:
      return "uninitialized";
    case xnn_status_invalid_parameter:
      return "invalid_parameter";
    case xnn_status_invalid_state:
      return "invalid_state";
    case xnn_status_unsupported_parameter:
      return "unsupported_parameter";
    case xnn_status_unsupported_hardware:
      return "unsupported_hardware";
    case xnn_status_out_of_memory:
      return "out_of_memory";
  }
  return "unknown status";
}

// Out of line and cold so that the timed Run() stays a call and a compare.
[[noreturn, gnu::noinline, gnu::cold]] void Fail(const char* step,
                                                 xnn_status status) {
  throw std::runtime_error(std::string("XNNPACK: ") + step +
                           " failed with status " +
                           std::to_string(static_cast<int>(status)) + " (" +
                           StatusName(status) + ")");
}

inline void Check(const char* step, xnn_status status) {
  if (status != xnn_status_success) Fail(step, status);
}

// xnn_initialize is reference counted and must precede any operator; one call
// for the process, made thread-safe by the function-local static.
void InitializeOnce() {
  static const xnn_status status = xnn_initialize(/*allocator=*/nullptr);
  Check("xnn_initialize", status);
}

// One operator per call: the pointers set up are operator state, so two
// bound calls (e.g. a ring of buffers) cannot share one operator.
class XnnpackCall : public PeerCall {
 public:
  XnnpackCall(const PeerArgs& a, bool leaky)
      : pool_(ThreadPool(a.threads)) {
    InitializeOnce();
    const float* in = static_cast<const float*>(a.in);
    float* out = static_cast<float*>(a.out);
    // channels = 1 and batch = n rather than channels = n and batch = 1: both
    // are contiguous (stride == channels), so setup takes the same flat path
    // (one microkernel call per 4 KiB tile) and Run() costs the same, but
    // only channels = 1 accepts n = 0 (XNNPACK rejects zero channels, while
    // a zero batch is a valid no-op). The tiles are what the thread pool
    // shares out.
    xnn_status status;
    if (leaky) {
      Check("xnn_create_leaky_relu_nc_f32",
            xnn_create_leaky_relu_nc_f32(
                /*channels=*/1, /*input_stride=*/1, /*output_stride=*/1,
                /*negative_slope=*/static_cast<float>(a.params.alpha),
                /*flags=*/0, &op_));
      status = xnn_setup_leaky_relu_nc_f32(op_, /*batch_size=*/a.n, in, out,
                                           pool_);
    } else {
      Check("xnn_create_clamp_nc_f32",
            xnn_create_clamp_nc_f32(
                /*channels=*/1, /*input_stride=*/1, /*output_stride=*/1,
                /*output_min=*/0.0f,
                /*output_max=*/std::numeric_limits<float>::infinity(),
                /*flags=*/0, &op_));
      status = xnn_setup_clamp_nc_f32(op_, /*batch_size=*/a.n, in, out, pool_);
    }
    if (status != xnn_status_success) {
      xnn_delete_operator(op_);
      Fail(leaky ? "xnn_setup_leaky_relu_nc_f32" : "xnn_setup_clamp_nc_f32",
           status);
    }
  }
  XnnpackCall(const XnnpackCall&) = delete;
  XnnpackCall& operator=(const XnnpackCall&) = delete;
  ~XnnpackCall() override { xnn_delete_operator(op_); }

  // With one thread the pool is null and every tile runs on the calling
  // thread.
  void Run() override { Check("xnn_run_operator", xnn_run_operator(op_, pool_)); }

 private:
  pthreadpool_t pool_;
  xnn_operator_t op_ = nullptr;
};

}  // namespace

std::vector<Peer> XnnpackPeers() {
  // The microkernels load a block, then store it, block after block, so
  // in == out is safe; peers_test checks that it really computes in place.
  auto relu = [](const PeerArgs& a) {
    return std::unique_ptr<PeerCall>(std::make_unique<XnnpackCall>(a, false));
  };
  auto leaky = [](const PeerArgs& a) {
    return std::unique_ptr<PeerCall>(std::make_unique<XnnpackCall>(a, true));
  };
  return {
      Peer{"xnnpack", Variant::kMaximum, DType::kF32, relu},
      Peer{"xnnpack", Variant::kMaximumInplace, DType::kF32, relu},
      Peer{"xnnpack", Variant::kLeaky, DType::kF32, leaky},
  };
}

std::string XnnpackVersion() { return RELU_XNNPACK_VERSION; }

}  // namespace peers_internal
}  // namespace relu
