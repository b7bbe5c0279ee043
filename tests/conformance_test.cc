// Conformance: every registered kernel, on every Highway target, returns NumPy's result bit for bit.
//
// Each kernel is checked against the per-element oracle (numpy_oracle.h) on
// edge values at every position, random data of every length 0..300 and
// more, every element misalignment of every pointer, in-place aliasing, and
// (Highway) both the in-cache path and the DRAM path (streaming stores out
// of place, 32-byte vectors on wider targets). Buffers end or
// start at a protected page, so any out-of-bounds read or write crashes.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hwy/targets.h"
#include "kernels/edge_inputs.h"
#include "kernels/relu.h"
#include "tests/numpy_oracle.h"

namespace relu {
namespace {

constexpr size_t kMaxVectorBytes = 64;  // AVX-512, the widest x86 target

// Memory with a PROT_NONE page on each side; the array is placed flush
// against one of them.
class GuardedBuffer {
 public:
  explicit GuardedBuffer(size_t bytes) {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    body_ = (bytes + page_ - 1) / page_ * page_ + page_;
    total_ = body_ + 2 * page_;
    void* p = mmap(nullptr, total_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    base_ = static_cast<char*>(p);
    mprotect(base_, page_, PROT_NONE);
    mprotect(base_ + page_ + body_, page_, PROT_NONE);
  }
  ~GuardedBuffer() { munmap(base_, total_); }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;

  // An array of `bytes` that starts right after the leading guard page.
  char* AtHead() { return base_ + page_; }
  // An array of `bytes` that ends right at the trailing guard page.
  char* AtTail(size_t bytes) { return base_ + page_ + body_ - bytes; }

 private:
  size_t page_, body_, total_;
  char* base_;
};

struct Param {
  DType dtype;
  size_t index;    // into Kernels<T>()
  int64_t target;  // Highway target to force, 0 for other forms
  bool dram;       // Highway: force the DRAM path (both thresholds 0)
};

template <typename T>
const Kernel<T>& KernelOf(const Param& p) {
  return Kernels<T>()[p.index];
}

std::string ParamName(const testing::TestParamInfo<Param>& info) {
  const Param& p = info.param;
  std::string name = p.dtype == DType::kF32 ? KernelOf<float>(p).Name()
                                            : KernelOf<double>(p).Name();
  std::replace(name.begin(), name.end(), '/', '_');
  if (p.target != 0) name += std::string("_") + hwy::TargetName(p.target);
  if (p.dram) name += "_dram";
  return name;
}

void PrintTo(const Param& p, std::ostream* os) {
  *os << ParamName(testing::TestParamInfo<Param>(p, 0));
}

std::vector<int64_t> TargetsToTest() {
  std::vector<int64_t> targets;
  const int64_t usable = HighwayCompiledTargets() & hwy::SupportedTargets();
  // Unsigned, so the shift past the top target bit is defined (UBSan).
  for (uint64_t bit = 1; bit != 0 && bit <= static_cast<uint64_t>(usable);
       bit <<= 1) {
    if (usable & bit) targets.push_back(static_cast<int64_t>(bit));
  }
  return targets;
}

template <typename T>
void AddParams(std::vector<Param>& params) {
  for (size_t i = 0; i < Kernels<T>().size(); ++i) {
    if (Kernels<T>()[i].form != Form::kHighway) {
      params.push_back({DTypeOf<T>(), i, 0, false});
      continue;
    }
    for (int64_t target : TargetsToTest()) {
      params.push_back({DTypeOf<T>(), i, target, false});
      params.push_back({DTypeOf<T>(), i, target, true});
    }
  }
}

std::vector<Param> AllParams() {
  std::vector<Param> params;
  AddParams<float>(params);
  AddParams<double>(params);
  return params;
}

// Runs the kernel on x (and zeros), the way its kind requires: in-place
// kernels get a copy of x in `out`.
template <typename T>
void Call(const Kernel<T>& k, const T* x, const T* zeros, T* out, size_t n) {
  if (k.variant->kind == Kind::kInPlace) {
    if (n != 0) std::memmove(out, x, n * sizeof(T));
    k.fn(out, zeros, out, n);
  } else {
    k.fn(x, zeros, out, n);
  }
}

// Prints a Param as its test name rather than as raw bytes.
void PrintTo(const Param& p, std::ostream* os);

template <typename T>
::testing::AssertionResult MatchesOracle(const Kernel<T>& k, const T* x,
                                         const T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const T want = Oracle(k.variant->id, x[i]);
    if (!SameResult(out[i], want)) {
      return ::testing::AssertionFailure()
             << k.Name() << " n=" << n << " i=" << i << ": input " << x[i]
             << " (" << HexBits(x[i]) << ") gave " << out[i] << " ("
             << HexBits(out[i]) << "), NumPy gives " << want << " (" << HexBits(want)
             << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// Uniform in [-0.5, 0.5) with about one edge value in sixteen.
template <typename T>
std::vector<T> TestData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<T> uniform(T(-0.5), T(0.5));
  const auto edges = EdgeInputs<T>();
  std::vector<T> x(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = (rng() % 16 == 0) ? edges[rng() % edges.size()].value
                             : uniform(rng);
  }
  return x;
}

class ConformanceTest : public testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    const Param& p = GetParam();
    saved_stream_ = StreamThresholdBytes();
    saved_narrow_ = NarrowVectorThresholdBytes();
    if (p.target != 0) {
      hwy::SetSupportedTargetsForTest(p.target);
      ASSERT_EQ(HighwayChosenTarget(), hwy::TargetName(p.target))
          << "dispatch did not honour the forced target";
    }
    SetStreamThresholdBytes(p.dram ? 0 : SIZE_MAX);
    SetNarrowVectorThresholdBytes(p.dram ? 0 : SIZE_MAX);
  }
  void TearDown() override {
    hwy::SetSupportedTargetsForTest(0);
    SetStreamThresholdBytes(saved_stream_);
    SetNarrowVectorThresholdBytes(saved_narrow_);
  }

