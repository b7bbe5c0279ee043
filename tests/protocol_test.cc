// The fair protocol, tested through the suite's own rings, states, rounds and results.
//
// A probe kernel records what each timed call receives, then does the real
// work; if any in-place call saw input an earlier call had rectified, the
// protocol is broken. A deliberately wrong kernel must turn its row into an
// error, so no fast wrong number can reach a report. The rows must come out
// in Google Benchmark's schema with one iteration row per round.
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/contenders.h"
#include "bench/quality.h"
#include "bench/results.h"
#include "bench/ring.h"
#include "bench/rounds.h"
#include "bench/states.h"
#include "gtest/gtest.h"
#include "kernels/cpu_caches.h"
#include "kernels/data.h"
#include "kernels/relu.h"
#include "stats/stats.h"

namespace relu::bench {
namespace {

// What each probed call saw: the fraction of negative inputs, and which
// probe ran (for the order of contenders within rounds).
std::vector<double> g_seen;
std::vector<int> g_order;

template <typename T, int kId>
void Probe(const T* in, const T* second, void* out, size_t n,
           const Params* p) {
  const T* x = Info(Variant::kMaximumInplace).kind == Kind::kInPlace
                   ? static_cast<const T*>(out)
                   : in;
  const size_t negative =
      static_cast<size_t>(std::count_if(x, x + n, [](T v) { return v < T(0); }));
  g_seen.push_back(static_cast<double>(negative) / static_cast<double>(n));
  g_order.push_back(kId);
  Find<T>(Variant::kMaximumInplace, Form::kScalar).fn(in, second, out, n, p);
}

// Forgets to rectify every fourth element: a fast, wrong kernel.
template <typename T>
void Wrong(const T* in, const T* second, void* out, size_t n, const Params* p) {
  Find<T>(Variant::kMaximum, Form::kScalar).fn(in, second, out, n, p);
  T* o = static_cast<T*>(out);
  for (size_t i = 0; i < n; i += 4) o[i] = in[i];
}

Budget Rounds(size_t rounds) {
  Budget b;
  b.min_rounds = rounds;
  b.max_rounds = rounds;
  b.max_seconds = 60;
  b.sample_seconds = 2e-5;
  return b;
}

struct Case {
  size_t n;
  State state;
  int neg;
};

template <typename T>
void CheckInPlaceSeesPristineInput() {
  static const Kernel<T> probe{&Info(Variant::kMaximumInplace), Form::kScalar,
                               &Probe<T, 0>};
  const Case cases[] = {
      {1024, State::kProducer, 50},           // several slots per batch
      {4096, State::kProducer, 100},          // every value negative
      {1 << 16, State::kDram, 50},            // flushed and drained
      {size_t{1} << 23, State::kProducer, 50},  // one slot per batch
  };
  for (const Case& c : cases) {
    Condition cond;
    cond.dtype = DTypeOf<T>();
    cond.n = c.n;
    cond.state = c.state;
    cond.neg = c.neg;
    g_seen.clear();
    const std::vector<Contender> group = {KernelContender(probe, cond)};
    const GroupOutcome out = RunRounds(group, Rounds(6), {}, 1, nullptr);
    ASSERT_EQ(out.rows[0].error, "");
    ASSERT_EQ(out.rows[0].seconds.size(), 6u);
    ASSERT_GT(g_seen.size(), 2 * group[0].ring.slots)
        << "too few calls to cover several restores";
    // Pristine input has a binomial share of negatives; six standard
    // deviations never trip by chance, and rectified input shows 0%.
    const double want = c.neg / 100.0;
    const double tolerance =
        std::max(0.01, 6 * std::sqrt(want * (1 - want) / double(c.n)));
    for (size_t i = 0; i < g_seen.size(); ++i) {
      ASSERT_NEAR(g_seen[i], want, tolerance)
          << "n=" << c.n << " state " << StateName(c.state) << ": call " << i
          << " of " << g_seen.size() << " saw " << g_seen[i] * 100
          << "% negatives, so it got rectified data";
    }
  }
}

TEST(Protocol, InPlaceCallsAlwaysSeePristineInputF32) {
  CheckInPlaceSeesPristineInput<float>();
}
TEST(Protocol, InPlaceCallsAlwaysSeePristineInputF64) {
  CheckInPlaceSeesPristineInput<double>();
}

// The probe can tell: without a restore, the second call on one buffer sees
// no negatives at all.
TEST(Protocol, ProbeDetectsRectifiedInput) {
  std::vector<float> x(4096);
  FillUniform(x.data(), x.size(), 50, 7);
  g_seen.clear();
  const Params p;
  Probe<float, 0>(x.data(), nullptr, x.data(), x.size(), &p);
  Probe<float, 0>(x.data(), nullptr, x.data(), x.size(), &p);
  ASSERT_EQ(g_seen.size(), 2u);
  EXPECT_NEAR(g_seen[0], 0.5, 0.05);
  EXPECT_EQ(g_seen[1], 0.0);
}

TEST(Protocol, WrongResultsBecomeErrors) {
  static const Kernel<float> wrong{&Info(Variant::kMaximum), Form::kScalar,
                                   &Wrong<float>};
  Condition c;
  c.n = 1000;
  const GroupOutcome out =
      RunRounds({KernelContender(wrong, c)}, Rounds(3), {}, 1, nullptr);
  EXPECT_NE(out.rows[0].error.find("differs from the scalar reference"),
            std::string::npos)
      << out.rows[0].error;
  const auto runs = ToRuns(KernelContender(wrong, c), out.rows[0], out, 0, 0.02);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].error_occurred);
}

