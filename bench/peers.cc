// The peer registry: names, the peers this build found, and their library versions.
#include "bench/peers.h"

#include <string>
#include <utility>
#include <vector>

#include "bench/peers_internal.h"
#include "kernels/relu.h"

namespace relu {

std::string Peer::Name() const {
  return std::string(Info(variant).name) + "/" + form + "/" + DTypeName(dtype);
}

const std::vector<Peer>& Peers() {
  // Built once: oneDNN probes which dtypes it supports by creating primitive
  // descriptors, which is too slow to repeat for every caller.
  static const std::vector<Peer>* const peers = [] {
    auto* all = new std::vector<Peer>;
#ifdef RELU_HAVE_XNNPACK
    for (Peer& p : peers_internal::XnnpackPeers()) all->push_back(std::move(p));
#endif
#ifdef RELU_HAVE_ONEDNN
    for (Peer& p : peers_internal::OnednnPeers()) all->push_back(std::move(p));
#endif
    return all;
  }();
  return *peers;
}

std::vector<std::pair<std::string, std::string>> PeerVersions() {
  std::vector<std::pair<std::string, std::string>> versions;
#ifdef RELU_HAVE_XNNPACK
  versions.emplace_back("xnnpack", peers_internal::XnnpackVersion());
#else
  versions.emplace_back("xnnpack", "not built");
#endif
#ifdef RELU_HAVE_ONEDNN
  versions.emplace_back("onednn", peers_internal::OnednnVersion());
#else
  versions.emplace_back("onednn", "not built");
#endif
  return versions;
}

}  // namespace relu
