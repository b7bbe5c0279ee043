// Tests for the C++ peers (bench/peers.h): max(x, 0), in place, one thread; prints edge values.
//
// Peers are not held to NumPy's semantics, so NaN, -0.0, infinities and
// denormals are printed (and recorded as test properties), not asserted.
#include "bench/peers.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kernels/relu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define RELU_TEST_HAVE_MXCSR 1
#endif

namespace relu {
namespace {

constexpr size_t kAlign = 64;             // a cache line and an AVX-512 vector
constexpr size_t kMaxOffset = 15;         // element offsets from kAlign tested
constexpr size_t kGuard = 16;             // elements checked untouched past n
constexpr size_t kLarge = (1 << 20) + 3;  // many 4 KiB tiles, odd tail

// A kAlign-aligned allocation with room for an element offset, and guard
// elements after n (which also covers XNNPACK's XNN_EXTRA_BYTES read slack).
template <typename T>
class Buffer {
 public:
  Buffer(size_t n, size_t offset) : n_(n), offset_(offset) {
    const size_t bytes = (offset + n + kGuard) * sizeof(T);
    base_.reset(static_cast<T*>(
        std::aligned_alloc(kAlign, (bytes + kAlign - 1) / kAlign * kAlign)));
  }
  T* data() { return base_.get() + offset_; }
  // Fills [data() - offset, data() + n + kGuard) with `value`.
  void FillAll(T value) {
    std::fill(base_.get(), base_.get() + offset_ + n_ + kGuard, value);
  }
  // True when nothing outside [data(), data() + n) differs from `value`.
  bool OutsideEquals(T value) const {
    const T* b = base_.get();
    for (size_t i = 0; i < offset_; ++i) {
      if (std::memcmp(&b[i], &value, sizeof(T)) != 0) return false;
    }
    for (size_t i = offset_ + n_; i < offset_ + n_ + kGuard; ++i) {
      if (std::memcmp(&b[i], &value, sizeof(T)) != 0) return false;
    }
    return true;
  }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  size_t n_;
  size_t offset_;
  std::unique_ptr<T, Free> base_;
};

template <typename T>
void FillRandom(T* x, size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<T> dist(T(-0.5), T(0.5));
  for (size_t i = 0; i < n; ++i) x[i] = dist(rng);
}

// A NaN with a payload no peer computes, so that a write past n shows.
template <typename T>
T Sentinel() {
  if constexpr (sizeof(T) == 4) {
    const uint32_t bits = 0x7FC0DEADu;
    T v;
    std::memcpy(&v, &bits, sizeof(v));
    return v;
  } else {
    const uint64_t bits = 0x7FF80000DEADBEEFull;
    T v;
    std::memcpy(&v, &bits, sizeof(v));
    return v;
  }
}

std::string PeerLabel(const Peer& p) { return p.Name(); }

// Binds a peer of a one-input variant with its default parameters.
std::unique_ptr<PeerCall> BindPeer(const Peer& peer, const void* in, void* out,
                                   size_t n, size_t threads = 1) {
  PeerArgs a;
  a.in = in;
  // A dout for backward peers: the input itself will do for what these
  // tests check (threads, floating-point mode, bounds).
  a.in2 = in;
  a.out = out;
  a.n = n;
  a.params = Info(peer.variant).defaults;
  a.threads = threads;
  return peer.bind(a);
}

// Out of place, n elements, input and output at the given element offsets
// from a 64-byte boundary: equals max(x, 0), input unchanged, nothing written
// outside out[0, n).
template <typename T>
void CheckOutOfPlace(const Peer& peer, size_t n, size_t in_offset,
                     size_t out_offset, std::mt19937_64& rng) {
  SCOPED_TRACE(PeerLabel(peer) + " n=" + std::to_string(n) +
               " in_offset=" + std::to_string(in_offset) +
               " out_offset=" + std::to_string(out_offset));
  Buffer<T> in(n, in_offset);
  Buffer<T> out(n, out_offset);
  in.FillAll(T(0.25));
  FillRandom(in.data(), n, rng);
  const std::vector<T> original(in.data(), in.data() + n);
  out.FillAll(Sentinel<T>());

  std::unique_ptr<PeerCall> call = BindPeer(peer, in.data(), out.data(), n);
  call->Run();

  size_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    const T want = std::max(original[i], T(0));
    if (!(out.data()[i] == want) && ++bad <= 3) {
      ADD_FAILURE() << "out[" << i << "] = " << out.data()[i] << ", want "
                    << want << " (x = " << original[i] << ")";
    }
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_TRUE(out.OutsideEquals(Sentinel<T>())) << "wrote outside out[0, n)";
  EXPECT_TRUE(std::equal(original.begin(), original.end(), in.data()))
      << "modified its input";
}

// In place: the call reads and writes the one buffer.
template <typename T>
void CheckInPlace(const Peer& peer, size_t n, size_t offset,
                  std::mt19937_64& rng) {
  SCOPED_TRACE(PeerLabel(peer) + " n=" + std::to_string(n) +
               " offset=" + std::to_string(offset));
  Buffer<T> buf(n, offset);
  buf.FillAll(Sentinel<T>());
  FillRandom(buf.data(), n, rng);
  const std::vector<T> original(buf.data(), buf.data() + n);

  std::unique_ptr<PeerCall> call = BindPeer(peer, buf.data(), buf.data(), n);
  call->Run();

  size_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    const T want = std::max(original[i], T(0));
    if (!(buf.data()[i] == want) && ++bad <= 3) {
      ADD_FAILURE() << "buf[" << i << "] = " << buf.data()[i] << ", want "
                    << want << " (x = " << original[i] << ")";
    }
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_TRUE(buf.OutsideEquals(Sentinel<T>())) << "wrote outside buf[0, n)";
}

std::vector<size_t> Lengths() {
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  lengths.push_back(1024);
  lengths.push_back(4096 + 5);
  lengths.push_back(kLarge);
  return lengths;
}

template <typename F>
void ForEachPeer(Variant variant, F&& f) {
  for (const Peer& peer : Peers()) {
    if (peer.variant != variant) continue;
    if (peer.dtype == DType::kF32) {
      f(peer, float{});
    } else {
      f(peer, double{});
    }
  }
}

TEST(PeersTest, EveryBuiltLibraryHasPeersAndEveryPeerABuiltLibrary) {
  std::set<std::string> built;
  for (const auto& [library, version] : PeerVersions()) {
    std::cout << "peer library " << library << ": " << version << "\n";
    EXPECT_FALSE(version.empty()) << library;
    if (version != "not built") built.insert(library);
  }
  std::set<std::string> with_peers;
  for (const Peer& peer : Peers()) with_peers.insert(peer.form);
  EXPECT_EQ(built, with_peers);
}

TEST(PeersTest, NamesAreVariantFormDtype) {
  std::set<std::string> names;
  for (const Peer& peer : Peers()) {
    const std::string want = std::string(Info(peer.variant).name) + "/" +
                             peer.form + "/" + DTypeName(peer.dtype);
    EXPECT_EQ(peer.Name(), want);
    EXPECT_TRUE(peer.form == "xnnpack" || peer.form == "onednn") << peer.form;
    EXPECT_TRUE(peer.variant == Variant::kMaximum ||
                peer.variant == Variant::kMaximumInplace ||
                peer.variant == Variant::kLeaky ||
                peer.variant == Variant::kBackwardWhere)
        << peer.Name();
    EXPECT_TRUE(names.insert(peer.Name()).second)
        << "duplicate " << peer.Name();
    EXPECT_TRUE(static_cast<bool>(peer.bind)) << peer.Name();
  }
}

TEST(PeersTest, OnednnVersionIsDotted) {
  for (const auto& [library, version] : PeerVersions()) {
    if (library != "onednn" || version == "not built") continue;
    int major = -1, minor = -1, patch = -1;
    EXPECT_EQ(std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch),
              3)
        << version;
  }
}

TEST(PeersTest, OutOfPlaceEqualsMaxForEveryLengthAndOffset) {
  std::mt19937_64 rng(12345);
  ForEachPeer(Variant::kMaximum, [&](const Peer& peer, auto zero) {
    using T = decltype(zero);
    for (size_t n : Lengths()) {
      // Every input offset, each with a different output offset, so that the
      // two pointers are rarely aligned alike; the large size once per pair
      // of extremes only, to keep the test quick.
      const size_t offsets = n == kLarge ? 2 : kMaxOffset + 1;
      for (size_t k = 0; k < offsets; ++k) {
        const size_t in_offset = n == kLarge ? k * kMaxOffset : k;
        const size_t out_offset = (in_offset * 7 + 3) % (kMaxOffset + 1);
        CheckOutOfPlace<T>(peer, n, in_offset, out_offset, rng);
        if (HasFailure()) return;
      }
    }
  });
}

TEST(PeersTest, InPlaceComputesInPlace) {
  std::mt19937_64 rng(54321);
  ForEachPeer(Variant::kMaximumInplace, [&](const Peer& peer, auto zero) {
    using T = decltype(zero);
    for (size_t n : Lengths()) {
      const size_t offsets = n == kLarge ? 2 : kMaxOffset + 1;
      for (size_t k = 0; k < offsets; ++k) {
        CheckInPlace<T>(peer, n, n == kLarge ? k * kMaxOffset : k, rng);
        if (HasFailure()) return;
      }
    }
  });
}

// The suite binds once and refills the input between runs, so Run() must read
// the buffers as they are now, not as they were at bind time.
TEST(PeersTest, RunReadsCurrentContents) {
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DType::kF32 || (peer.variant != Variant::kMaximum &&
                                      peer.variant != Variant::kMaximumInplace)) {
      continue;
    }
    SCOPED_TRACE(peer.Name());
    const size_t n = 1000;
    std::mt19937_64 rng(7);
    std::vector<float> in(n + kGuard), out(n + kGuard);
    float* dst =
        peer.variant == Variant::kMaximumInplace ? in.data() : out.data();
    std::unique_ptr<PeerCall> call = BindPeer(peer, in.data(), dst, n);
    for (int round = 0; round < 3; ++round) {
      FillRandom(in.data(), n, rng);
      const std::vector<float> original(in.begin(), in.begin() + n);
      call->Run();
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(dst[i], std::max(original[i], 0.0f))
            << "round " << round << " i " << i;
      }
    }
  }
}

