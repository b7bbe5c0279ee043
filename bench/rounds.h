// Paired rounds: every contender of a group timed once per round, in a new
// random order each round, until the comparisons are tight enough.
//
// On a shared machine the same code differs by several percent between
// processes and between minutes, while contenders that alternate within one
// process see the same slow stretches. So a group (every row at one dtype,
// size, cache state and share of negatives) runs in rounds: each round
// gives every contender one sample (B batches of K calls, the cache state
// prepared before each batch, only the calls timed; the sample is the
// median batch's time per call), in shuffled order, one-thread rows of the
// producer and dram states that allocate nothing taking turns batch by
// batch. The report then compares rows by their per-round ratios. Rounds
// go on until every comparison of the group's plan (stats/plan.h) has a 95%
// interval no wider than the target, or the group's time budget is spent.
#ifndef RELU_BENCH_ROUNDS_H_
#define RELU_BENCH_ROUNDS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "bench/contenders.h"
#include "bench/states.h"

namespace relu::bench {

struct Budget {
  size_t min_rounds = 10;     // compare.py's U-test wants 9 or more
  size_t max_rounds = 80;
  double max_seconds = 20;    // per group, timed and untimed work together
  double target = 0.02;       // widest relative half-width wanted
  double sample_seconds = 5e-4;  // timed work per contender per round
};

struct Samples {
  std::vector<double> seconds;  // per call (the median batch), one a round
  uint64_t calls = 0;           // calls per sample (B * K)
  size_t batches = 0;           // B
  std::string error;            // set when binding or verification failed
};

struct GroupOutcome {
  std::vector<Samples> rows;  // one per contender, in the group's order
  size_t rounds = 0;
  double seconds = 0;        // wall time of the whole group
  double widest = 0;         // widest half-width of the plan at the end
  size_t comparisons = 0;    // in the plan at the end
  bool reached = false;      // every comparison at or under the target
  double steal_pct = 0;      // the hypervisor's steal while it ran (set by
                             // the caller, which reads /proc/stat)
  double core_rtt_ns = 0;    // CoreRoundTripNs() before the rounds, for a
                             // group with two-thread rows; 0: not measured
  // For a group with two-thread rows, CoreRoundTripNs() at the start and at
  // the end of each round: where the host had the two virtual CPUs for that
  // round's samples, and whether it moved them meanwhile.
  std::vector<double> round_rtt_ns, round_rtt_end_ns;
};

// An arm of the group that another harness times (the plain Google
// Benchmark loop): called once per round with the round's index, at its own
// place in that round's shuffled order, so that its samples meet the
// contenders' in the same stretch of the machine and pair with them by
// round. It takes no part in deciding when the rounds stop.
using RoundArm = std::function<void(size_t round)>;

// Times the group. `log`, when set, gets one line per finished group.
GroupOutcome RunRounds(const std::vector<Contender>& group,
                       const Budget& budget, const StateOptions& options,
                       uint64_t seed, std::ostream* log,
                       const std::vector<RoundArm>& arms = {});

// The widest relative half-width among the plan's comparisons for these
// samples (0 when the plan is empty), and how many comparisons it has.
double WidestHalfWidth(const std::vector<Contender>& group,
                       const std::vector<Samples>& rows, size_t* comparisons);

}  // namespace relu::bench

#endif  // RELU_BENCH_ROUNDS_H_
