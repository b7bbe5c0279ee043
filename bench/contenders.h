// Contenders: everything the suite times (our kernels, the C++ peers, the copies), each bound to a ring and verified after timing.
#ifndef RELU_BENCH_CONTENDERS_H_
#define RELU_BENCH_CONTENDERS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/copy_refs.h"
#include "bench/peers.h"
#include "bench/ring.h"
#include "bench/states.h"
#include "kernels/relu.h"
#include "stats/plan.h"

namespace relu::bench {

// The conditions a row runs under; every field appears in its name.
struct Condition {
  DType dtype = DType::kF32;
  size_t n = 0;
  size_t rows = 0;  // a rows x channels shape when nonzero (prelu, and the
                    // StackOverflow 5000x5000)
  State state = State::kProducer;
  int neg = 50;
  std::string out = "reuse";  // reuse or fresh for out-of-place contenders
  size_t threads = 1;
};

// A contender bound to its ring: Call(k) runs slot k; Verify() compares
// every slot's last result with the reference after timing.
class Bound {
 public:
  virtual ~Bound() = default;
  virtual void Call(size_t k) = 0;
  // Empty when right; else what is wrong, for the row's error.
  virtual std::string Verify() = 0;
};

struct Contender {
  std::string name;  // the full benchmark name (README grammar)
  stats::Descriptor desc;
  Condition cond;
  RingKey ring;
  Access access;
  size_t bytes_moved = 0;  // per call: bytes read plus bytes written
  size_t ws_bytes = 0;     // per call: the memory it touches
  // Binds to the ring (allocating per-slot state such as peer operators).
  std::function<std::unique_ptr<Bound>(Ring&)> bind;
};

// Our kernel k (dispatched, or one Highway target when target != 0).
template <typename T>
Contender KernelContender(const Kernel<T>& k, const Condition& c,
                          int64_t target = 0);
// A C++ peer.
Contender PeerContender(const Peer& peer, const Condition& c);
// A copy reference of the bytes one call of the condition moves.
Contender CopyContender(const CopyRef& copy, const Condition& c);

// The name's key:value segments after family/op/form/dtype for a row of
// variant v (null for copies) under c, in vocabulary order.
std::string ConditionSuffix(const Condition& c, const VariantInfo* v,
                            const std::string& out, const Params* params,
                            const std::string& isa);

// The row's parameters as "alpha:0.01" (vocabulary order), or "".
std::string ParamsSuffix(const VariantInfo& v, const Params& p);

// The variant's parameters for a condition: the vocabulary's, with prelu's
// channels from the shape.
Params ParamsFor(const VariantInfo& v, const Condition& c);

}  // namespace relu::bench

#endif  // RELU_BENCH_CONTENDERS_H_
