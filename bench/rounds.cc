// Paired rounds (see rounds.h).
#include "bench/rounds.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <ostream>
#include <cstdlib>
#include <random>
#include <thread>

#include "bench/quality.h"
#include "kernels/cpu_caches.h"
#include "stats/plan.h"
#include "stats/stats.h"

namespace relu::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Live {
  const Contender* c;
  std::shared_ptr<Ring> ring;
  std::unique_ptr<Bound> bound;
};

// One batch: the state's procedure (untimed), then K calls between two clock
// reads. Returns the seconds of the calls.
double Batch(Live& l, State state, const StateOptions& options) {
  PrepareBatch(*l.ring, state, l.c->access, DetectedCaches(), options);
  const size_t slots = l.ring->slots();
  const Clock::time_point start = Clock::now();
  for (size_t k = 0; k < slots; ++k) l.bound->Call(k);
  const Clock::time_point stop = Clock::now();
  return std::chrono::duration<double>(stop - start).count();
}

// After a multi-threaded sample: a thread pool's workers spin for a while
// after their last task before they sleep (pthreadpool's and libgomp's
// both), and on a machine with as many cores as threads a spinning worker
// of one library takes the core another library's next call needs (oneDNN
// on two OpenMP threads took 2-3 ms instead of microseconds right after our
// pthreadpool's calls). Waiting lets them sleep, so each sample starts on
// idle cores; within a sample, back-to-back calls keep their pool warm, as
// consecutive layers would.
void Quiesce() {
  const char* text = std::getenv("RELU_QUIESCE_US");
  const long us = text != nullptr ? std::atol(text) : 5000;
  std::this_thread::sleep_for(std::chrono::microseconds(us));
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A sample's time per call: the median of its B batches, each over its K
// calls. An interrupt or a host tick of tens of microseconds lands in
// some batches and not others; summed, it moved the per-round ratios of
// the 16 KiB f32 rows by 3-5% (robust SD, six runs), with the median of
// the batches by 0.2-1.0%. Every row's sample is taken the same way.
double SampleOf(const std::vector<double>& batch_seconds, size_t slots) {
  return Median(batch_seconds) / double(slots);
}

// Whether a row takes turns batch by batch: in the producer and dram
// states, whose procedures set every buffer a batch touches whatever ran
// before (resident is what the row's own previous calls left), and only a
// one-thread row that allocates nothing. A row on two threads keeps its
// sample whole (its pool wakes once a sample, and Quiesce follows it). An
// out:fresh row's calls run from the allocator state its own previous calls
// left, as a loop of y = f(x) does; no procedure resets the allocator, and
// taken in turns its calls met what other rows had freed: 256 KiB fresh
// rows moved from 1.1-2.3x maximum's fresh time to 0.7-0.97x in one run.
bool TakesTurns(State state, const Condition& cond) {
  return state != State::kResident && cond.threads == 1 && cond.out != "fresh";
}

// One sample of every row marked in `turns`, taken in turns: P passes (P the
// most batches any of them needs), each pass one batch of every row due in
// it, in a new random order. A row's B batches spread evenly over the
// passes from a random phase. A slow stretch of the machine longer than a
// batch then falls on every row alike instead of on whichever sample it
// met: on the 2-core EPYC the per-round ratios of f32 rows to memcpy
// scattered 7.4-11.3% in turns against 8.8-16.3% whole at 512 KiB, and
// 6.2-11.0% against 6.6-14.6% at 2 MiB (robust SD, six runs each).
void InterleavedBlock(std::vector<Live>& live, const std::vector<bool>& turns,
                      State state, const StateOptions& options,
                      std::mt19937_64& rng, std::vector<Samples>* rows) {
  std::vector<size_t> block;
  size_t passes = 0;
  for (size_t i = 0; i < turns.size(); ++i) {
    if (!turns[i] || !(*rows)[i].error.empty()) continue;
    block.push_back(i);
    passes = std::max(passes, (*rows)[i].batches);
  }
  // Row i's batches due by the end of pass p: floor((p * B + phase) / P),
  // exactly B by the last pass.
  std::vector<size_t> phase(turns.size(), 0);
  std::vector<std::vector<double>> seconds(turns.size());
  for (size_t i : block) {
    phase[i] = std::uniform_int_distribution<size_t>(0, passes - 1)(rng);
  }
  auto due = [&](size_t i, size_t p) {
    return (p * (*rows)[i].batches + phase[i]) / passes;
  };
  for (size_t p = 0; p < passes; ++p) {
    std::shuffle(block.begin(), block.end(), rng);
    for (size_t i : block) {
      if (due(i, p + 1) > due(i, p)) {
        seconds[i].push_back(Batch(live[i], state, options));
      }
    }
  }
  for (size_t i : block) {
    (*rows)[i].seconds.push_back(SampleOf(seconds[i], live[i].ring->slots()));
  }
}

}  // namespace

double WidestHalfWidth(const std::vector<Contender>& group,
                       const std::vector<Samples>& rows, size_t* comparisons) {
  std::vector<stats::Descriptor> desc;
  std::vector<double> typical;
  for (size_t i = 0; i < group.size(); ++i) {
    desc.push_back(group[i].desc);
    typical.push_back(rows[i].error.empty() ? Median(rows[i].seconds) : 0);
  }
  const std::vector<stats::Comparison> plan = stats::Plan(desc, typical);
  if (comparisons) *comparisons = plan.size();
  double widest = 0;
  for (const stats::Comparison& c : plan) {
    const auto& a = rows[c.a].seconds;
    const auto& b = rows[c.b].seconds;
    const size_t n = std::min(a.size(), b.size());
    const stats::Interval r = stats::PairedRatio(
        std::vector<double>(a.begin(), a.begin() + long(n)),
        std::vector<double>(b.begin(), b.begin() + long(n)));
    widest = std::max(widest, r.RelativeHalfWidth());
  }
  return widest;
}

