// The suite's presets (see presets.h).
#include "bench/presets.h"

#include <algorithm>
#include <stdexcept>

#include "bench/copy_refs.h"
#include "bench/peers.h"
#include "kernels/relu.h"

namespace relu::bench {
namespace {

constexpr size_t KiB = 1024, MiB = 1024 * 1024;

// One input size per cache class on every machine this project has seen
// (L1d 32-48 KiB, L2 0.5-1 MiB, LLC 8-32 MiB): maximum's working set (twice
// the input) then sits in L1, L2, the LLC and DRAM. Fixed sizes, so that
// runs of different machines meet at the same rows.
constexpr size_t kClassSizes[] = {16 * KiB, 256 * KiB, 4 * MiB, 64 * MiB};

// The StackOverflow question's 5000 x 5000 array.
constexpr size_t kSoRows = 5000, kSoN = 5000 * 5000;

size_t ElemBytes(DType d) { return d == DType::kF32 ? 4 : 8; }

bool Listed(const std::vector<std::string>& list, const std::string& name) {
  return list.empty() || std::count(list.begin(), list.end(), name) > 0;
}

bool In(const std::vector<std::string>& list, const std::string& name) {
  return std::count(list.begin(), list.end(), name) > 0;
}

// Time for one group: small arrays reach a tight interval in seconds; each
// round at DRAM sizes costs tens of milliseconds per row.
Budget BudgetFor(size_t bytes, double scale) {
  Budget b;
  b.max_seconds = scale * std::min(40.0, 8.0 + double(bytes) / double(8 * MiB));
  return b;
}

GroupSpec Spec(DType dtype, size_t bytes, State state, double scale) {
  GroupSpec g;
  g.cond.dtype = dtype;
  g.cond.n = bytes / ElemBytes(dtype);
  g.cond.state = state;
  g.budget = BudgetFor(bytes, scale);
  return g;
}

const std::vector<std::string> kMaximumPair = {"maximum", "maximum_inplace"};
const std::vector<std::string> kSignSensitive = {
    "maximum", "maximum_inplace", "multiply", "abs", "masked_assign"};

// The full sweep: one size per octave up to 64 MiB (past every LLC seen,
// so DRAM-bound; 5000x5000 is the so preset's), every variant at the class
// sizes and maximum's pair between them (the sweeps the plots draw). At
// most 40 rounds a group: the intervals of the rows that can tighten are
// within 2% by then, and a file of every round stays tens of megabytes.
void AddFull(Preset& p) {
  for (DType dtype : {DType::kF32, DType::kF64}) {
    for (size_t bytes : Octaves(4 * KiB, 64 * MiB)) {
      const bool class_size =
          std::count(std::begin(kClassSizes), std::end(kClassSizes), bytes) > 0;
      GroupSpec g = Spec(dtype, bytes, State::kProducer, 1.0);
      g.budget.max_rounds = 40;
      if (!class_size) g.variants = kMaximumPair;
      g.fresh = class_size;
      g.every_isa = class_size ? kMaximumPair : std::vector<std::string>{};
      g.two_threads = bytes >= 16 * KiB ? kMaximumPair : std::vector<std::string>{};
      p.groups.push_back(g);
      if (bytes >= 64 * KiB) {
        // The bare loop's state, beside the plain Google Benchmark loop.
        GroupSpec r = Spec(dtype, bytes, State::kResident, 0.5);
        r.variants = {"maximum"};
        r.peers = false;
        r.budget.max_rounds = 40;
        p.groups.push_back(r);
        p.gbench.push_back({dtype, bytes / ElemBytes(dtype), "maximum", "highway"});
      }
      if (class_size) {
        GroupSpec d = Spec(dtype, bytes, State::kDram, 0.6);
        d.budget.max_rounds = 40;
        d.variants = kMaximumPair;
        p.groups.push_back(d);
        for (int neg : {0, 100}) {
          GroupSpec s = Spec(dtype, bytes, State::kProducer, 0.4);
          s.cond.neg = neg;
          s.variants = kSignSensitive;
          s.peers = false;
          s.copies = false;
          s.budget.max_rounds = 40;
          p.groups.push_back(s);
        }
      }
    }
  }
}

void AddStackOverflow(Preset& p, double scale) {
  for (DType dtype : {DType::kF64, DType::kF32}) {
    GroupSpec g;
    g.cond.dtype = dtype;
    g.cond.n = kSoN;
    g.cond.rows = kSoRows;
    g.fresh = true;
    g.two_threads = kMaximumPair;
    g.budget = BudgetFor(kSoN * ElemBytes(dtype), scale);
    p.groups.push_back(g);
  }
}

}  // namespace

std::vector<size_t> Octaves(size_t from, size_t to) {
  std::vector<size_t> sizes;
  for (size_t b = from; b <= to; b *= 2) sizes.push_back(b);
  return sizes;
}

Preset FindPreset(const std::string& name) {
  Preset p;
  p.name = name;
  if (name == "quick") {
    for (DType dtype : {DType::kF32, DType::kF64}) {
      for (size_t bytes : kClassSizes) {
        GroupSpec g = Spec(dtype, bytes, State::kProducer, 0.25);
        g.budget.max_rounds = 30;
        g.two_threads = kMaximumPair;
        p.groups.push_back(g);
      }
      GroupSpec r = Spec(dtype, 4 * MiB, State::kResident, 0.25);
      r.variants = {"maximum"};
      r.peers = false;
      p.groups.push_back(r);
      p.gbench.push_back({dtype, 4 * MiB / ElemBytes(dtype), "maximum", "highway"});
    }
    return p;
  }
  if (name == "full") {
    AddFull(p);
    return p;
  }
  if (name == "so") {
    AddStackOverflow(p, 2.0);
    return p;
  }
  throw std::invalid_argument("unknown preset '" + name +
                              "' (expected quick, full or so)");
}

namespace {

template <typename T>
void AddKernels(const GroupSpec& spec, std::vector<Contender>& out) {
  const std::vector<int64_t> targets = HighwayUsableTargets();
  for (const VariantInfo& v : Variants()) {
    if (!Listed(spec.variants, v.name)) continue;
    const bool in_place = v.kind == Kind::kInPlace;
    for (const Kernel<T>& k : Kernels<T>()) {
      if (k.variant != &v) continue;
      Condition c = spec.cond;
      c.out = "reuse";
      out.push_back(KernelContender(k, c));
      if (spec.fresh && !in_place) {
        c.out = "fresh";
        out.push_back(KernelContender(k, c));
      }
      if (k.form == Form::kHighway && In(spec.every_isa, v.name)) {
        c.out = "reuse";
        for (int64_t t : targets) out.push_back(KernelContender(k, c, t));
      }
    }
    if (spec.peers) {
      for (const Peer& peer : Peers()) {
        if (peer.variant != v.id || peer.dtype != DTypeOf<T>()) continue;
        out.push_back(PeerContender(peer, spec.cond));
      }
    }
  }
  // Two threads: Highway, the peers and the copies.
  if (spec.two_threads.empty()) return;
  Condition c2 = spec.cond;
  c2.threads = 2;
  c2.out = "reuse";
  for (const VariantInfo& v : Variants()) {
    if (!In(spec.two_threads, v.name)) continue;
    out.push_back(KernelContender(Find<T>(v.id, Form::kHighway), c2));
    if (spec.peers) {
      for (const Peer& peer : Peers()) {
        if (peer.variant == v.id && peer.dtype == DTypeOf<T>()) {
          out.push_back(PeerContender(peer, c2));
        }
      }
    }
  }
  if (spec.copies) {
    for (const CopyRef& copy : CopyRefs()) out.push_back(CopyContender(copy, c2));
  }
}

}  // namespace

std::vector<Contender> BuildGroup(const GroupSpec& spec) {
  std::vector<Contender> out;
  if (spec.copies) {
    for (const CopyRef& copy : CopyRefs()) {
      if (spec.cond.state == State::kResident && copy.in_place) continue;
      out.push_back(CopyContender(copy, spec.cond));
    }
  }
  if (spec.cond.dtype == DType::kF32) {
    AddKernels<float>(spec, out);
  } else {
    AddKernels<double>(spec, out);
  }
  // Resident cannot restore, so nothing that rewrites its input runs there.
  if (spec.cond.state == State::kResident) {
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Contender& c) {
                               return !StateAllows(State::kResident, c.access);
                             }),
              out.end());
  }
  return out;
}

}  // namespace relu::bench
