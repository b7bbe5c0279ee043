// The suite's results as Google Benchmark runs: one iteration row per round, then GB's aggregates, so GB's own reporters write them unchanged.
//
// Upstream compare.py reads the file like any Google Benchmark output: its
// U-test uses the per-round rows. The report pairs rows by repetition_index
// (the round) within a group.
#ifndef RELU_BENCH_RESULTS_H_
#define RELU_BENCH_RESULTS_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/contenders.h"
#include "bench/rounds.h"

namespace relu::bench {

using Run = benchmark::BenchmarkReporter::Run;

// The rows of one contender: an errored row when it failed, else one
// iteration row per round (repetition_index = round) and the mean, median,
// stddev and cv aggregates, computed as Google Benchmark computes them.
// Counters: bytes_per_second (bytes read plus written, per second),
// items_per_second, ws_bytes, ring (K), batches (B), and the group's
// group_rounds, group_widest_pct, group_reached (whether every comparison of
// the group's plan got within the target) and group_steal_pct; in a group
// with two-thread rows also group_core_rtt_ns and, per round,
// round_core_rtt_ns and round_core_rtt_end_ns (the core round trip at the
// start and at the end of that round).
std::vector<Run> ToRuns(const Contender& c, const Samples& s,
                        const GroupOutcome& group, int64_t family_index,
                        double target);

// The rows of a loop that Google Benchmark's own runner timed once per
// round of `group` (one iteration row per call of the runner, the i-th
// in round rounds[i]): each becomes that round's row, with the group's
// counters, and the aggregates follow, so the report pairs the loop with
// the group's rows round by round. A failed call makes the loop one errored
// row.
std::vector<Run> AsRoundsOf(const std::vector<Run>& per_round,
                            const std::vector<size_t>& rounds,
                            const GroupOutcome& group, int64_t family_index,
                            double target);

// The group's counters every row of it carries: group_rounds,
// group_widest_pct, group_reached, group_steal_pct and, when measured,
// group_core_rtt_ns.
std::map<std::string, double> GroupCounters(const GroupOutcome& group,
                                            double target);

// Appends mean, median, stddev and cv of the iteration rows in `runs`, as
// Google Benchmark 1.7.1 computes them, over the time per iteration (the
// rows may differ in iteration count) and over each counter.
void AppendAggregates(std::vector<Run>* runs);

}  // namespace relu::bench

#endif  // RELU_BENCH_RESULTS_H_