// Records each call, then computes maximum.
template <typename T>
void Counted(const T* in, const T* second, void* out, size_t n,
             const Params* p) {
  g_order.push_back(0);
  Find<T>(Variant::kMaximum, Form::kScalar).fn(in, second, out, n, p);
}

// In the resident state a sample starts with one untimed batch of its own
// contender, so its timed calls read what its own calls left; the producer
// state needs none, its procedure sets the caches before every batch.
TEST(Protocol, ResidentSamplesStartWithAnUntimedBatchOfTheirOwn) {
  static const Kernel<float> counted{&Info(Variant::kMaximum), Form::kScalar,
                                     &Counted<float>};
  for (State state : {State::kResident, State::kProducer}) {
    Condition cond;
    cond.n = 1 << 18;  // a call takes far longer than a sample's target
    cond.state = state;
    g_order.clear();
    const std::vector<Contender> group = {KernelContender(counted, cond)};
    const GroupOutcome out = RunRounds(group, Rounds(5), {}, 1, nullptr);
    ASSERT_EQ(out.rows[0].error, "");
    ASSERT_EQ(out.rows[0].batches, 1u);
    const size_t k = group[0].ring.slots;
    const size_t per_sample = state == State::kResident ? 2 : 1;
    // One calibration batch, the rounds, one verification batch.
    EXPECT_EQ(g_order.size(), k * (1 + 5 * per_sample + 1))
        << StateName(state);
  }
}

// Whether the producer streams its restore past the last-level cache
// depends on the bytes the calls use: an f32 ring's output slots have room
// for 8-byte elements, which an f32 maximum never writes.
TEST(Protocol, TheRingsUseCountsTheOutputTheCallsWrite) {
  Condition c;
  c.dtype = DType::kF32;
  c.n = size_t{1} << 20;  // 4 MiB of input
  const Contender out_of_place =
      KernelContender(Find<float>(Variant::kMaximum, Form::kHighway), c);
  const Contender in_place =
      KernelContender(Find<float>(Variant::kMaximumInplace, Form::kHighway), c);
  EXPECT_EQ(out_of_place.access.out_bytes, c.n * 4);
  EXPECT_EQ(in_place.access.out_bytes, 0u);
  const Ring ring(out_of_place.ring);
  const size_t k = ring.slots();
  EXPECT_EQ(ring.UsedBytes(false, out_of_place.access.out_bytes), k * 8 * c.n);
  EXPECT_EQ(ring.SlotBytes(), k * 12 * c.n);  // the room: 4 + 8 bytes each
}