// Two calls bound at once (a ring of buffers) must not share pointers.
TEST(PeersTest, CallsBoundTogetherStayIndependent) {
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DType::kF32 || peer.variant != Variant::kMaximum) {
      continue;
    }
    SCOPED_TRACE(peer.Name());
    const size_t n = 300;
    std::vector<float> a(n + kGuard, -1.0f), b(n + kGuard, 2.0f);
    std::vector<float> out_a(n + kGuard, 9.0f), out_b(n + kGuard, 9.0f);
    auto call_a = BindPeer(peer, a.data(), out_a.data(), n);
    auto call_b = BindPeer(peer, b.data(), out_b.data(), n);
    call_b->Run();
    call_a->Run();
    EXPECT_EQ(out_a[0], 0.0f);
    EXPECT_EQ(out_a[n - 1], 0.0f);
    EXPECT_EQ(out_b[0], 2.0f);
    EXPECT_EQ(out_b[n - 1], 2.0f);
  }
}

// Leaky ReLU with the vocabulary's slope, out of place: x for x > 0, else
// float(alpha) * x, bit for bit (the data has no NaN or signed zero).
TEST(PeersTest, LeakyMatchesItsDefinition) {
  std::mt19937_64 rng(99);
  ForEachPeer(Variant::kLeaky, [&](const Peer& peer, auto zero) {
    using T = decltype(zero);
    const T alpha = static_cast<T>(Info(Variant::kLeaky).defaults.alpha);
    for (size_t n : {size_t{0}, size_t{7}, size_t{1000}, kLarge}) {
      SCOPED_TRACE(peer.Name() + " n=" + std::to_string(n));
      std::vector<T> in(n + kGuard), out(n + kGuard, Sentinel<T>());
      FillRandom(in.data(), n, rng);
      BindPeer(peer, in.data(), out.data(), n)->Run();
      for (size_t i = 0; i < n; ++i) {
        const T want = in[i] > T(0) ? in[i] : alpha * in[i];
        ASSERT_EQ(out[i], want) << "i " << i << " x " << in[i];
      }
      EXPECT_TRUE(std::isnan(out[n])) << "wrote past n";
    }
  });
}

