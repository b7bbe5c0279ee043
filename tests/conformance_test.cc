// Conformance: every registered kernel, and the Highway form on every target, returns NumPy's result bit for bit.
//
// Each kernel is checked against the per-element oracle (numpy_oracle.h) on
// edge values at every position (in x and in the second input), random data
// of every length 0..300 and more, every element misalignment of every
// pointer, in == out, and (Highway) both the in-cache path and the DRAM path
// (streaming stores out of place, 32-byte vectors on wider targets). Buffers
// end or start at a protected page, so any out-of-bounds read or write
// crashes.
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
  size_t index;    // into Kernels<T>(), or HighwayTargetKernels<T>()
  int64_t target;  // 0: the registry's kernel (dynamic dispatch)
  bool dram;       // Highway: force the DRAM path (both thresholds 0)
};

template <typename T>
const Kernel<T>& KernelOf(const Param& p) {
  return p.target == 0 ? Kernels<T>()[p.index]
                       : HighwayTargetKernels<T>()[p.index].kernel;
}

std::string ParamName(const testing::TestParamInfo<Param>& info) {
  const Param& p = info.param;
  std::string name = p.dtype == DType::kF32 ? KernelOf<float>(p).Name()
                                            : KernelOf<double>(p).Name();
  std::replace(name.begin(), name.end(), '/', '_');
  if (p.target != 0) name += "_" + HighwayTargetName(p.target);
  if (p.dram) name += "_dram";
  return name;
}

void PrintTo(const Param& p, std::ostream* os) {
  *os << ParamName(testing::TestParamInfo<Param>(p, 0));
}

template <typename T>
void AddParams(std::vector<Param>& params) {
  for (size_t i = 0; i < Kernels<T>().size(); ++i) {
    params.push_back({DTypeOf<T>(), i, 0, false});
  }
  const std::vector<int64_t> usable = HighwayUsableTargets();
  const auto& targets = HighwayTargetKernels<T>();
  for (size_t i = 0; i < targets.size(); ++i) {
    if (std::find(usable.begin(), usable.end(), targets[i].target) ==
        usable.end()) {
      continue;
    }
    params.push_back({DTypeOf<T>(), i, targets[i].target, false});
    params.push_back({DTypeOf<T>(), i, targets[i].target, true});
  }
}

std::vector<Param> AllParams() {
  std::vector<Param> params;
  AddParams<float>(params);
  AddParams<double>(params);
  return params;
}

// prelu's row length at n elements: the largest divisor of n up to 40, so
// that rows are sometimes shorter than a vector and sometimes span several.
size_t ChannelsFor(size_t n) {
  for (size_t c = std::min<size_t>(n, 40); c > 1; --c) {
    if (n % c == 0) return c;
  }
  return 1;
}