// A probe kernel that records `kId` in g_order at every call.
template <int kId>
const Kernel<float>& OrderProbe() {
  static const Kernel<float> k{&Info(Variant::kMaximumInplace), Form::kScalar,
                               &Probe<float, kId>};
  return k;
}

// Every contender gets one sample per round, and the order changes from
// round to round (so no contender always runs first, after the restore of
// another, or next to the same neighbour).
TEST(Protocol, RoundsAreShuffled) {
  const Kernel<float>& a = OrderProbe<1>();
  const Kernel<float>& b = OrderProbe<2>();
  const Kernel<float>& c = OrderProbe<3>();
  Condition cond;
  cond.n = 1 << 18;  // one slot: one call per sample
  g_order.clear();
  const std::vector<Contender> group = {KernelContender(a, cond),
                                        KernelContender(b, cond),
                                        KernelContender(c, cond)};
  const GroupOutcome out = RunRounds(group, Rounds(12), {}, 5, nullptr);
  for (const Samples& s : out.rows) EXPECT_EQ(s.seconds.size(), 12u);
  // Drop the warm-up calls, then read who ran first in each round.
  std::vector<int> timed(g_order.end() - long(12 * 3 * out.rows[0].calls),
                         g_order.end());
  std::set<int> firsts;
  for (size_t r = 0; r < 12; ++r) {
    firsts.insert(timed[r * 3 * out.rows[0].calls]);
  }
  EXPECT_GT(firsts.size(), 1u) << "the same contender ran first every round";
}

// Where the state's procedure sets everything a batch touches (producer,
// dram), one-thread rows take turns batch by batch, each with its own B
// batches a round, so a slow stretch of the machine lands on all of them;
// resident rows keep their samples whole, since each sample starts from
// what its own calls left.
TEST(Protocol, OneThreadRowsTakeTurnsBatchByBatch) {
  const Kernel<float>& a = OrderProbe<1>();
  const Kernel<float>& b = OrderProbe<2>();
  for (State state : {State::kProducer, State::kDram, State::kResident}) {
    Condition cond;
    cond.n = 1 << 14;
    cond.state = state;
    const std::vector<Contender> group = {KernelContender(a, cond),
                                          KernelContender(b, cond)};
    Budget budget = Rounds(6);
    budget.sample_seconds = 2e-3;
    g_order.clear();
    const GroupOutcome out = RunRounds(group, budget, {}, 3, nullptr);
    ASSERT_EQ(out.rows[0].error, "");
    ASSERT_EQ(out.rows[1].error, "");
    const size_t calls = out.rows[0].calls + out.rows[1].calls;
    ASSERT_GE(out.rows[0].batches, 4u) << StateName(state);
    // Each row's calls: its calibration batches, then per round its B
    // batches (and the resident state's untimed one), then one to verify.
    const size_t extra = state == State::kResident ? 2 : 0;
    const size_t k = group[0].ring.slots,
                 rounds_calls = 6 * (calls + extra * k);
    ASSERT_GE(g_order.size(), rounds_calls + 2 * k);
    const std::vector<int> timed(g_order.end() - long(rounds_calls + 2 * k),
                                 g_order.end() - long(2 * k));
    EXPECT_EQ(size_t(std::count(timed.begin(), timed.end(), 1)),
              6 * (out.rows[0].calls + extra / 2 * k))
        << StateName(state);
    size_t switches = 0;
    for (size_t i = 1; i < timed.size(); ++i)
      switches += timed[i] != timed[i - 1];
    if (state == State::kResident) {
      EXPECT_LE(switches, 2u * 6) << "resident samples were split";
    } else {
      EXPECT_GE(switches, 6 * out.rows[0].batches / 2)
          << StateName(state) << ": the rows did not take turns";
    }
    for (const Samples& s : out.rows) EXPECT_EQ(s.seconds.size(), 6u);
  }
}