// ReLU's backward pass: dout where x > 0, else a zero of either sign.
TEST(PeersTest, BackwardMatchesWhere) {
  std::mt19937_64 rng(77);
  ForEachPeer(Variant::kBackwardWhere, [&](const Peer& peer, auto zero) {
    using T = decltype(zero);
    for (size_t n : {size_t{0}, size_t{9}, size_t{4096 + 5}, kLarge}) {
      SCOPED_TRACE(peer.Name() + " n=" + std::to_string(n));
      std::vector<T> x(n + kGuard), dout(n + kGuard), out(n + kGuard, Sentinel<T>());
      FillRandom(x.data(), n, rng);
      FillRandom(dout.data(), n, rng);
      PeerArgs a;
      a.in = x.data();
      a.in2 = dout.data();
      a.out = out.data();
      a.n = n;
      peer.bind(a)->Run();
      for (size_t i = 0; i < n; ++i) {
        const T want = x[i] > T(0) ? dout[i] : T(0);
        ASSERT_EQ(out[i], want) << "i " << i;
      }
    }
  });
}

// On two threads a peer computes what it computes on one.
TEST(PeersTest, TwoThreadsGiveTheSameResult) {
  std::mt19937_64 rng(5);
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DType::kF32 || peer.variant != Variant::kMaximum) continue;
    SCOPED_TRACE(peer.Name());
    const size_t n = kLarge;
    std::vector<float> in(n + kGuard), one(n + kGuard), two(n + kGuard);
    FillRandom(in.data(), n, rng);
    BindPeer(peer, in.data(), one.data(), n, 1)->Run();
    BindPeer(peer, in.data(), two.data(), n, 2)->Run();
    EXPECT_EQ(one, two);
  }
}

