// How the report words numbers (see text.h), and the glossary's entries.
#include "report/text.h"

#include <cmath>
#include <utility>
#include <vector>

#include "report/markdown.h"

namespace relu::report {
namespace {

// Term, definition: the glossary. Terms are written as the report writes
// them.
const std::vector<std::pair<std::string, std::string>>& Entries() {
  static const std::vector<std::pair<std::string, std::string>> entries = {
      {"95% CI",
       "The 95% confidence interval of a time or a ratio. For a ratio of two "
       "rows timed in the same rounds it comes from the per-round ratios "
       "(Hodges-Lehmann estimate, Wilcoxon signed-rank interval); for rows "
       "of different runs from all their samples (Mann-Whitney). A "
       "comparison says faster or slower only when its interval excludes 1; "
       "otherwise it is a tie."},
      {"tie",
       "The 95% interval of the ratio contains 1 (or the target line): this "
       "run cannot tell the two apart."},
      {"round",
       "One pass over every row of a group, in a new random order, each row "
       "giving one sample: the median of its B batches of K calls, per call. "
       "In the producer and dram states the one-thread rows that allocate "
       "nothing take turns batch by batch within the round. Rows of one "
       "group are compared round by "
       "round, so a slow stretch of the shared machine hits both sides "
       "alike; an interrupt that holds up one batch does not move its "
       "sample."},
      {"group",
       "The rows timed together in paired rounds: one dtype, size, cache "
       "state and share of negatives, every variant, form, peer and copy."},
      {"producer",
       "Cache state (the default): before each batch the input was just "
       "written by a vectorised producer, as a layer's output is, and sits "
       "in whatever cache levels it fits; outputs were read back in."},
      {"dram",
       "Cache state: neither input nor output is in any cache and no dirty "
       "line is left (restored with streaming stores, every line flushed, "
       "write-backs drained); the TLB is warm."},
      {"resident",
       "Cache state, out of place only: the input is not restored; it is "
       "wherever the row's own previous calls left it, as in a bare loop "
       "(each sample starts with one untimed batch of the same call, since "
       "the group's rows share the ring)."},
      {"out:reuse",
       "The output is a preallocated, pre-faulted array (NumPy's out=)."},
      {"out:fresh",
       "Each call allocates its output, as y = f(x) does: the time includes "
       "the allocation and the first touch of every page."},
      {"out:inplace", "The variant rewrites its input (one array)."},
      {"harness:python",
       "Timed by scripts/py_bench.py from Python, on the same rings and "
       "cache states as the C++ suite; our kernels through ctypes."},
      {"harness:ring", "Timed by the C++ suite (relu_bench) in paired rounds."},
      {"harness:ctimed",
       "The C++ suite's batch of one of our kernels (the state's procedure, "
       "then the calls between two steady_clock reads in C; "
       "relu_ring_time_batch), run as a row of scripts/py_bench.py's rounds "
       "right beside the same calls timed from Python: the check of the "
       "Python harness, paired in time in one process."},
      {"harness floor",
       "What the Python harness itself costs per call of a row (counter "
       "harness_overhead_ns). For the rows checked against a C-timed twin "
       "(Highway maximum and maximum_inplace, one thread): the median of an "
       "arm in the same rounds, after the same state's procedure, that runs "
       "the same loop over the same calls, each timing itself in C, less the "
       "time inside them and one clock read a call; around a no-op instead, "
       "the loop would find the interpreter's data still cached. For other "
       "rows called through ctypes, the warm loop around a ctypes no-op; for "
       "NumPy and the peers, the warm loop around a Python no-op: lower "
       "bounds."},
      {"core round trip",
       "How long one cache line takes to go from the CPU the suite runs on "
       "to another and back (two pinned threads hand a counter back and "
       "forth; median of 5 trials of 2000 trips), measured before each "
       "group with two-thread rows (counter group_core_rtt_ns) and, in "
       "both harnesses, at the start and the end of each of its rounds "
       "(round_core_rtt_ns, round_core_rtt_end_ns). Round trips more than "
       "2× apart are different placements of the virtual CPUs; a comparison "
       "with a two-thread row uses only the rounds that began and ended "
       "within the 2× window that holds most rounds. Two cores "
       "that share an L3 take tens of ns; on this project's 2-vCPU VMs it "
       "moved between about 55 and 490 ns from minute to minute, and "
       "two-thread rows that read what one thread wrote moved with it."},
      {"harness:gbench",
       "A plain Google Benchmark loop over one call, on the resident ring's "
       "slots in turn: the check nobody here wrote. Google Benchmark's own "
       "runner times one repetition of it in each round of the resident "
       "group of its size, so it pairs with the resident row round by "
       "round (older runs ran it after that group, unpaired)."},
      {"copy ceiling",
       "The fastest copy of the same bytes (memcpy, Highway load/store, "
       "Highway streaming stores; the in-place copy for in-place variants): "
       "a kernel cannot be much faster than moving its bytes."},
      {"% of copy",
       "The copy ceiling's time over the row's time. 100% is as fast as "
       "moving the bytes; in-place variants are held to the in-place copy."},
      {"GB/s",
       "Bytes read plus bytes written per second, for every row alike: "
       "out-of-place maximum reads n and writes n elements, in place reads "
       "and writes the one array, a copy reads n and writes n."},
      {"LLC", "The last-level cache (here the L3)."},
      {"size class",
       "L1, L2, LLC or DRAM: the smallest cache level that holds the "
       "working set of maximum at that n (input and output)."},
      {"ws_bytes",
       "One call's working set: the memory it touches (in place: the one "
       "array)."},
      {"AVX2", "Highway's target for 256-bit x86 vectors."},
      {"AVX3", "Highway's name for its AVX-512 target (64-byte vectors)."},
      {"AVX3_DL", "AVX-512 with the Ice Lake extensions."},
      {"MAXPS",
       "The x86 vector maximum; on NaN or two zeros it returns its second "
       "operand, which gives NumPy's rules for max(0, x)."},
      {"CV", "Coefficient of variation: standard deviation over mean."},
      {"steal",
       "Time the hypervisor ran other tenants on this VM's cores "
       "(/proc/stat), during the run or a group."},
      {"threads:2",
       "The call split over two threads: our kernels on a pthreadpool, "
       "XNNPACK on the same pool, oneDNN on OpenMP, PyTorch with "
       "torch.set_num_threads, Numba with prange."},
  };
  return entries;
}

}  // namespace

std::string TimeWithCi(const Measurement& m) {
  if (!m.time_ci.valid) return FormatTime(m.time_ns);
  // The interval in the estimate's unit: "13.6 ms (13.4–13.8)".
  const std::string t = FormatTime(m.time_ns);
  const size_t space = t.find(' ');
  const std::string unit =
      space == std::string::npos ? "" : t.substr(space + 1);
  const double scale = unit == "s"    ? 1e9
                       : unit == "ms" ? 1e6
                       : unit == "µs" ? 1e3
                                      : 1;
  return t + " (" + FormatSig(m.time_ci.lo / scale) + "–" +
         FormatSig(m.time_ci.hi / scale) + ")";
}

std::string RatioWithCi(const Comparison& c) {
  if (!c.valid() && !(c.ratio.estimate > 0)) return "— (no interval)";
  if (!c.valid()) return FormatRatio(c.ratio.estimate) + " (no interval)";
  return FormatRatio(c.ratio.estimate) + " (" + FormatSig(c.ratio.lo) + "–" +
         FormatSig(c.ratio.hi) + ")";
}

std::string VerdictWord(const Comparison& c) {
  switch (Against(c)) {
    case Verdict::kBelow:
      return "faster";
    case Verdict::kAbove:
      return "slower";
    case Verdict::kTie:
      return "tie";
    case Verdict::kNoInterval:
      break;
  }
  return "no interval";
}

std::string HalfWidth(const Comparison& c) {
  if (!c.valid()) return "—";
  return "±" + FormatPercent(c.ratio.RelativeHalfWidth());
}

std::string Glossary::Anchor(std::string_view term) {
  std::string a = "glossary-";
  for (char ch : term) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      a += ch;
    } else if (ch >= 'A' && ch <= 'Z') {
      a += static_cast<char>(ch - 'A' + 'a');
    } else if (a.back() != '-') {
      a += '-';
    }
  }
  while (a.back() == '-') a.pop_back();
  return a;
}

bool Glossary::Defines(std::string_view term) {
  for (const auto& [t, _] : Entries()) {
    if (t == term) return true;
  }
  return false;
}

std::string Glossary::Term(std::string_view term) {
  if (!Defines(term) || !used_.insert(std::string(term)).second) {
    return Escape(term);
  }
  return "[" + Escape(term) + "](" + target_ + "#" + Anchor(term) + ")";
}

std::string Glossary::Render() {
  std::string out = "## Glossary\n\n";
  for (const auto& [term, what] : Entries()) {
    out += "- <a id=\"" + Anchor(term) + "\"></a>**" + Escape(term) +
           "**: " + Escape(what) + "\n";
  }
  return out + "\n";
}

}  // namespace relu::report