// Records kId in g_order, then computes maximum out of place.
template <int kId>
void OutOfPlaceProbe(const float* in, const float* second, void* out, size_t n,
                     const Params* p) {
  g_order.push_back(kId);
  Find<float>(Variant::kMaximum, Form::kScalar).fn(in, second, out, n, p);
}

// An out:fresh row's calls meet the allocator state its own calls left, which
// no procedure resets: it keeps its sample whole among rows taking turns.
TEST(Protocol, FreshRowsKeepTheirSamplesWhole) {
  static const Kernel<float> a{&Info(Variant::kMaximum), Form::kScalar,
                               &OutOfPlaceProbe<1>};
  static const Kernel<float> b{&Info(Variant::kMaximum), Form::kScalar,
                               &OutOfPlaceProbe<2>};
  static const Kernel<float> c{&Info(Variant::kMaximum), Form::kScalar,
                               &OutOfPlaceProbe<3>};
  Condition reuse;
  reuse.n = 1 << 12;
  Condition fresh = reuse;
  fresh.out = "fresh";
  const std::vector<Contender> group = {KernelContender(a, fresh),
                                        KernelContender(b, reuse),
                                        KernelContender(c, reuse)};
  Budget budget = Rounds(6);
  budget.sample_seconds = 1e-3;
  g_order.clear();
  const GroupOutcome out = RunRounds(group, budget, {}, 3, nullptr);
  for (const Samples& s : out.rows) ASSERT_EQ(s.error, "");
  ASSERT_GE(out.rows[0].batches, 4u);
  size_t calls = 0;
  for (const Samples& s : out.rows) calls += s.calls;
  size_t verify = 0;
  for (const Contender& con : group) verify += con.ring.slots;
  ASSERT_GE(g_order.size(), 6 * calls + verify);
  const std::vector<int> timed(g_order.end() - long(6 * calls + verify),
                               g_order.end() - long(verify));
  // Runs of the fresh row's calls: one a round (two rounds' may meet).
  size_t runs_a = 0, switches_bc = 0;
  for (size_t i = 0; i < timed.size(); ++i) {
    if (timed[i] == 1 && (i == 0 || timed[i - 1] != 1)) ++runs_a;
    if (i > 0 && timed[i] != 1 && timed[i - 1] != 1 &&
        timed[i] != timed[i - 1]) {
      ++switches_bc;
    }
  }
  EXPECT_LE(runs_a, 6u) << "the fresh row's samples were split";
  EXPECT_GE(switches_bc, 6 * out.rows[1].batches / 2)
      << "the reuse rows did not take turns";
}

size_t g_stall_every = 0;  // calls; 0: never
size_t g_stall_calls = 0;  // calls since g_stall_every was set

// Computes maximum in place, and spins 2 ms on every g_stall_every-th call:
// a batch that an interrupt or the host held up.
template <typename T>
void Stalling(const T* in, const T* second, void* out, size_t n,
              const Params* p) {
  if (g_stall_every != 0 && ++g_stall_calls % g_stall_every == 0) {
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
    while (std::chrono::steady_clock::now() < until) {
    }
  }
  Find<T>(Variant::kMaximumInplace, Form::kScalar).fn(in, second, out, n, p);
}

// A sample is its batches' median: one held-up batch in five leaves it
// where the others are (summed, the stalls would make it several times
// slower), in turns and whole alike.
TEST(Protocol, AHeldUpBatchDoesNotMoveItsSample) {
  static const Kernel<float> stalling{&Info(Variant::kMaximumInplace),
                                      Form::kScalar, &Stalling<float>};
  for (State state : {State::kProducer, State::kDram}) {
    Condition cond;
    cond.n = 1 << 14;
    cond.state = state;
    const std::vector<Contender> group = {KernelContender(stalling, cond)};
    Budget budget = Rounds(6);
    budget.sample_seconds = 2e-3;
    const GroupOutcome plain = RunRounds(group, budget, {}, 1, nullptr);
    // Counted from the run's first call, the first stall lands in its fifth
    // batch, after the (at most three) calibration batches that size B.
    g_stall_every = 5 * group[0].ring.slots;
    g_stall_calls = 0;
    const GroupOutcome out = RunRounds(group, budget, {}, 1, nullptr);
    g_stall_every = 0;
    ASSERT_EQ(out.rows[0].error, "");
    ASSERT_GE(out.rows[0].batches, 10u) << StateName(state);
    // Summed, the stalls would add 2 ms / 5 to every batch of under 0.2 ms.
    EXPECT_LT(stats::Median(out.rows[0].seconds).estimate,
              1.5 * stats::Median(plain.rows[0].seconds).estimate)
        << StateName(state);
  }
}

