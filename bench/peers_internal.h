// What each peer library's source (peer_xnnpack.cc, peer_onednn.cc) gives peers.cc; not for other users.
//
// Each function exists only when its library was found at configure time
// (RELU_HAVE_XNNPACK, RELU_HAVE_ONEDNN), so peers.cc calls it under the same
// condition and the suite never links a library that is absent.
#ifndef RELU_BENCH_PEERS_INTERNAL_H_
#define RELU_BENCH_PEERS_INTERNAL_H_

#include <string>
#include <vector>

#include "bench/peers.h"

namespace relu {
namespace peers_internal {

#ifdef RELU_HAVE_XNNPACK
// XNNPACK's peers, variants in RELU_VARIANTS order.
std::vector<Peer> XnnpackPeers();
// XNNPACK has no version API: the Debian package version seen at configure
// time.
std::string XnnpackVersion();
#endif

#ifdef RELU_HAVE_ONEDNN
// oneDNN's peers, variants in RELU_VARIANTS order, then dtypes.
std::vector<Peer> OnednnPeers();
// dnnl_version() of the library loaded at run time, e.g. "2.6.3".
std::string OnednnVersion();
#endif

}  // namespace peers_internal
}  // namespace relu

#endif  // RELU_BENCH_PEERS_INTERNAL_H_
