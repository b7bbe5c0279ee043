// The fair protocol, tested through the suite's own runners under Google Benchmark.
//
// A probe kernel records what each timed call receives, then does the real
// in-place work; if any call saw input an earlier call had rectified, the
// protocol is broken. A deliberately wrong kernel must turn its row into an
// error, so no fast wrong number can reach a report.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "bench/harness.h"
#include "bench/runners.h"
#include "gtest/gtest.h"
#include "kernels/relu.h"

namespace relu {
namespace bench {
namespace {

// What each probed call saw: the fraction of negative inputs.
std::vector<double> g_seen;
KernelFn<float> g_inner_f32 = nullptr;
KernelFn<double> g_inner_f64 = nullptr;

template <typename T>
KernelFn<T>& Inner();
template <>
KernelFn<float>& Inner<float>() {
  return g_inner_f32;
}
template <>
KernelFn<double>& Inner<double>() {
  return g_inner_f64;
}

template <typename T>
void Probe(const T* in, const T* zeros, T* out, size_t n) {
  const size_t negative =
      static_cast<size_t>(std::count_if(out, out + n, [](T v) { return v < T(0); }));
  g_seen.push_back(static_cast<double>(negative) / static_cast<double>(n));
  Inner<T>()(in, zeros, out, n);
}

// Collects the rows Google Benchmark reports, quietly.
class Collector : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    rows.insert(rows.end(), runs.begin(), runs.end());
  }
  std::vector<Run> rows;
};

std::vector<benchmark::BenchmarkReporter::Run> RunOne(
    const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::ClearRegisteredBenchmarks();
  benchmark::RegisterBenchmark(name.c_str(), std::move(fn))
      ->UseManualTime()
      ->MinTime(0.02);
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::ClearRegisteredBenchmarks();
  return collector.rows;
}

struct Case {
  size_t n;
  CacheState cache;
  int neg;
};

template <typename T>
void CheckInPlaceVariants() {
  const Case cases[] = {
      {1024, CacheState::kHot, 50},   // several slots per batch
      {4096, CacheState::kHot, 100},  // every value negative
      {1 << 16, CacheState::kCold, 50},  // a ring larger than the LLC
      {size_t{1} << 23, CacheState::kHot, 50},  // one slot per batch
  };
  for (const VariantInfo& v : Variants()) {
    if (v.kind != Kind::kInPlace) continue;
    Inner<T>() = Find<T>(v.id, Form::kScalar).fn;
    const Kernel<T> probe{&v, Form::kScalar, &Probe<T>};
    for (const Case& c : cases) {
      Condition cond;
      cond.n = c.n;
      cond.out = OutPolicy::kInPlace;
      cond.cache = c.cache;
      cond.neg = c.neg;
      g_seen.clear();
      const auto rows = RunOne("probe", [&](benchmark::State& s) {
        RunKernel<T>(s, probe, cond);
      });
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_FALSE(rows[0].error_occurred) << rows[0].error_message;
      const double slots = rows[0].counters.at("ring").value;
      ASSERT_GT(g_seen.size(), 2 * slots)
          << "too few calls to cover several restores";
      // Pristine input has a binomial share of negatives; six standard
      // deviations never trip by chance, and rectified input shows 0%.
      const double want = c.neg / 100.0;
      const double tolerance =
          std::max(0.01, 6 * std::sqrt(want * (1 - want) / c.n));
      for (size_t i = 0; i < g_seen.size(); ++i) {
        ASSERT_NEAR(g_seen[i], want, tolerance)
            << v.name << " n=" << c.n << ": timed call " << i << " of "
            << g_seen.size() << " saw " << g_seen[i] * 100
            << "% negatives, so it got rectified data";
      }
    }
  }
}

TEST(Protocol, InPlaceCallsAlwaysSeePristineInputF32) {
  CheckInPlaceVariants<float>();
}
TEST(Protocol, InPlaceCallsAlwaysSeePristineInputF64) {
  CheckInPlaceVariants<double>();
}

// The probe can tell: without the protocol, the second call on one buffer
// sees no negatives at all.
TEST(Protocol, ProbeDetectsRectifiedInput) {
  Inner<float>() = Find<float>(Variant::kMaximumInplace, Form::kScalar).fn;
  std::vector<float> x(4096);
  FillUniform(x.data(), x.size(), 50, 7);
  g_seen.clear();
  Probe<float>(x.data(), nullptr, x.data(), x.size());
  Probe<float>(x.data(), nullptr, x.data(), x.size());
  ASSERT_EQ(g_seen.size(), 2u);
  EXPECT_NEAR(g_seen[0], 0.5, 0.05);
  EXPECT_EQ(g_seen[1], 0.0);
}

// Forgets NumPy's NaN rule: on this data (no NaN) that is invisible, so
// break it visibly instead, by keeping negatives.
template <typename T>
void WrongMaximum(const T* in, const T* /*zeros*/, T* out, size_t n) {
  std::copy(in, in + n, out);
}

TEST(Protocol, WrongResultsBecomeErrors) {
  const Kernel<float> wrong{&Info(Variant::kMaximum), Form::kHighway,
                            &WrongMaximum<float>};
  for (OutPolicy out : {OutPolicy::kReuse, OutPolicy::kFresh}) {
    for (bool bare : {false, true}) {
      Condition cond;
      cond.n = 2048;
      cond.out = out;
      cond.bare = bare;
      const auto rows = RunOne("wrong", [&](benchmark::State& s) {
        RunKernel<float>(s, wrong, cond);
      });
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_TRUE(rows[0].error_occurred)
          << "a wrong kernel produced a timing (out=" << OutPolicyName(out)
          << ", bare=" << bare << ")";
      EXPECT_NE(rows[0].error_message.find("differs"), std::string::npos)
          << rows[0].error_message;
    }
  }
}

TEST(Protocol, NamesFollowTheGrammar) {
  Condition c;
  c.n = 1024;
  EXPECT_EQ(Suffix(c), "/n:1024/out:reuse/cache:hot/neg:50");
  c.shape = "5000x5000";
  c.out = OutPolicy::kFresh;
  c.cache = CacheState::kCold;
  c.neg = 100;
  c.bare = true;
  EXPECT_EQ(Suffix(c),
            "/n:1024/shape:5000x5000/out:fresh/cache:cold/neg:100/harness:bare");
}

TEST(Protocol, HotRingsStayInTheirCacheLevel) {
  const CacheSizes caches{48 << 10, 1 << 20, 32 << 20, "test"};
  // 16 KiB in + 16 KiB out fits L1 once: one slot, not a spill to L2.
  EXPECT_EQ(ChooseRing(4096, 32 << 10, CacheState::kHot, caches).slots, 1u);
  EXPECT_EQ(ChooseRing(4096, 32 << 10, CacheState::kHot, caches).slots, 1u);
  // 4 KiB working sets: several slots, all within L1.
  const RingShape small = ChooseRing(512, 4 << 10, CacheState::kHot, caches);
  EXPECT_GT(small.slots, 1u);
  EXPECT_LE(small.slots * (4 << 10), caches.l1d);
  // Cold rings span at least twice the LLC.
  const RingShape cold = ChooseRing(1 << 16, 512 << 10, CacheState::kCold, caches);
  EXPECT_GE(cold.slots * (512 << 10), 2 * caches.llc);
  // Small rings draw on a larger pool, so the data does not repeat soon.
  EXPECT_GE(small.pool_slots * 512, size_t{1} << 15);
  // A hot ring and its pool share the level: 64 KiB in + 64 KiB out in L2.
  const RingShape l2 = ChooseRing(16384, 128 << 10, CacheState::kHot, caches);
  EXPECT_LE(l2.slots * (128 << 10) + l2.pool_slots * (64 << 10),
            caches.l2 * 3 / 4);
  EXPECT_TRUE(l2.touch_outputs);
  EXPECT_FALSE(l2.stream_restore);
  // A DRAM-sized ring restores with streaming stores.
  EXPECT_TRUE(ChooseRing(1 << 24, 128 << 20, CacheState::kHot, caches)
                  .stream_restore);
}

}  // namespace
}  // namespace bench
}  // namespace relu

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  benchmark::Initialize(&argc, argv);
  return RUN_ALL_TESTS();
}