// Another harness's arm (the plain Google Benchmark loop) runs once per
// round, told the round, at a shuffled place among the contenders.
TEST(Protocol, ArmsRunOncePerRoundInTheShuffledOrder) {
  const Kernel<float>& a = OrderProbe<1>();
  const Kernel<float>& b = OrderProbe<2>();
  Condition cond;
  cond.n = 1 << 18;  // one slot: one call per batch
  cond.state = State::kResident;
  const std::vector<Contender> group = {KernelContender(a, cond),
                                        KernelContender(b, cond)};
  g_order.clear();
  std::vector<size_t> rounds;
  const RoundArm arm = [&](size_t round) {
    rounds.push_back(round);
    g_order.push_back(0);
  };
  const GroupOutcome out = RunRounds(group, Rounds(12), {}, 7, nullptr, {arm});
  ASSERT_EQ(out.rounds, 12u);
  ASSERT_EQ(rounds.size(), 12u);
  for (size_t r = 0; r < 12; ++r) EXPECT_EQ(rounds[r], r);
  // A round's calls: each contender's untimed resident batch and its timed
  // batches, and the arm's mark; one verifying batch each follows the
  // rounds.
  size_t per_round = 1;
  for (size_t i = 0; i < group.size(); ++i) {
    per_round += (1 + out.rows[i].batches) * group[i].ring.slots;
  }
  const size_t verify = group[0].ring.slots + group[1].ring.slots;
  ASSERT_GE(g_order.size(), 12 * per_round + verify);
  const size_t begin = g_order.size() - verify - 12 * per_round;
  // Where the arm sits in each round: first, between or after the two.
  std::set<long> places;
  for (size_t r = 0; r < 12; ++r) {
    const auto chunk = g_order.begin() + long(begin + r * per_round);
    ASSERT_EQ(std::count(chunk, chunk + long(per_round), 0), 1);
    places.insert(std::find(chunk, chunk + long(per_round), 0) - chunk);
  }
  EXPECT_GT(places.size(), 1u) << "the arm ran at the same place every round";
  for (const Samples& s : out.rows) EXPECT_EQ(s.seconds.size(), 12u);
}

// A group whose comparisons are already tight stops at min_rounds; one that
// cannot tighten stops at its time budget.
TEST(Protocol, RoundsStopWhenTheIntervalsAreTightOrTimeIsUp) {
  Condition c;
  c.n = 4096;
  const std::vector<Contender> group = {
      KernelContender(Find<float>(Variant::kMaximum, Form::kScalar), c),
      KernelContender(Find<float>(Variant::kMaximum, Form::kHighway), c)};
  Budget loose = Rounds(10);
  loose.max_rounds = 200;
  loose.target = 10.0;  // any interval will do
  EXPECT_EQ(RunRounds(group, loose, {}, 1, nullptr).rounds, 10u);
  Budget impossible = loose;
  impossible.target = -1;  // no interval is that tight (one can be 0)
  impossible.max_seconds = 0.01;
  const GroupOutcome out = RunRounds(group, impossible, {}, 1, nullptr);
  EXPECT_FALSE(out.reached);
  EXPECT_LT(out.rounds, 200u);
  EXPECT_GE(out.rounds, 10u);
}