std::string Describe(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  std::ostringstream s;
  s << std::setprecision(9) << v << " (0x" << std::hex << std::setw(8)
    << std::setfill('0') << bits << ")";
  return s.str();
}

std::string Describe(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  std::ostringstream s;
  s << std::setprecision(17) << v << " (0x" << std::hex << std::setw(16)
    << std::setfill('0') << bits << ")";
  return s.str();
}

template <typename T>
std::vector<std::pair<std::string, T>> EdgeInputs() {
  using L = std::numeric_limits<T>;
  return {
      {"nan", L::quiet_NaN()},
      {"-nan", -L::quiet_NaN()},
      {"-0.0", T(-0.0)},
      {"+0.0", T(0.0)},
      {"-inf", -L::infinity()},
      {"+inf", L::infinity()},
      {"-denorm_min", -L::denorm_min()},
      {"+denorm_min", L::denorm_min()},
      {"-min_normal/2", -L::min() / 2},
      {"+min_normal/2", L::min() / 2},
      {"-1", T(-1)},
      {"+1", T(1)},
  };
}

// Reports each peer's result for the edge values, in the vector body and in
// the remainder (kernels often handle the tail with different instructions),
// out of place and in place. Not assertions: peers owe nothing to NumPy here.
TEST(PeersTest, ReportEdgeValues) {
  ForEachPeer(Variant::kMaximum, [&](const Peer& peer, auto zero) {
    using T = decltype(zero);
    const auto inputs = EdgeInputs<T>();
    // 64 + 12 elements: the edge values once at the start (body) and once at
    // the very end (tail, after the last full 16-wide vector).
    const size_t n = 64 + inputs.size();
    std::vector<T> in(n + kGuard, T(1)), out(n + kGuard, Sentinel<T>());
    for (size_t i = 0; i < inputs.size(); ++i) {
      in[i] = inputs[i].second;
      in[64 + i] = inputs[i].second;
    }
    std::vector<T> inplace = in;
    BindPeer(peer, in.data(), out.data(), n)->Run();
    for (const Peer& other : Peers()) {
      if (other.form == peer.form && other.dtype == peer.dtype &&
          other.variant == Variant::kMaximumInplace) {
        BindPeer(other, inplace.data(), inplace.data(), n)->Run();
      }
    }
    std::cout << "edge values, " << peer.form << " " << DTypeName(peer.dtype)
              << " (out of place body / tail; in place body / tail):\n";
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string body = Describe(out[i]);
      const std::string tail = Describe(out[64 + i]);
      const std::string ip_body = Describe(inplace[i]);
      const std::string ip_tail = Describe(inplace[64 + i]);
      std::cout << "  " << std::setw(14) << inputs[i].first << " -> " << body;
      if (tail != body || ip_body != body || ip_tail != body) {
        std::cout << " | tail " << tail << " | in place " << ip_body << " / "
                  << ip_tail;
      }
      std::cout << "\n";
      RecordProperty(
          peer.form + "_" + DTypeName(peer.dtype) + "_" + inputs[i].first,
          body);
    }
  });
}

