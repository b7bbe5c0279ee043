// Measures the Highway kernels' two size switches (32-byte vectors, streaming stores) on and off, interleaved call by call.
//
// Usage: relu_threshold_probe [--knob=narrow|stream] [--dtype=f32|f64]
//          [--variant=NAME] [--sizes=256KiB,1MiB,...] [--seconds=S]
//          [--offset=BYTES]
// Prints a markdown table: per input size, the median time of one call with
// the switch off and on, their ratio, and how many of the paired calls the
// switch won. The suite cannot show this: a switch is one process-wide
// threshold, and on this shared machine two processes' medians differ by
// more than the effect. Here both arms alternate call by call in one
// process, so drift strikes both alike.
//
// Each call gets fresh input (copied from a pristine array, untimed, as the
// suite's ring restores do) and is timed alone with steady_clock, after one
// untimed call of the same arm.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/copy_refs.h"
#include "bench/harness.h"
#include "kernels/cpu_caches.h"
#include "kernels/relu.h"

namespace relu {
namespace bench {
namespace {

struct Options {
  std::string knob = "narrow";
  std::string dtype = "f64";
  std::string variant;  // default: per knob, see main
  std::vector<size_t> sizes = {256u << 10, 1u << 20,  4u << 20,  16u << 20,
                               32u << 20,  64u << 20, 256u << 20};
  double seconds = 0.3;
  size_t offset = 16;  // NumPy's large arrays start 16 bytes past a page
};

// "256KiB", "4MiB", "1GiB" or a plain number of bytes.
size_t ParseSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) throw std::invalid_argument("bad size '" + text + "'");
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
  if (value == 0 || value > (SIZE_MAX >> shift)) {
    throw std::invalid_argument("size out of range: '" + text + "'");
  }
  return static_cast<size_t>(value) << shift;
}

std::string SizeText(size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (eq == std::string::npos || value.empty()) {
      throw std::invalid_argument("expected --key=value, got '" + arg + "'");
    }
    if (key == "--knob") {
      if (value != "narrow" && value != "stream") {
        throw std::invalid_argument("--knob is narrow or stream, got '" +
                                    value + "'");
      }
      o.knob = value;
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
      size_t start = 0;
      while (start <= value.size()) {
        const size_t comma = value.find(',', start);
        const size_t end = comma == std::string::npos ? value.size() : comma;
        o.sizes.push_back(ParseSize(value.substr(start, end - start)));
        start = end + 1;
      }
    } else if (key == "--seconds") {
      char* end = nullptr;
      o.seconds = std::strtod(value.c_str(), &end);
      if (*end != '\0' || !(o.seconds > 0) || o.seconds > 3600) {
        throw std::invalid_argument("--seconds wants a positive number, got '" +
                                    value + "'");
      }
    } else if (key == "--offset") {
      if (value.size() > 2 ||
          value.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(value) >= 64) {
        throw std::invalid_argument("--offset wants 0..63 bytes, got '" +
                                    value + "'");
      }
      o.offset = std::stoul(value);
    } else {
      throw std::invalid_argument("unknown option '" + key + "'");
    }
  }
  return o;
}

const VariantInfo& VariantNamed(const std::string& name) {
  for (const VariantInfo& v : Variants()) {
    if (name == v.name) return v;
  }
  throw std::invalid_argument("no variant '" + name + "'");
}

