// Takes one effect apart in one process: arms that differ in one thing (a size
// switch, a thread count, a cache-state procedure) alternate round by round on
// the suite's own rings.
//
// Usage: relu_probe --knob=narrow|stream|threads|state [--arms=A,B,...]
//          [--dtype=f32|f64] [--variant=NAME] [--sizes=256KiB,1MiB,...]
//          [--seconds=S] [--rounds=N]
// Prints a markdown table: per input size and arm, the median time of one
// call, its ratio to the first arm with the 95% interval of the paired
// per-round ratios, and how many rounds the arm won. Two processes' medians
// differ by more than these effects on a shared machine, so only arms that
// alternate within one process can show them.
//
// Knobs (each arm is the knob's value; the first is the reference):
//   narrow   off,on: 32-byte vectors never / always (kernels/relu_highway.cc)
//   stream   off,on: streaming stores never / always (out of place only)
//   threads  1,2: the call on one thread or split over two
//   state    what happens before each batch (default
//            resident,resident-touch,resident-dirty,producer,producer-noretouch,
//            producer-ordinary,
//            producer-streaming,producer-flush,producer-wait,dram,dram-nodrain,
//            producer-4k):
//            resident      nothing (the bare loop's state)
//            resident-touch  every line of outputs and inputs read (as
//                          recent as producer's, but clean)
//            resident-dirty  outputs read, inputs rewritten with their own
//                          values (dirty as producer's, no new data)
//            producer      the suite's procedure (bench/states.cc)
//            producer-noretouch  producer without reading outputs and
//                          inputs again after the restore (the suite's
//                          procedure until the probe showed its cost)
//            producer-ordinary / producer-streaming  its restore forced to
//                          ordinary / streaming stores
//            producer-flush  producer, then every line flushed and drained
//            producer-wait   producer, then 2 ms of idling (write-backs
//                          drain, the caches keep the lines)
//            dram          the suite's dram state
//            dram-nodrain  dram without the wait after the flush
//            producer-4k   producer on a ring without huge pages
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/buffers.h"
#include "bench/contenders.h"
#include "bench/ring.h"
#include "bench/states.h"
#include "kernels/cpu_caches.h"
#include "kernels/relu.h"
#include "kernels/threads.h"
#include "stats/stats.h"

namespace relu::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string knob;
  std::vector<std::string> arms;
  std::string dtype = "f64";
  std::string variant;  // default per knob
  std::vector<size_t> sizes = {256u << 10, 1u << 20, 4u << 20, 16u << 20,
                               64u << 20};
  double seconds = 2;
  size_t rounds = 0;  // 0: as many as fit `seconds`, at least 20
};

size_t ParseSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 12)
    throw std::invalid_argument("bad size '" + text + "'");
  const unsigned long long value = std::stoull(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  int shift = 0;
  if (unit == "KiB") {
    shift = 10;
  } else if (unit == "MiB") {
    shift = 20;
  } else if (unit == "GiB") {
    shift = 30;
  } else if (!unit.empty()) {
    throw std::invalid_argument("bad size unit in '" + text +
                                "' (KiB, MiB or GiB)");
  }
  if (value == 0 || value > (size_t{1} << 34 >> shift)) {
    throw std::invalid_argument("size out of range: '" + text + "'");
  }
  return static_cast<size_t>(value) << shift;
}

