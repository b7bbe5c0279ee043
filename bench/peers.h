// Peer libraries' ReLU (XNNPACK, oneDNN) behind one interface the suite and semantics table use.
//
// A peer is bound to its buffers before timing, as its library intends
// (XNNPACK's setup, oneDNN's memory objects), so the timed call is only the
// library's run. Peers run single-threaded, as our kernels do. Peers are not
// held to NumPy's semantics; the semantics table shows what they return.
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

struct Peer {
  std::string form;  // "xnnpack" or "onednn": the form segment of the name
  Variant variant;   // kMaximum, or kMaximumInplace where the library can
  DType dtype;
  // Binds a call for n elements of `in` into `out` (in == out for in-place).
  // Throws std::runtime_error naming the library and the failing step.
  std::function<std::unique_ptr<PeerCall>(const void* in, void* out,
                                          size_t n)>
      bind;
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