  template <typename T>
  void EdgeValuesEverywhere() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    const auto edges = EdgeInputs<T>();
    // Every edge value at every position of lengths up to three AVX-512
    // vectors plus one, so each lands in the unrolled body, the single-
    // vector loop, the overlapping tail and the lane-at-a-time path.
    const size_t max_len = 3 * kMaxVectorBytes / sizeof(T) + 1;
    const std::vector<T> zeros(max_len, T(0));
    for (size_t n = 1; n <= max_len; ++n) {
      for (size_t phase = 0; phase < edges.size(); ++phase) {
        std::vector<T> x(n), out(n);
        for (size_t i = 0; i < n; ++i) {
          x[i] = edges[(i + phase) % edges.size()].value;
        }
        Call(k, x.data(), zeros.data(), out.data(), n);
        ASSERT_TRUE(MatchesOracle(k, x.data(), out.data(), n));
      }
    }
  }

  // Lengths 0..300 and some larger ones, with every array flush against a
  // protected page: first at the end, then at the start.
  template <typename T>
  void AllLengthsGuarded() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    std::vector<size_t> lengths;
    for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
    for (size_t n : {511, 512, 513, 1000, 4097, 65539}) lengths.push_back(n);
    for (size_t n : lengths) {
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(n));
      const size_t bytes = n * sizeof(T);
      GuardedBuffer in_buf(bytes), out_buf(bytes), zeros_buf(bytes);
      for (bool at_tail : {true, false}) {
        T* in = reinterpret_cast<T*>(at_tail ? in_buf.AtTail(bytes)
                                             : in_buf.AtHead());
        T* out = reinterpret_cast<T*>(at_tail ? out_buf.AtTail(bytes)
                                              : out_buf.AtHead());
        T* zeros = reinterpret_cast<T*>(at_tail ? zeros_buf.AtTail(bytes)
                                                : zeros_buf.AtHead());
        if (n != 0) std::memcpy(in, x.data(), bytes);
        std::fill(zeros, zeros + n, T(0));
        Call(k, in, zeros, out, n);
        ASSERT_TRUE(MatchesOracle(k, x.data(), out, n))
            << (at_tail ? " (arrays end at a guard page)"
                        : " (arrays start at a guard page)");
        if (n != 0) {
          ASSERT_EQ(0, std::memcmp(in, x.data(), bytes))
              << k.Name() << " modified its input";
        }
      }
    }
  }

  // Every element offset of in, out and zeros from a 64-byte boundary, with
  // sentinels around out that must survive.
  template <typename T>
  void EveryMisalignment() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    constexpr size_t kLanes = kMaxVectorBytes / sizeof(T);
    constexpr size_t kPad = 2 * kLanes;
    const T sentinel = T(12345.5);
    for (size_t n : {1, 3, 17, 33, 100, 257, 1031}) {
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(n + 7));
      for (size_t in_off = 0; in_off < kLanes; ++in_off) {
        for (size_t out_off = 0; out_off < kLanes; ++out_off) {
          alignas(64) static thread_local T in_store[1031 + 2 * kPad];
          alignas(64) static thread_local T out_store[1031 + 2 * kPad];
          alignas(64) static thread_local T zero_store[1031 + 2 * kPad];
          T* in = in_store + in_off;
          T* out = out_store + kPad + out_off;
          T* zeros = zero_store + (in_off + out_off) % kLanes;
          std::copy(x.begin(), x.end(), in);
          std::fill(zeros, zeros + n, T(0));
          std::fill(out_store, out_store + n + 2 * kPad, sentinel);
          Call(k, in, zeros, out, n);
          ASSERT_TRUE(MatchesOracle(k, x.data(), out, n))
              << " in_off=" << in_off << " out_off=" << out_off;
          for (T* p = out_store; p < out; ++p) {
            ASSERT_EQ(*p, sentinel) << k.Name() << " wrote before out, n=" << n;
          }
          for (T* p = out + n; p < out_store + n + 2 * kPad; ++p) {
            ASSERT_EQ(*p, sentinel) << k.Name() << " wrote past out, n=" << n;
          }
        }
      }
    }
  }

  // in == out: the only call in-place kernels accept, and one the contract
  // allows out-of-place kernels (as np.maximum(x, 0, out=x) does).
  template <typename T>
  void Aliased() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    for (size_t n : {0, 1, 5, 16, 63, 64, 65, 300, 4099}) {
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(3 * n));
      std::vector<T> buf = x;
      const std::vector<T> zeros(n, T(0));
      k.fn(buf.data(), zeros.data(), buf.data(), n);
      ASSERT_TRUE(MatchesOracle(k, x.data(), buf.data(), n)) << " (in == out)";
    }
  }

 private:
  size_t saved_stream_ = 0;
  size_t saved_narrow_ = 0;
};