// XNNPACK runs with denormals flushed (pthreadpool sets FTZ and DAZ around
// the run); a peer that left them set would change every later benchmark's
// denormal results and timings.
TEST(PeersTest, RunLeavesFloatingPointModeAlone) {
#ifdef RELU_TEST_HAVE_MXCSR
  // The low six bits are sticky exception flags, not modes.
  constexpr unsigned kModeBits = ~0x3Fu;
  const unsigned before = _mm_getcsr() & kModeBits;
  const size_t n = 1000;
  std::vector<float> in(n + kGuard, std::numeric_limits<float>::denorm_min());
  std::vector<float> out(n + kGuard);
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DType::kF32) continue;
    float* dst =
        peer.variant == Variant::kMaximumInplace ? in.data() : out.data();
    BindPeer(peer, in.data(), dst, n)->Run();
    EXPECT_EQ(_mm_getcsr() & kModeBits, before) << peer.Name();
  }
#else
  GTEST_SKIP() << "MXCSR is x86 only";
#endif
}

size_t ThreadCount() {
  size_t count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') ++count;
    }
    closedir(dir);
  }
  return count;
}

// A peer that ran multi-threaded would have started worker threads (OpenMP's
// or pthreadpool's), and both keep them alive; ctest runs each test in its own
// process, so any thread beyond this one came from the peers.
TEST(PeersTest, RunStartsNoThreads) {
  if (ThreadCount() == 0) GTEST_SKIP() << "no /proc/self/task";
  if (std::thread::hardware_concurrency() < 2) {
    GTEST_SKIP() << "one CPU: a peer could not run multi-threaded anyway";
  }
  const size_t before = ThreadCount();
  std::cout << "threads before: " << before << "\n";
  const size_t n = 1 << 22;
  std::vector<float> in(n + kGuard, -1.0f), out(n + kGuard);
  for (const Peer& peer : Peers()) {
    if (peer.dtype != DType::kF32) continue;
    float* dst =
        peer.variant == Variant::kMaximumInplace ? in.data() : out.data();
    auto call = BindPeer(peer, in.data(), dst, n);
    for (int i = 0; i < 5; ++i) call->Run();
    EXPECT_EQ(ThreadCount(), before) << peer.Name() << " started threads";
  }
}

}  // namespace
}  // namespace relu