// The variant's defaults, with prelu's row length for n.
Params ParamsFor(const VariantInfo& v, size_t n) {
  Params p = v.defaults;
  if (v.second == Second::kChannelAlpha) p.channels = ChannelsFor(n);
  return p;
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

// The second input for n elements: zeros for broadcast_zeros (it is
// np.zeros), random values with edges for dout and prelu's slopes.
template <typename T>
std::vector<T> SecondData(const VariantInfo& v, size_t n, const Params& p,
                          uint32_t seed) {
  switch (v.second) {
    case Second::kNone:
      return {};
    case Second::kZeros:
      return std::vector<T>(n, T(0));
    case Second::kChannelAlpha:
      return TestData<T>(p.channels, seed ^ 0x5a5a);
    case Second::kDout:
      break;
  }
  return TestData<T>(n, seed ^ 0xa5a5);
}

// The element of the second input that goes with element i of x.
template <typename T>
T SecondAt(const VariantInfo& v, const T* second, size_t i, const Params& p) {
  if (v.second == Second::kNone) return T(0);
  return v.second == Second::kChannelAlpha ? second[i % p.channels]
                                           : second[i];
}

// Compares out (the variant's output type) with the oracle on x.
template <typename R, typename T>
::testing::AssertionResult MatchesAs(const Kernel<T>& k, const T* x,
                                     const T* second, const void* out_v,
                                     size_t n, const Params& p) {
  const R* out = static_cast<const R*>(out_v);
  for (size_t i = 0; i < n; ++i) {
    const T s = SecondAt(*k.variant, second, i, p);
    const R want = Oracle<R>(k.variant->id, x[i], s, p);
    if (!SameResult(out[i], want)) {
      auto failure = ::testing::AssertionFailure();
      failure << k.Name() << " n=" << n << " i=" << i << ": input " << x[i]
              << " (" << HexBits(x[i]) << ")";
      if (k.variant->second != Second::kNone) {
        failure << " with second input " << s << " (" << HexBits(s) << ")";
      }
      return failure << " gave " << out[i] << " (" << HexBits(out[i])
                     << "), NumPy gives " << want << " (" << HexBits(want)
                     << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult MatchesOracle(const Kernel<T>& k, const T* x,
                                         const T* second, const void* out,
                                         size_t n, const Params& p) {
  switch (k.variant->out_type) {
    case OutType::kF32:
      return MatchesAs<float>(k, x, second, out, n, p);
    case OutType::kF64:
      return MatchesAs<double>(k, x, second, out, n, p);
    case OutType::kSame:
      break;
  }
  return MatchesAs<T>(k, x, second, out, n, p);
}

// Runs the kernel on x the way its kind requires: in-place kernels get a
// copy of x in `out` (which holds n elements of T for them).
template <typename T>
void Call(const Kernel<T>& k, const T* x, const T* second, void* out,
          size_t n, const Params& p) {
  if (k.variant->kind == Kind::kInPlace) {
    if (n != 0) std::memmove(out, x, n * sizeof(T));
    k.fn(static_cast<T*>(out), second, out, n, &p);
  } else {
    k.fn(x, second, out, n, &p);
  }
}

class ConformanceTest : public testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    const Param& p = GetParam();
    saved_stream_ = StreamThresholdBytes();
    saved_narrow_ = NarrowVectorThresholdBytes();
    SetStreamThresholdBytes(p.dram ? 0 : SIZE_MAX);
    SetNarrowVectorThresholdBytes(p.dram ? 0 : SIZE_MAX);
  }
  void TearDown() override {
    SetStreamThresholdBytes(saved_stream_);
    SetNarrowVectorThresholdBytes(saved_narrow_);
  }

  template <typename T>
  void EdgeValuesEverywhere() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    const VariantInfo& v = *k.variant;
    const auto edges = EdgeInputs<T>();
    // Every edge value at every position of lengths up to three AVX-512
    // vectors plus one, so each lands in the unrolled body, the single-
    // vector loop, the overlapping tail and the lane-at-a-time path; in x
    // and, rotated the other way, in the second input.
    const size_t max_len = 3 * kMaxVectorBytes / sizeof(T) + 1;
    for (size_t n = 1; n <= max_len; ++n) {
      const Params p = ParamsFor(v, n);
      for (size_t phase = 0; phase < edges.size(); ++phase) {
        std::vector<T> x(n), out(n * 2);
        for (size_t i = 0; i < n; ++i) {
          x[i] = edges[(i + phase) % edges.size()].value;
        }
        std::vector<T> second = SecondData<T>(v, n, p, 1);
        if (v.second == Second::kDout || v.second == Second::kChannelAlpha) {
          for (size_t i = 0; i < second.size(); ++i) {
            second[i] = edges[(second.size() - i + phase) % edges.size()].value;
          }
        }
        Call(k, x.data(), second.data(), out.data(), n, p);
        ASSERT_TRUE(MatchesOracle(k, x.data(), second.data(), out.data(), n, p));
      }
    }
  }

  // Lengths 0..300 and some larger ones, with every array flush against a
  // protected page: first at the end, then at the start.
  template <typename T>
  void AllLengthsGuarded() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    const VariantInfo& v = *k.variant;
    std::vector<size_t> lengths;
    for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
    for (size_t n : {511, 512, 513, 1000, 4097, 65539}) lengths.push_back(n);
    for (size_t n : lengths) {
      const Params p = ParamsFor(v, n);
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(n));
      const std::vector<T> s = SecondData<T>(v, n, p, static_cast<uint32_t>(n));
      const size_t bytes = n * sizeof(T);
      const size_t out_bytes =
          v.kind == Kind::kInPlace ? bytes : n * OutBytes<T>(v);
      const size_t second_bytes = s.size() * sizeof(T);
      GuardedBuffer in_buf(bytes), out_buf(out_bytes), second_buf(second_bytes);
      for (bool at_tail : {true, false}) {
        T* in = reinterpret_cast<T*>(at_tail ? in_buf.AtTail(bytes)
                                             : in_buf.AtHead());
        void* out = at_tail ? out_buf.AtTail(out_bytes) : out_buf.AtHead();
        T* second = reinterpret_cast<T*>(
            at_tail ? second_buf.AtTail(second_bytes) : second_buf.AtHead());
        if (n != 0) std::memcpy(in, x.data(), bytes);
        std::copy(s.begin(), s.end(), second);
        Call(k, in, second, out, n, p);
        ASSERT_TRUE(MatchesOracle(k, x.data(), s.data(), out, n, p))
            << (at_tail ? " (arrays end at a guard page)"
                        : " (arrays start at a guard page)");
        if (n != 0) {
          ASSERT_EQ(0, std::memcmp(in, x.data(), bytes))
              << k.Name() << " modified its input";
        }
        ASSERT_TRUE(std::equal(s.begin(), s.end(), second,
                               [](T a, T b) { return SameResult(a, b); }))
            << k.Name() << " modified its second input";
      }
    }
  }

  // Every element offset of in, out and the second input from a 64-byte
  // boundary, with sentinels around out that must survive.
  template <typename T>
  void EveryMisalignment() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    const VariantInfo& v = *k.variant;
    switch (v.out_type) {
      case OutType::kF32:
        return EveryMisalignmentAs<T, float>(k);
      case OutType::kF64:
        return EveryMisalignmentAs<T, double>(k);
      case OutType::kSame:
        break;
    }
    EveryMisalignmentAs<T, T>(k);
  }

  template <typename T, typename R>
  void EveryMisalignmentAs(const Kernel<T>& k) {
    const VariantInfo& v = *k.variant;
    constexpr size_t kLanes = kMaxVectorBytes / sizeof(T);
    constexpr size_t kOutLanes = kMaxVectorBytes / sizeof(R);
    constexpr size_t kPad = 2 * kMaxVectorBytes / sizeof(R);
    constexpr size_t kMaxN = 1031;
    const R sentinel = R(12345.5);
    for (size_t n : {1, 3, 17, 33, 100, 257, 1031}) {
      const Params p = ParamsFor(v, n);
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(n + 7));
      const std::vector<T> s = SecondData<T>(v, n, p, static_cast<uint32_t>(n));
      for (size_t in_off = 0; in_off < kLanes; ++in_off) {
        for (size_t out_off = 0; out_off < kOutLanes; ++out_off) {
          alignas(64) static thread_local T in_store[kMaxN + 2 * kLanes];
          alignas(64) static thread_local R out_store[kMaxN + 2 * kPad];
          alignas(64) static thread_local T second_store[kMaxN + 2 * kLanes];
          T* in = in_store + in_off;
          R* out = out_store + kPad + out_off;
          T* second = second_store + (in_off + out_off) % kLanes;
          std::copy(x.begin(), x.end(), in);
          std::copy(s.begin(), s.end(), second);
          std::fill(out_store, out_store + n + 2 * kPad, sentinel);
          if (v.kind == Kind::kInPlace) {
            // In place there is one array: its offset is in_off.
            if constexpr (std::is_same_v<R, T>) {
              out = out_store + kPad + in_off;
              std::copy(x.begin(), x.end(), out);
              k.fn(out, second, out, n, &p);
            }
          } else {
            k.fn(in, second, out, n, &p);
          }
          ASSERT_TRUE(MatchesOracle(k, x.data(), s.data(), out, n, p))
              << " in_off=" << in_off << " out_off=" << out_off;
          for (R* q = out_store; q < out; ++q) {
            ASSERT_EQ(*q, sentinel) << k.Name() << " wrote before out, n=" << n;
          }
          for (R* q = out + n; q < out_store + n + 2 * kPad; ++q) {
            ASSERT_EQ(*q, sentinel) << k.Name() << " wrote past out, n=" << n;
          }
          if (v.kind == Kind::kInPlace) break;  // out_off is in_off
        }
      }
    }
  }

  // in == out: the only call in-place kernels accept, and one the contract
  // allows out-of-place kernels whose output type is the input's (as
  // NumPy's out=x does), idempotent or not.
  template <typename T>
  void Aliased() {
    const Kernel<T>& k = KernelOf<T>(GetParam());
    const VariantInfo& v = *k.variant;
    if (OutBytes<T>(v) != sizeof(T)) {
      GTEST_SKIP() << v.name << " writes another type than it reads";
    }
    for (size_t n : {0, 1, 5, 16, 63, 64, 65, 300, 4099}) {
      const Params p = ParamsFor(v, n);
      const std::vector<T> x = TestData<T>(n, static_cast<uint32_t>(3 * n));
      const std::vector<T> s = SecondData<T>(v, n, p, static_cast<uint32_t>(n));
      std::vector<T> buf = x;
      k.fn(buf.data(), s.data(), buf.data(), n, &p);
      ASSERT_TRUE(MatchesOracle(k, x.data(), s.data(), buf.data(), n, p))
          << " (in == out)";
    }
  }

 private:
  size_t saved_stream_ = 0;
  size_t saved_narrow_ = 0;
};

