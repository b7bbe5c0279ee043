// How quiet the machine was while it measured, as pyperf's check asks: steal time, load, frequency governor, transparent huge pages and other busy processes.
#ifndef RELU_BENCH_QUALITY_H_
#define RELU_BENCH_QUALITY_H_

#include <cstdint>
#include <map>
#include <string>

namespace relu::bench {

// The machine's CPU counters (/proc/stat "cpu" line, in clock ticks).
struct CpuTimes {
  uint64_t total = 0;
  uint64_t steal = 0;  // time the hypervisor gave this VM's CPUs to others
  uint64_t idle = 0;
  static CpuTimes Read();
};

// Percent of all CPU time between two readings that the hypervisor stole.
double StealPercent(const CpuTimes& a, const CpuTimes& b);

// CPU time used so far by every process but this one, by "name (pid)".
std::map<std::string, uint64_t> ProcessTicks();

// The processes that used more than `min_percent` of one core between two
// snapshots `seconds` apart, busiest first: "name (pid) 37%; ...", or
// "none".
std::string BusyProcesses(const std::map<std::string, uint64_t>& before,
                          const std::map<std::string, uint64_t>& after,
                          double seconds, double min_percent = 5.0);

// The first word of a sysfs setting's bracketed choice ("always [madvise]
// never" -> "madvise"), or its whole text, or "unknown".
std::string SysfsChoice(const char* path);

// Adds quality_* context keys for the run between two readings.
void AddQualityContext(const CpuTimes& start, const CpuTimes& end,
                       const std::map<std::string, uint64_t>& procs_start,
                       const std::map<std::string, uint64_t>& procs_end,
                       double seconds, const std::string& load_start);

// The 1, 5 and 15 minute load averages as "a b c".
std::string LoadAverage();

// The distance between two cores: the median time for one cache line to go
// from the calling thread's CPU to another CPU it may run on and back
// (two pinned threads hand a counter to each other, 5 trials of 2000 round
// trips, at most a few ms), or 0 when the process may run on one CPU only.
// On this 2-vCPU VM it sat near 67, 90-170 or 490 ns for minutes at a
// time (at 490 ns a 512 KiB read of the other core's writes took 3x a
// local one), and two-thread rows that read what one thread just wrote
// ran at about 1.1x, 1.5-1.85x and 0.5-0.75x the one-thread speed with it:
// the host's placement of the two vCPUs, which no harness controls. A
// group with two-thread rows records it before its rounds, so the report
// can say under which placement each two-thread verdict was made.
double CoreRoundTripNs();

}  // namespace relu::bench

#endif  // RELU_BENCH_QUALITY_H_