#define RELU_TYPED_CASE(Method)                 \
  if (GetParam().dtype == DType::kF32) {        \
    Method<float>();                            \
  } else {                                      \
    Method<double>();                           \
  }

TEST_P(ConformanceTest, EdgeValuesAtEveryPosition) {
  RELU_TYPED_CASE(EdgeValuesEverywhere)
}
TEST_P(ConformanceTest, AllLengthsAgainstGuardPages) {
  RELU_TYPED_CASE(AllLengthsGuarded)
}
TEST_P(ConformanceTest, EveryMisalignment) { RELU_TYPED_CASE(EveryMisalignment) }
TEST_P(ConformanceTest, InEqualsOut) { RELU_TYPED_CASE(Aliased) }

INSTANTIATE_TEST_SUITE_P(Kernels, ConformanceTest,
                         testing::ValuesIn(AllParams()), ParamName);

TEST(Registry, HasEveryVariantFormAndDtypeOnce) {
  const size_t expected = Variants().size() * 3 * 2;
  EXPECT_EQ(KernelCount(), expected);
  EXPECT_EQ(expected, 36u);
  std::set<std::string> names;
  for (const auto& k : Kernels<float>()) names.insert(k.Name());
  for (const auto& k : Kernels<double>()) names.insert(k.Name());
  EXPECT_EQ(names.size(), expected) << "kernel names must be unique";
  for (const VariantInfo& v : Variants()) {
    for (Form f : {Form::kScalar, Form::kEigen, Form::kHighway}) {
      EXPECT_EQ(Find<float>(v.id, f).variant->id, v.id);
      EXPECT_EQ(Find<double>(v.id, f).form, f);
    }
  }
}

TEST(Registry, HighwayTestsCoverSeveralTargets) {
  // The test list is built from what the kernels compiled and the CPU
  // supports; it must include the target dispatch picks by default.
  const std::vector<int64_t> targets = TargetsToTest();
  ASSERT_FALSE(targets.empty());
  std::set<std::string> names;
  for (int64_t t : targets) names.insert(hwy::TargetName(t));
  EXPECT_TRUE(names.count(HighwayChosenTarget()))
      << HighwayChosenTarget() << " is not among the tested targets";
  // Highway 1.0.3's portable baseline is SCALAR; later versions use EMU128.
  EXPECT_TRUE(names.count("EMU128") || names.count("SCALAR"))
      << "the portable target is not tested";
  std::string list;
  for (const auto& n : names) list += n + " ";
  RecordProperty("highway_targets", list);
  std::printf("Highway targets tested: %s\n", list.c_str());
}

}  // namespace
}  // namespace relu