#define RELU_TYPED_CASE(Method)          \
  if (GetParam().dtype == DType::kF32) { \
    Method<float>();                     \
  } else {                               \
    Method<double>();                    \
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
  EXPECT_EQ(Variants().size(), std::size(vocab::kVariants))
      << "the registry and vocabulary.json list different variants";
  std::set<std::string> names;
  for (const auto& k : Kernels<float>()) names.insert(k.Name());
  for (const auto& k : Kernels<double>()) names.insert(k.Name());
  EXPECT_EQ(names.size(), expected) << "kernel names must be unique";
  for (const VariantInfo& v : Variants()) {
    EXPECT_EQ(FindVariant(v.name), &v);
    for (Form f : {Form::kScalar, Form::kEigen, Form::kHighway}) {
      EXPECT_EQ(Find<float>(v.id, f).variant->id, v.id);
      EXPECT_EQ(Find<double>(v.id, f).form, f);
    }
  }
  EXPECT_EQ(FindVariant("no_such_variant"), nullptr);
}

// Every parameter the vocabulary gives a variant is one Params carries, and
// the defaults arrive: three_param is ReLU-like at (0, 0, 1), leaky's slope
// is 0.01.
TEST(Registry, ParametersComeFromTheVocabulary) {
  EXPECT_EQ(Info(Variant::kLeaky).defaults.alpha, 0.01);
  EXPECT_EQ(Info(Variant::kThreeParam).defaults.a1, 1.0);
  Params p;
  EXPECT_FALSE(SetParam(p, "no_such_parameter", 1.0));
  EXPECT_TRUE(SetParam(p, "alpha", 0.5));
  EXPECT_EQ(p.alpha, 0.5);
}