std::string SizeText(size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

std::string Time(double ns) {
  const char* unit = "ns";
  if (ns >= 999.5e3) {
    ns /= 1e6;
    unit = "ms";
  } else if (ns >= 999.5) {
    ns /= 1e3;
    unit = "µs";
  }
  char text[32];
  std::snprintf(text, sizeof(text),
                ns >= 99.95   ? "%.0f %s"
                : ns >= 9.995 ? "%.1f %s"
                              : "%.2f %s",
                ns, unit);
  return text;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    const size_t end = comma == std::string::npos ? s.size() : comma;
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const std::vector<std::string> kStateArms = {
    "resident",           "resident-touch",
    "resident-dirty",     "producer",
    "producer-noretouch", "producer-ordinary",
    "producer-streaming", "producer-flush",
    "producer-wait",      "dram",
    "dram-nodrain",       "producer-4k"};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      throw std::invalid_argument(
          "usage: relu_probe --knob=narrow|stream|threads|state [--arms=A,B] "
          "[--dtype=f32|f64] [--variant=NAME] [--sizes=256KiB,...] "
          "[--seconds=S] [--rounds=N]");
    }
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (eq == std::string::npos || value.empty()) {
      throw std::invalid_argument("expected --key=value, got '" + arg + "'");
    }
    if (key == "--knob") {
      if (value != "narrow" && value != "stream" && value != "threads" &&
          value != "state") {
        throw std::invalid_argument(
            "--knob is narrow, stream, threads or state, got '" + value + "'");
      }
      o.knob = value;
    } else if (key == "--arms") {
      o.arms = Split(value);
    } else if (key == "--dtype") {
      if (value != "f32" && value != "f64") {
        throw std::invalid_argument("--dtype is f32 or f64, got '" + value +
                                    "'");
      }
      o.dtype = value;
    } else if (key == "--variant") {
      o.variant = value;
    } else if (key == "--sizes") {
      o.sizes.clear();
      for (const std::string& s : Split(value)) o.sizes.push_back(ParseSize(s));
    } else if (key == "--seconds") {
      char* end = nullptr;
      o.seconds = std::strtod(value.c_str(), &end);
      if (*end != '\0' || !(o.seconds > 0) || o.seconds > 3600) {
        throw std::invalid_argument("--seconds wants a positive number, got '" +
                                    value + "'");
      }
    } else if (key == "--rounds") {
      if (value.size() > 6 ||
          value.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument("--rounds wants a whole number, got '" +
                                    value + "'");
      }
      o.rounds = std::stoul(value);
    } else {
      throw std::invalid_argument("unknown option '" + key + "'");
    }
  }
  if (o.knob.empty())
    throw std::invalid_argument("--knob is required (--help)");
  if (o.arms.empty()) {
    if (o.knob == "state") {
      o.arms = kStateArms;
    } else if (o.knob == "threads") {
      o.arms = {"1", "2"};
    } else {
      o.arms = {"off", "on"};
    }
  }
  for (const std::string& a : o.arms) {
    const bool ok = o.knob == "state"     ? std::count(kStateArms.begin(),
                                                       kStateArms.end(), a) > 0
                    : o.knob == "threads" ? (a == "1" || a == "2")
                                          : (a == "off" || a == "on");
    if (!ok)
      throw std::invalid_argument("no arm '" + a + "' for --knob=" + o.knob);
  }
  if (o.variant.empty()) {
    o.variant = o.knob == "narrow" ? "maximum_inplace" : "maximum";
  }
  return o;
}

// One arm's setup before its batch; returns the ring it uses.
struct Arm {
  std::string name;
  Contender contender;
  std::shared_ptr<Ring> ring;
  std::unique_ptr<Bound> bound;
  std::vector<double> samples;  // ns per call, per round
};

void Prepare(Arm& arm, const std::string& knob, const CacheSizes& caches) {
  Ring& ring = *arm.ring;
  const Access& access = arm.contender.access;
  if (knob == "narrow") {
    SetNarrowVectorThresholdBytes(arm.name == "on" ? 0 : SIZE_MAX);
  } else if (knob == "stream") {
    SetStreamThresholdBytes(arm.name == "on" ? 0 : SIZE_MAX);
  }
  if (knob != "state") {
    PrepareBatch(ring, access.in_place ? State::kProducer : State::kProducer,
                 access, caches);
    return;
  }
  const std::string& a = arm.name;
  StateOptions options;
  if (a == "resident") {
    PrepareBatch(ring, State::kResident, access, caches);
  } else if (a == "resident-touch") {
    ring.TouchOutputsAndSecond(access.reads_second, access.out_bytes);
    ring.TouchInputs();
  } else if (a == "resident-dirty") {
    ring.TouchOutputsAndSecond(access.reads_second, access.out_bytes);
    ring.RewriteInputsInPlace();
  } else if (a == "producer" || a == "producer-4k") {
    PrepareBatch(ring, State::kProducer, access, caches);
  } else if (a == "producer-noretouch") {
    options.retouch = false;
    PrepareBatch(ring, State::kProducer, access, caches, options);
  } else if (a == "producer-ordinary") {
    options.producer_stores = StateOptions::ProducerStores::kOrdinary;
    PrepareBatch(ring, State::kProducer, access, caches, options);
  } else if (a == "producer-streaming") {
    options.producer_stores = StateOptions::ProducerStores::kStreaming;
    PrepareBatch(ring, State::kProducer, access, caches, options);
  } else if (a == "producer-flush") {
    PrepareBatch(ring, State::kProducer, access, caches);
    ring.FlushAll();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  } else if (a == "producer-wait") {
    PrepareBatch(ring, State::kProducer, access, caches);
    const auto until = Clock::now() + std::chrono::milliseconds(2);
    while (Clock::now() < until) {
    }
  } else if (a == "dram") {
    PrepareBatch(ring, State::kDram, access, caches);
  } else if (a == "dram-nodrain") {
    options.drain = false;
    PrepareBatch(ring, State::kDram, access, caches, options);
  }
}

