// The suite's presets: which groups of rows run, at which sizes and states, within which budgets.
#ifndef RELU_BENCH_PRESETS_H_
#define RELU_BENCH_PRESETS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "bench/contenders.h"
#include "bench/rounds.h"

namespace relu::bench {

// One group: every row it names, timed together in paired rounds.
struct GroupSpec {
  Condition cond;  // dtype, n, rows, state, neg (out and threads per row)
  // Variants timed in every form (empty: all of them).
  std::vector<std::string> variants;
  bool fresh = false;  // also out:fresh rows of the out-of-place variants
  // Variants (and the copies and peers of them) also timed on two threads.
  std::vector<std::string> two_threads;
  // Variants whose Highway form is also timed on every usable target.
  std::vector<std::string> every_isa;
  bool peers = true;
  bool copies = true;
  Budget budget;
};

// A plain Google Benchmark loop over one kernel (harness:gbench), the check
// of the resident rows that nobody here wrote.
struct GbenchSpec {
  DType dtype;
  size_t n;
  std::string variant;
  std::string form;
};

struct Preset {
  std::string name;
  std::vector<GroupSpec> groups;
  std::vector<GbenchSpec> gbench;
};

// quick, full or so; throws std::invalid_argument for any other name.
Preset FindPreset(const std::string& name);

// The rows of one group, in a fixed order: copies, then each variant's
// forms, targets and peers, then the two-thread rows.
std::vector<Contender> BuildGroup(const GroupSpec& spec);

// Input sizes in bytes, one per octave from `from` to `to`.
std::vector<size_t> Octaves(size_t from, size_t to);

}  // namespace relu::bench

#endif  // RELU_BENCH_PRESETS_H_