TEST(Registry, HighwayTestsCoverEveryUsableTarget) {
  // The per-target kernels come from the dispatch tables; every target the
  // CPU supports has each variant, and dispatch's own choice is among them.
  const std::vector<int64_t> usable = HighwayUsableTargets();
  ASSERT_FALSE(usable.empty());
  std::set<std::string> names;
  for (int64_t t : usable) {
    names.insert(HighwayTargetName(t));
    size_t count = 0;
    for (const auto& tk : HighwayTargetKernels<float>()) {
      count += tk.target == t;
    }
    EXPECT_EQ(count, Variants().size()) << HighwayTargetName(t);
  }
  EXPECT_TRUE(names.count(HighwayChosenTarget()))
      << HighwayChosenTarget() << " is not among the tested targets";
  // Highway 1.0.3's portable baseline is SCALAR or EMU128.
  EXPECT_TRUE(names.count("EMU128") || names.count("SCALAR"))
      << "the portable target is not tested";
  std::string list;
  for (const auto& n : names) list += n + " ";
  RecordProperty("highway_targets", list);
  std::printf("Highway targets tested: %s\n", list.c_str());
}

// The per-target kernel of the target dispatch picks is the dispatched
// code itself: same results on data where targets could differ (NaN).
TEST(Registry, TargetKernelsCallTheTargetsCode) {
  const std::string chosen = HighwayChosenTarget();
  for (const auto& tk : HighwayTargetKernels<float>()) {
    if (HighwayTargetName(tk.target) != chosen) continue;
    const Kernel<float>& dispatched =
        Find<float>(tk.kernel.variant->id, Form::kHighway);
    EXPECT_NE(tk.kernel.fn, nullptr);
    EXPECT_NE(tk.kernel.fn, dispatched.fn) << "a table entry, not the wrapper";
  }
}

}  // namespace
}  // namespace relu