TEST(Protocol, NamesFollowTheGrammar) {
  const std::regex grammar(
      "(relu|copy)/[a-z_]+/[a-z0-9]+/f(32|64)/n:[0-9]+(/shape:[0-9]+x[0-9]+)?"
      "/out:(reuse|fresh|inplace)/state:(producer|dram|resident)"
      "/neg:(0|50|100)/threads:[0-9]+(/isa:[A-Z0-9_]+)?"
      "(/(alpha|t0|a0|a1):-?[0-9.e+-]+)*");
  Condition c;
  c.n = 1 << 16;
  for (const Kernel<float>& k : Kernels<float>()) {
    const std::string name = KernelContender(k, c).name;
    EXPECT_TRUE(std::regex_match(name, grammar)) << name;
  }
  c.state = State::kDram;
  c.threads = 2;
  for (const CopyRef& copy : CopyRefs()) {
    const std::string name = CopyContender(copy, c).name;
    EXPECT_TRUE(std::regex_match(name, grammar)) << name;
  }
  EXPECT_EQ(KernelContender(Find<float>(Variant::kLeaky, Form::kEigen), c).name,
            "relu/leaky/eigen/f32/n:65536/out:reuse/state:dram/neg:50/"
            "threads:2/alpha:0.01");
  EXPECT_EQ(KernelContender(Find<float>(Variant::kPrelu, Form::kEigen), c).name,
            "relu/prelu/eigen/f32/n:65536/shape:256x256/out:reuse/state:dram/"
            "neg:50/threads:2");
}

// In-cache rings fill at most three quarters of the level that holds one
// call's working set (with the pool counted): the calls run from that level.
TEST(Protocol, RingsStayInTheirCacheLevel) {
  const CacheSizes& caches = DetectedCaches();
  for (size_t n : {size_t{256}, size_t{2048}, size_t{1} << 15}) {
    const size_t ws = 2 * n * sizeof(float);
    const RingKey key =
        ChooseRing(DType::kF32, n, ws, 50, Second::kNone, 0, caches);
    size_t level = 0;
    for (size_t c : {caches.l1d, caches.l2, caches.llc}) {
      if (c >= ws) {
        level = c;
        break;
      }
    }
    ASSERT_NE(level, 0u);
    EXPECT_LE(key.slots * (ws + n * sizeof(float)), level * 3 / 4 + ws) << n;
    EXPECT_GE(key.pool_slots, key.slots);
  }
}

// Resident cannot restore, so an in-place contender cannot use it.
TEST(Protocol, ResidentRefusesInPlace) {
  EXPECT_FALSE(StateAllows(State::kResident, {true, false}));
  EXPECT_TRUE(StateAllows(State::kResident, {false, false}));
  EXPECT_TRUE(StateAllows(State::kDram, {true, false}));
}

// The states restore pristine data: after each, every slot holds the pool
// window the ring says it does.
TEST(Protocol, StatesLeavePristineInputs) {
  RingKey key = ChooseRing(DType::kF64, 3000, 48000, 50, Second::kNone, 0,
                           DetectedCaches());
  Ring ring(key);
  for (State s : {State::kProducer, State::kDram}) {
    PrepareBatch(ring, s, {true, false}, DetectedCaches());
    for (size_t k = 0; k < ring.slots(); ++k) {
      EXPECT_EQ(0, std::memcmp(ring.in(k), ring.pristine(k), ring.in_bytes()))
          << StateName(s) << " slot " << k;
    }
  }
}

