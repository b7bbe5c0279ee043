// Peer libraries' ReLU (XNNPACK, oneDNN) behind one interface the suite and semantics table use.
//
// A peer is bound to its buffers before timing, as its library intends
// (XNNPACK's setup, oneDNN's memory objects), so the timed call is only the
// library's run. A peer runs on the threads it is bound with: XNNPACK on a
// pthreadpool of that size, oneDNN with that many OpenMP threads. Peers are
// not held to NumPy's semantics; the semantics table shows what they return.
#ifndef RELU_BENCH_PEERS_H_
#define RELU_BENCH_PEERS_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/relu.h"

namespace relu {

// One call, bound to fixed buffers; Run() is what the suite times.
class PeerCall {
 public:
  virtual ~PeerCall() = default;
  virtual void Run() = 0;
};

// The buffers and settings a call is bound to.
struct PeerArgs {
  const void* in = nullptr;
  const void* in2 = nullptr;  // the variant's second input (dout), if any
  void* out = nullptr;        // == in for in-place variants
  size_t n = 0;
  Params params;
  size_t threads = 1;
};

struct Peer {
  std::string form;  // "xnnpack" or "onednn": the form segment of the name
  Variant variant;
  DType dtype;
  // Binds a call. Throws std::runtime_error naming the library and the
  // failing step.
  std::function<std::unique_ptr<PeerCall>(const PeerArgs&)> bind;
  // "maximum/xnnpack/f32"
  std::string Name() const;
};

// Every peer this build found, in a fixed order. Empty when none was found.
const std::vector<Peer>& Peers();

// Library name and version of every peer built, e.g. {"onednn", "2.6.3"}, and
// {"xnnpack", "not built"} for one that is not.
std::vector<std::pair<std::string, std::string>> PeerVersions();

}  // namespace relu

#endif  // RELU_BENCH_PEERS_H_