template <typename T>
void Probe(const Options& o) {
  const VariantInfo* v = FindVariant(o.variant);
  if (v == nullptr)
    throw std::invalid_argument("no variant '" + o.variant + "'");
  if (o.knob == "stream" && v->kind == Kind::kInPlace) {
    throw std::invalid_argument(
        "in-place kernels never stream; pick an out-of-place --variant");
  }
  const CacheSizes& caches = DetectedCaches();
  const Kernel<T>& k = Find<T>(v->id, Form::kHighway);
  std::printf("knob `%s`, %s, Highway target %s, LLC %s%s\n\n", o.knob.c_str(),
              k.Name().c_str(), HighwayChosenTarget().c_str(),
              SizeText(caches.llc).c_str(),
              o.knob == "state" ? ", state arms as in bench/probe.cc" : "");
  std::printf("| input | arm | time per call | ÷ %s (95%% CI) | rounds won |\n",
              o.arms[0].c_str());
  std::printf("|---|---|---|---|---|\n");
  std::mt19937_64 rng(1);
  // The threads knob measures what two threads give at each size, so the
  // kernel's own threshold (which keeps small calls on one thread) is off.
  if (o.knob == "threads") SetParallelThresholdBytes(1);
  for (const size_t bytes : o.sizes) {
    const size_t n = bytes / sizeof(T);
    if (n == 0) throw std::invalid_argument("size below one element");
    std::vector<Arm> arms;
    for (const std::string& name : o.arms) {
      if (o.knob == "state" && name.rfind("resident", 0) == 0 &&
          v->kind == Kind::kInPlace) {
        throw std::invalid_argument(
            "resident cannot restore an in-place input");
      }
      Condition c;
      c.dtype = DTypeOf<T>();
      c.n = n;
      c.threads = o.knob == "threads" ? std::stoul(name) : 1;
      Arm arm{name, KernelContender(k, c), nullptr, nullptr, {}};
      // The 4 KiB-page arm gets a ring of its own, allocated without huge
      // pages; every other arm shares the suite's cached ring.
      if (name == "producer-4k") {
        SetHugePages(false);
        arm.ring = std::make_shared<Ring>(arm.contender.ring);
        SetHugePages(true);
      } else {
        arm.ring = CachedRing(arm.contender.ring);
      }
      arm.bound = arm.contender.bind(*arm.ring);
      arms.push_back(std::move(arm));
    }
    std::vector<size_t> order(arms.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto start = Clock::now();
    for (size_t round = 0;; ++round) {
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t i : order) {
        Arm& arm = arms[i];
        // One untimed batch of the arm first, so its timed batch finds the
        // caches as this arm leaves them, not as the previous arm did.
        Prepare(arm, o.knob, caches);
        for (size_t s = 0; s < arm.ring->slots(); ++s) arm.bound->Call(s);
        Prepare(arm, o.knob, caches);
        const auto t0 = Clock::now();
        for (size_t s = 0; s < arm.ring->slots(); ++s) arm.bound->Call(s);
        const auto t1 = Clock::now();
        arm.samples.push_back(
            std::chrono::duration<double, std::nano>(t1 - t0).count() /
            double(arm.ring->slots()));
      }
      const double elapsed =
          std::chrono::duration<double>(Clock::now() - start).count();
      if (o.rounds != 0 ? round + 1 >= o.rounds
                        : round + 1 >= 20 && elapsed >= o.seconds) {
        break;
      }
    }
    SetNarrowVectorThresholdBytes(caches.llc / 2);
    SetStreamThresholdBytes(caches.llc);
    for (Arm& arm : arms) {
      const std::string error = arm.bound->Verify();
      if (!error.empty()) throw std::runtime_error(arm.name + ": " + error);
      const stats::Interval med = stats::Median(arm.samples);
      std::string ratio = "—";
      int won = 0;
      if (&arm != &arms[0]) {
        const stats::Interval r =
            stats::PairedRatio(arm.samples, arms[0].samples);
        char text[96];
        std::snprintf(text, sizeof(text), "%.3f (%.3f–%.3f)", r.estimate, r.lo,
                      r.hi);
        ratio = text;
        for (size_t i = 0; i < arm.samples.size(); ++i) {
          won += arm.samples[i] < arms[0].samples[i];
        }
      }
      std::printf("| %s | %s | %s | %s | %s |\n", SizeText(bytes).c_str(),
                  arm.name.c_str(), Time(med.estimate).c_str(), ratio.c_str(),
                  &arm == &arms[0] ? "—"
                                   : (std::to_string(won) + " of " +
                                      std::to_string(arm.samples.size()))
                                         .c_str());
    }
    std::fflush(stdout);
  }
}

}  // namespace
}  // namespace relu::bench

int main(int argc, char** argv) {
  using namespace relu::bench;  // NOLINT(build/namespaces)
  try {
    const Options o = Parse(argc, argv);
    if (o.dtype == "f32") {
      Probe<float>(o);
    } else {
      Probe<double>(o);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relu_probe: %s\n", e.what());
    return 2;
  }
  return 0;
}