void SetKnob(const std::string& knob, bool on) {
  const size_t bytes = on ? 0 : SIZE_MAX;
  if (knob == "narrow") {
    SetNarrowVectorThresholdBytes(bytes);
  } else {
    SetStreamThresholdBytes(bytes);
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Three significant digits, in ns, µs or ms.
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
  std::snprintf(text, sizeof(text), ns >= 99.95 ? "%.0f %s"
                                    : ns >= 9.995 ? "%.1f %s"
                                                  : "%.2f %s",
                ns, unit);
  return text;
}

template <typename T>
void Probe(const Options& o, const VariantInfo& v) {
  const Kernel<T>& k = Find<T>(v.id, Form::kHighway);
  const size_t llc = DetectedCaches().llc;
  std::printf("knob `%s` (off: threshold never reached, on: always), %s, "
              "Highway target %s, offset %zu B, LLC %s\n\n",
              o.knob.c_str(), k.Name().c_str(), HighwayChosenTarget().c_str(),
              o.offset, SizeText(llc).c_str());
  std::printf("| input | off | on | on / off | pairs won by on |\n");
  std::printf("|---|---|---|---|---|\n");
  std::mt19937 rng(1);
  std::uniform_real_distribution<T> uniform(T(-0.5), T(0.5));
  for (const size_t bytes : o.sizes) {
    const size_t n = bytes / sizeof(T);
    if (n == 0) throw std::invalid_argument("size below one element");
    const size_t padded = bytes + 64;
    Buffer pristine_buf(padded), x_buf(padded), out_buf(padded),
        zeros_buf(padded);
    auto at = [&](const Buffer& b) {
      return reinterpret_cast<T*>(b.As<char>() + o.offset);
    };
    T* pristine = at(pristine_buf);
    T* x = at(x_buf);
    T* out = v.kind == Kind::kInPlace ? x : at(out_buf);
    const T* zeros = at(zeros_buf);  // Buffer is zeroed
    for (size_t i = 0; i < n; ++i) pristine[i] = uniform(rng);
    // Restores stream once input and one more array of its size outgrow
    // the LLC (the suite's one-slot rings stream once the call's working
    // set does: the same for maximum, one array later for in place).
    const bool stream_restore = 2 * bytes > llc;
    std::vector<double> off, on;
    int won = 0;
    double total = 0;
    for (size_t pair = 0; pair < 11 || (total < 2e9 * o.seconds && pair < 100000);
         ++pair) {
      double ns[2];
      for (int arm = 0; arm < 2; ++arm) {
        const bool knob_on = (arm == 0) == (pair % 2 == 0);
        SetKnob(o.knob, knob_on);
        // One untimed call of this arm first, so the timed call finds the
        // caches as this arm leaves them (streaming stores leave out
        // uncached, ordinary ones dirty in cache), not as the other did.
        for (int call = 0; call < 2; ++call) {
          if (stream_restore) {
            StreamCopy(pristine, x, n * sizeof(T));
          } else {
            LoadStoreCopy(pristine, x, n * sizeof(T));
          }
          if (call == 0) k.fn(x, zeros, out, n);
        }
        const auto t0 = std::chrono::steady_clock::now();
        k.fn(x, zeros, out, n);
        const auto t1 = std::chrono::steady_clock::now();
        ns[knob_on] = std::chrono::duration<double, std::nano>(t1 - t0).count();
        total += ns[knob_on];
      }
      off.push_back(ns[0]);
      on.push_back(ns[1]);
      won += ns[1] < ns[0];
    }
    const double m_off = Median(off), m_on = Median(on);
    std::printf("| %s | %s | %s | %.3f | %d of %zu |\n", SizeText(bytes).c_str(),
                Time(m_off).c_str(), Time(m_on).c_str(), m_on / m_off, won,
                on.size());
    std::fflush(stdout);
  }
}

}  // namespace
}  // namespace bench
}  // namespace relu

int main(int argc, char** argv) {
  using namespace relu::bench;  // NOLINT(build/namespaces)
  try {
    Options o = Parse(argc, argv);
    if (o.variant.empty()) {
      o.variant = o.knob == "narrow" ? "maximum_inplace" : "maximum";
    }
    const relu::VariantInfo& v = VariantNamed(o.variant);
    if (o.knob == "stream" && v.kind == relu::Kind::kInPlace) {
      throw std::invalid_argument("in-place kernels never stream; pick an "
                                  "out-of-place --variant");
    }
    if (o.dtype == "f32") {
      Probe<float>(o, v);
    } else {
      Probe<double>(o, v);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "relu_threshold_probe: %s\n", e.what());
    return 2;
  }
  return 0;
}
