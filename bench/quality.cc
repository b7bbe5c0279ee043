// How quiet the machine was while it measured (see quality.h).
#include "bench/quality.h"

#include <benchmark/benchmark.h>
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace relu::bench {

CpuTimes CpuTimes::Read() {
  CpuTimes t;
  std::ifstream f("/proc/stat");
  std::string cpu;
  uint64_t v[10] = {};
  if (!(f >> cpu) || cpu != "cpu") return t;
  for (uint64_t& x : v) {
    if (!(f >> x)) break;
  }
  // user nice system idle iowait irq softirq steal guest guest_nice; guest
  // time is already counted in user.
  for (int i = 0; i < 8; ++i) t.total += v[i];
  t.idle = v[3] + v[4];
  t.steal = v[7];
  return t;
}

double StealPercent(const CpuTimes& a, const CpuTimes& b) {
  const uint64_t total = b.total - a.total;
  return total == 0 ? 0 : 100.0 * double(b.steal - a.steal) / double(total);
}

std::map<std::string, uint64_t> ProcessTicks() {
  std::map<std::string, uint64_t> ticks;
  const long self = static_cast<long>(getpid());
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return ticks;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == self) continue;
    std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    const size_t open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    uint64_t utime = 0, stime = 0;
    // Fields 3.. after the name: state ppid ... utime is the 14th overall.
    for (int i = 3; i <= 15 && (rest >> field); ++i) {
      if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
      if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
    }
    ticks[name + " (" + e->d_name + ")"] = utime + stime;
  }
  closedir(dir);
  return ticks;
}

std::string BusyProcesses(const std::map<std::string, uint64_t>& before,
                          const std::map<std::string, uint64_t>& after,
                          double seconds, double min_percent) {
  const double hz = double(sysconf(_SC_CLK_TCK));
  std::vector<std::pair<double, std::string>> busy;
  for (const auto& [name, ticks] : after) {
    auto it = before.find(name);
    const uint64_t start = it == before.end() ? 0 : it->second;
    if (ticks < start || seconds <= 0) continue;
    const double percent = 100.0 * double(ticks - start) / hz / seconds;
    if (percent > min_percent) busy.emplace_back(percent, name);
  }
  std::sort(busy.rbegin(), busy.rend());
  std::string out;
  for (const auto& [percent, name] : busy) {
    char text[32];
    std::snprintf(text, sizeof(text), " %.0f%%", percent);
    if (!out.empty()) out += "; ";
    out += name + text;
  }
  return out.empty() ? "none" : out;
}

std::string SysfsChoice(const char* path) {
  std::ifstream file(path);
  std::string text;
  std::getline(file, text);
  const size_t open = text.find('['), close = text.find(']');
  if (open == std::string::npos || close == std::string::npos) {
    return text.empty() ? "unknown" : text;
  }
  return text.substr(open + 1, close - open - 1);
}

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  if (!(f >> a >> b >> c)) return "unknown";
  return a + " " + b + " " + c;
}

void AddQualityContext(const CpuTimes& start, const CpuTimes& end,
                       const std::map<std::string, uint64_t>& procs_start,
                       const std::map<std::string, uint64_t>& procs_end,
                       double seconds, const std::string& load_start) {
  char steal[32];
  std::snprintf(steal, sizeof(steal), "%.2f", StealPercent(start, end));
  benchmark::AddCustomContext("quality_steal_pct", steal);
  benchmark::AddCustomContext("quality_load_start", load_start);
  benchmark::AddCustomContext("quality_load_end", LoadAverage());
  benchmark::AddCustomContext(
      "quality_governor",
      SysfsChoice("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
  benchmark::AddCustomContext(
      "quality_busy_processes",
      BusyProcesses(procs_start, procs_end, seconds));
  char wall[32];
  std::snprintf(wall, sizeof(wall), "%.0f", seconds);
  benchmark::AddCustomContext("quality_run_seconds", wall);
}

double CoreRoundTripNs() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return 0;
  const int here = sched_getcpu();
  int there = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE && there < 0; ++cpu) {
    if (cpu != here && CPU_ISSET(cpu, &allowed)) there = cpu;
  }
  if (here < 0 || there < 0) return 0;
  constexpr int kTrials = 5, kTrips = 2000;
  alignas(64) std::atomic<int> ball{0};
  std::vector<double> ns;
  auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0;
  };
  for (int trial = 0; trial < kTrials; ++trial) {
    ball.store(0);
    std::atomic<bool> ready{false};
    bool pinned = true;
    std::thread other([&] {
      if (!pin(there)) pinned = false;
      ready.store(true);
      for (int i = 0; i < kTrips; ++i) {
        while (ball.load(std::memory_order_acquire) != 2 * i + 1) {
        }
        ball.store(2 * i + 2, std::memory_order_release);
      }
    });
    std::thread self([&] {
      if (!pin(here)) pinned = false;
      while (!ready.load()) {
      }
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < kTrips; ++i) {
        ball.store(2 * i + 1, std::memory_order_release);
        while (ball.load(std::memory_order_acquire) != 2 * i + 2) {
        }
      }
      ns.push_back(std::chrono::duration<double, std::nano>(
                       std::chrono::steady_clock::now() - start)
                       .count() /
                   kTrips);
    });
    self.join();
    other.join();
    if (!pinned) return 0;
  }
  std::nth_element(ns.begin(), ns.begin() + kTrials / 2, ns.end());
  return ns[kTrials / 2];
}

}  // namespace relu::bench