// Google Benchmark's schema: one iteration row per round (repetition_index
// the round), then mean, median, stddev and cv (cv as a fraction), as
// compare.py and the report read them.
TEST(Protocol, ResultsAreGoogleBenchmarkRows) {
  Condition c;
  c.n = 1 << 12;
  const Contender con =
      KernelContender(Find<float>(Variant::kMaximum, Form::kHighway), c);
  const GroupOutcome out = RunRounds({con}, Rounds(10), {}, 3, nullptr);
  std::ostringstream text;
  benchmark::JSONReporter json;
  json.SetOutputStream(&text);
  json.SetErrorStream(&text);
  benchmark::BenchmarkReporter::Context context;
  context.name_field_width = con.name.size();
  json.ReportContext(context);
  json.ReportRuns(ToRuns(con, out.rows[0], out, 0, 0.02));
  json.Finalize();
  const nlohmann::json doc = nlohmann::json::parse(text.str());
  const auto& rows = doc["benchmarks"];
  ASSERT_EQ(rows.size(), 14u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(rows[i]["run_type"], "iteration");
    EXPECT_EQ(rows[i]["repetition_index"], i);
    EXPECT_EQ(rows[i]["repetitions"], 10);
    EXPECT_EQ(rows[i]["name"], con.name);
    EXPECT_GT(rows[i]["real_time"].get<double>(), 0);
    EXPECT_GT(rows[i]["bytes_per_second"].get<double>(), 0);
  }
  EXPECT_EQ(rows[11]["aggregate_name"], "median");
  EXPECT_EQ(rows[11]["name"], con.name + "_median");
  EXPECT_EQ(rows[13]["aggregate_name"], "cv");
  EXPECT_EQ(rows[13]["aggregate_unit"], "percentage");
  // The median aggregate is the median of the per-round times, and the cv
  // their sample standard deviation over their mean, as a fraction (one
  // stalled round can take it past 1, so its value is checked, not a bound;
  // the rounds' batch medians can all be equal, so it can also be 0).
  std::vector<double> t;
  for (size_t i = 0; i < 10; ++i) t.push_back(rows[i]["real_time"]);
  double mean = 0, ss = 0;
  for (double x : t) mean += x / 10;
  for (double x : t) ss += (x - mean) * (x - mean);
  const double cv = std::sqrt(ss / 9) / mean;
  EXPECT_NEAR(rows[13]["real_time"].get<double>(), cv, 1e-4 * cv + 1e-6);
  std::sort(t.begin(), t.end());
  EXPECT_NEAR(rows[11]["real_time"].get<double>(), (t[4] + t[5]) / 2,
              1e-6 * t[5]);
}

// A loop Google Benchmark timed once per round becomes rows of those rounds:
// repetition_index the round, the group's counters, and aggregates per
// iteration although each call of the runner chose its own count.
TEST(Protocol, LoopRowsBecomeRowsOfTheirRounds) {
  using Run = benchmark::BenchmarkReporter::Run;
  std::vector<Run> per_round;
  const double per_call[] = {2e-6, 4e-6, 3e-6};
  const int64_t iterations[] = {1000, 500, 700};
  for (int i = 0; i < 3; ++i) {
    Run r;
    r.run_name.function_name = "relu/x/harness:gbench";
    r.run_type = Run::RT_Iteration;
    r.iterations = iterations[i];
    r.real_accumulated_time = per_call[i] * double(iterations[i]);
    r.cpu_accumulated_time = r.real_accumulated_time;
    r.counters["ws_bytes"] = benchmark::Counter(64);
    per_round.push_back(r);
  }
  GroupOutcome group;
  group.rounds = 9;
  group.widest = 0.01;
  const std::vector<Run> runs =
      AsRoundsOf(per_round, {2, 5, 8}, group, 4, 0.02);
  ASSERT_EQ(runs.size(), 7u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(runs[i].repetition_index, int64_t(2 + 3 * i));
    EXPECT_EQ(runs[i].repetitions, 3);
    EXPECT_EQ(runs[i].family_index, 4);
    EXPECT_EQ(runs[i].counters.at("group_rounds").value, 9);
    EXPECT_EQ(runs[i].counters.at("group_reached").value, 1);
    EXPECT_EQ(runs[i].counters.at("ws_bytes").value, 64);
  }
  const Run& median = runs[4];
  ASSERT_EQ(median.aggregate_name, "median");
  EXPECT_NEAR(median.real_accumulated_time / double(median.iterations), 3e-6,
              1e-12);
  const Run& cv = runs[6];
  ASSERT_EQ(cv.aggregate_name, "cv");
  EXPECT_NEAR(cv.real_accumulated_time, 1e-6 / 3e-6, 1e-9);
  // A failed call leaves one errored row, not a loop with a hole.
  per_round[1].error_occurred = true;
  per_round[1].error_message = "broken";
  const std::vector<Run> failed =
      AsRoundsOf(per_round, {2, 5, 8}, group, 4, 0.02);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_TRUE(failed[0].error_occurred);
  EXPECT_EQ(failed[0].error_message, "broken");
}