GroupOutcome RunRounds(const std::vector<Contender>& group,
                       const Budget& budget, const StateOptions& options,
                       uint64_t seed, std::ostream* log,
                       const std::vector<RoundArm>& arms) {
  const Clock::time_point start = Clock::now();
  GroupOutcome out;
  out.rows.resize(group.size());
  std::vector<Live> live(group.size());
  // Bind everything first: the rings of the whole group stay alive (and in
  // memory) for all its rounds.
  for (size_t i = 0; i < group.size(); ++i) {
    live[i].c = &group[i];
    try {
      live[i].ring = CachedRing(group[i].ring);
      live[i].bound = group[i].bind(*live[i].ring);
    } catch (const std::exception& e) {
      out.rows[i].error = e.what();
    }
  }
  const State state = group.empty() ? State::kProducer : group[0].cond.state;
  // Warm-up (code, page tables, lazily built peer state) and calibration:
  // B batches per sample so that a sample holds about sample_seconds of
  // calls, from the fastest of three batches.
  for (size_t i = 0; i < group.size(); ++i) {
    if (!out.rows[i].error.empty()) continue;
    try {
      double fastest = 1e9;
      for (int w = 0; w < 3; ++w) {
        fastest = std::min(fastest, Batch(live[i], state, options));
        if (fastest > budget.sample_seconds) break;
      }
      const size_t b = static_cast<size_t>(
          std::ceil(budget.sample_seconds / std::max(fastest, 1e-9)));
      out.rows[i].batches = std::clamp<size_t>(b, 1, 100000);
      out.rows[i].calls = out.rows[i].batches * live[i].ring->slots();
    } catch (const std::exception& e) {
      out.rows[i].error = e.what();
    }
  }
  std::mt19937_64 rng(seed);
  std::vector<size_t> order;
  for (size_t i = 0; i < group.size(); ++i) {
    if (out.rows[i].error.empty()) order.push_back(i);
  }
  for (size_t j = 0; j < arms.size(); ++j) order.push_back(group.size() + j);
  // A second thread's worth follows where the host placed the two virtual
  // CPUs, which can change from one round to the next (bench/quality.h).
  const bool two_threads =
      std::any_of(group.begin(), group.end(),
                  [](const Contender& c) { return c.cond.threads > 1; });
  if (two_threads) out.core_rtt_ns = CoreRoundTripNs();
  // Which rows take turns batch by batch (see InterleavedBlock); the rest
  // run their sample whole at their place in the round's order.
  std::vector<bool> turns(group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    turns[i] = TakesTurns(state, group[i].cond);
  }
  for (size_t round = 0; round < budget.max_rounds; ++round) {
    if (two_threads) out.round_rtt_ns.push_back(CoreRoundTripNs());
    std::shuffle(order.begin(), order.end(), rng);
    bool block_done = false;
    for (size_t i : order) {
      if (i >= group.size()) {
        arms[i - group.size()](round);
        continue;
      }
      if (turns[i]) {
        // The block takes the place of the first of its rows in the order.
        if (!block_done) {
          InterleavedBlock(live, turns, state, options, rng, &out.rows);
          block_done = true;
        }
        continue;
      }
      // Resident means what this contender's own calls left: the group's
      // contenders share rings, and the one before may have left the
      // outputs out of the caches (a streaming copy) or in another state
      // (rep movsb), which the first batch would pay for. 5-15% at 512 KiB
      // to 1 MiB against a plain Google Benchmark loop on the 2-core EPYC.
      if (state == State::kResident) Batch(live[i], state, options);
      std::vector<double> seconds;
      for (size_t b = 0; b < out.rows[i].batches; ++b) {
        seconds.push_back(Batch(live[i], state, options));
      }
      out.rows[i].seconds.push_back(SampleOf(seconds, live[i].ring->slots()));
      if (group[i].cond.threads > 1) Quiesce();
    }
    if (two_threads) out.round_rtt_end_ns.push_back(CoreRoundTripNs());
    out.rounds = round + 1;
    const bool enough = out.rounds >= budget.min_rounds;
    const bool out_of_time = Since(start) >= budget.max_seconds;
    if (enough && (out_of_time || out.rounds % 2 == 0)) {
      out.widest = WidestHalfWidth(group, out.rows, &out.comparisons);
      out.reached = out.widest <= budget.target;
      if (out.reached || out_of_time) break;
    }
  }
  if (out.rounds >= budget.max_rounds || out.comparisons == 0) {
    out.widest = WidestHalfWidth(group, out.rows, &out.comparisons);
    out.reached = out.widest <= budget.target;
  }
  // Verified after timing, each on a batch of its own: contenders share
  // rings, so the slots' contents after the rounds belong to whichever ran
  // last. Same state, same procedure, the same code as the timed calls.
  for (size_t i = 0; i < group.size(); ++i) {
    if (!out.rows[i].error.empty() || !live[i].bound) continue;
    try {
      Batch(live[i], state, options);
      out.rows[i].error = live[i].bound->Verify();
    } catch (const std::exception& e) {
      out.rows[i].error = e.what();
    }
  }
  out.seconds = Since(start);
  if (log != nullptr && !group.empty()) {
    *log << "  " << group.size() << " rows, " << out.rounds << " rounds, "
         << static_cast<int>(out.seconds + 0.5) << " s, widest 95% CI +-"
         << (std::isfinite(out.widest) ? out.widest * 100 : 999.0) << "% over "
         << out.comparisons << " comparisons"
         << (out.reached ? "" : " (target not reached)") << "\n";
  }
  return out;
}

}  // namespace relu::bench
