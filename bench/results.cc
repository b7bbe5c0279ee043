// The suite's results as Google Benchmark runs (see results.h).
#include "bench/results.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

namespace relu::bench {
namespace {

// Google Benchmark 1.7.1's statistics (statistics.cc), for the aggregates.
double Mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}
double Median(std::vector<double> v) {
  if (v.size() < 3) return Mean(v);
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
double StdDev(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = Mean(v);
  double sq = 0;
  for (double x : v) sq += x * x;
  const double avg_sq = sq / double(v.size());
  return std::sqrt(std::max(0.0, double(v.size()) / (double(v.size()) - 1) *
                                     (avg_sq - m * m)));
}
double Cv(const std::vector<double>& v) {
  const double m = Mean(v);
  return m == 0 ? 0 : StdDev(v) / m;
}

Run Base(const Contender& c, int64_t family_index) {
  Run r;
  r.run_name.function_name = c.name;
  r.family_index = family_index;
  r.per_family_instance_index = 0;
  r.time_unit = benchmark::kNanosecond;
  r.threads = 1;
  r.statistics = nullptr;
  return r;
}

}  // namespace

std::map<std::string, double> GroupCounters(const GroupOutcome& group,
                                            double target) {
  std::map<std::string, double> k = {
      {"group_rounds", double(group.rounds)},
      {"group_widest_pct",
       std::isfinite(group.widest) ? 100 * group.widest : 1e9},
      {"group_reached", group.widest <= target ? 1.0 : 0.0},
      {"group_steal_pct", group.steal_pct},
  };
  if (group.core_rtt_ns > 0) k["group_core_rtt_ns"] = group.core_rtt_ns;
  return k;
}

void AppendAggregates(std::vector<Run>* runs) {
  std::vector<const Run*> its;
  for (const Run& r : *runs) {
    if (r.run_type == Run::RT_Iteration && !r.error_occurred) its.push_back(&r);
  }
  if (its.size() < 2) return;
  struct Stat {
    const char* name;
    std::function<double(const std::vector<double>&)> f;
    bool percentage;
  };
  const Stat stats[] = {{"mean", Mean, false},
                        {"median", Median, false},
                        {"stddev", StdDev, false},
                        {"cv", Cv, true}};
  // Per iteration, so that rows of different iteration counts weigh alike.
  // Google Benchmark's aggregate keeps the statistic of the rows' totals
  // times N/M as its total over N "iterations" (the N repetitions, M
  // iterations each), so the reporters' division gives per-iteration
  // times; percentages are kept as they are.
  const Run& first = *its.front();
  const double reps = static_cast<double>(its.size());
  std::vector<double> real, cpu;
  std::map<std::string, std::vector<double>> counters;
  for (const Run* r : its) {
    real.push_back(r->real_accumulated_time / double(r->iterations));
    cpu.push_back(r->cpu_accumulated_time / double(r->iterations));
    for (const auto& [name, c] : r->counters) counters[name].push_back(c.value);
  }
  std::vector<Run> out;
  for (const Stat& st : stats) {
    Run r = first;
    r.run_type = Run::RT_Aggregate;
    r.aggregate_name = st.name;
    r.aggregate_unit = st.percentage ? benchmark::kPercentage : benchmark::kTime;
    r.repetitions = static_cast<int64_t>(its.size());
    r.repetition_index = Run::no_repetition_index;
    r.iterations = static_cast<benchmark::IterationCount>(its.size());
    const double scale = st.percentage ? 1.0 : reps;
    r.real_accumulated_time = st.f(real) * scale;
    r.cpu_accumulated_time = st.f(cpu) * scale;
    r.counters.clear();
    for (const auto& [name, values] : counters) {
      r.counters[name] = benchmark::Counter(st.f(values));
    }
    out.push_back(r);
  }
  runs->insert(runs->end(), out.begin(), out.end());
}

std::vector<Run> ToRuns(const Contender& c, const Samples& s,
                        const GroupOutcome& group, int64_t family_index,
                        double target) {
  std::vector<Run> runs;
  if (!s.error.empty() || s.seconds.empty()) {
    Run r = Base(c, family_index);
    r.error_occurred = true;
    r.error_message = s.error.empty() ? "no sample" : s.error;
    r.iterations = 0;
    r.repetitions = 1;
    r.repetition_index = 0;
    runs.push_back(r);
    return runs;
  }
  const size_t reps = s.seconds.size();
  const double calls = static_cast<double>(s.calls);
  for (size_t i = 0; i < reps; ++i) {
    const double per_call = s.seconds[i];
    Run r = Base(c, family_index);
    r.run_type = Run::RT_Iteration;
    r.repetitions = static_cast<int64_t>(reps);
    r.repetition_index = static_cast<int64_t>(i);
    r.iterations = static_cast<benchmark::IterationCount>(s.calls);
    // Totals, as Google Benchmark keeps them: the reporters divide by the
    // iterations.
    r.real_accumulated_time = per_call * calls;
    r.cpu_accumulated_time = per_call * calls;
    std::map<std::string, double> k = GroupCounters(group, target);
    k["bytes_per_second"] = double(c.bytes_moved) / per_call;
    k["items_per_second"] = double(c.cond.n) / per_call;
    k["ws_bytes"] = double(c.ws_bytes);
    k["ring"] = double(c.ring.slots);
    k["batches"] = double(s.batches);
    if (i < group.round_rtt_ns.size() && i < group.round_rtt_end_ns.size()) {
      k["round_core_rtt_ns"] = group.round_rtt_ns[i];
      k["round_core_rtt_end_ns"] = group.round_rtt_end_ns[i];
    }
    for (const auto& [name, value] : k) r.counters[name] = benchmark::Counter(value);
    runs.push_back(r);
  }
  AppendAggregates(&runs);
  return runs;
}

std::vector<Run> AsRoundsOf(const std::vector<Run>& per_round,
                            const std::vector<size_t>& rounds,
                            const GroupOutcome& group, int64_t family_index,
                            double target) {
  std::vector<Run> runs;
  for (size_t i = 0; i < per_round.size(); ++i) {
    if (per_round[i].error_occurred) {
      Run r = per_round[i];
      r.family_index = family_index;
      r.repetitions = 1;
      r.repetition_index = 0;
      return {r};
    }
  }
  for (size_t i = 0; i < per_round.size(); ++i) {
    Run r = per_round[i];
    r.family_index = family_index;
    r.per_family_instance_index = 0;
    r.repetitions = static_cast<int64_t>(per_round.size());
    r.repetition_index = static_cast<int64_t>(rounds.at(i));
    for (const auto& [name, value] : GroupCounters(group, target)) {
      r.counters[name] = benchmark::Counter(value);
    }
    runs.push_back(r);
  }
  AppendAggregates(&runs);
  return runs;
}

}  // namespace relu::bench