// The core round trip: a time where the process may use two CPUs, and 0
// (not measured) where it may use one.
TEST(Quality, CoreRoundTripNeedsTwoCpus) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  if (CPU_COUNT(&allowed) >= 2) {
    const double ns = CoreRoundTripNs();
    EXPECT_GT(ns, 0);
    EXPECT_LT(ns, 1e6);  // a cache line, not a scheduler's time slice
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
  EXPECT_EQ(CoreRoundTripNs(), 0);
  ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(allowed), &allowed),
            0);
}

// A group that measured the round trip gives every row the counter; one
// that did not (no two-thread rows) gives none.
TEST(Protocol, RowsCarryTheirGroupsCoreRoundTrip) {
  Condition c;
  c.n = 1 << 12;
  const Contender con =
      KernelContender(Find<float>(Variant::kMaximum, Form::kHighway), c);
  GroupOutcome out = RunRounds({con}, Rounds(4), {}, 3, nullptr);
  for (const auto& run : ToRuns(con, out.rows[0], out, 0, 0.02)) {
    EXPECT_EQ(run.counters.count("group_core_rtt_ns"), 0u);
  }
  out.core_rtt_ns = 123;
  size_t iterations = 0;
  for (const auto& run : ToRuns(con, out.rows[0], out, 0, 0.02)) {
    if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration)
      continue;
    ++iterations;
    ASSERT_EQ(run.counters.count("group_core_rtt_ns"), 1u);
    EXPECT_EQ(run.counters.at("group_core_rtt_ns").value, 123);
  }
  EXPECT_EQ(iterations, 4u);
  // Each round's own round trips go to that round's row.
  out.round_rtt_ns = {10, 20, 30, 40};
  out.round_rtt_end_ns = {11, 21, 31, 41};
  for (const auto& run : ToRuns(con, out.rows[0], out, 0, 0.02)) {
    if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration)
      continue;
    ASSERT_EQ(run.counters.count("round_core_rtt_ns"), 1u);
    EXPECT_EQ(run.counters.at("round_core_rtt_ns").value,
              10.0 * double(run.repetition_index + 1));
    EXPECT_EQ(run.counters.at("round_core_rtt_end_ns").value,
              10.0 * double(run.repetition_index + 1) + 1);
  }
}

// A group with a two-thread row measures the core round trip at the start
// and the end of every round (where the process may use two CPUs); one
// without, never.
TEST(Protocol, TwoThreadGroupsMeasureTheRoundTripEveryRound) {
  Condition c;
  c.n = 1 << 14;
  const Kernel<float>& k = Find<float>(Variant::kMaximum, Form::kHighway);
  const GroupOutcome one =
      RunRounds({KernelContender(k, c)}, Rounds(4), {}, 3, nullptr);
  EXPECT_TRUE(one.round_rtt_ns.empty());
  EXPECT_EQ(one.core_rtt_ns, 0);
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  if (CPU_COUNT(&allowed) < 2) GTEST_SKIP() << "one CPU: nothing to measure";
  Condition two = c;
  two.threads = 2;
  const GroupOutcome out =
      RunRounds({KernelContender(k, c), KernelContender(k, two)}, Rounds(4),
                {}, 3, nullptr);
  EXPECT_GT(out.core_rtt_ns, 0);
  ASSERT_EQ(out.round_rtt_ns.size(), 4u);
  ASSERT_EQ(out.round_rtt_end_ns.size(), 4u);
  for (double ns : out.round_rtt_ns) EXPECT_GT(ns, 0);
  for (double ns : out.round_rtt_end_ns) EXPECT_GT(ns, 0);
}

}  // namespace
}  // namespace relu::bench
