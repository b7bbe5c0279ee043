// The comparisons a group of contenders answers: one list, used by the suite to decide when to stop sampling and by the report for its verdicts.
//
// A group is every row timed in the same rounds (one dtype, size, cache
// state and share of negatives). Within it the report compares each row
// with its copy ceiling, ranks the rows of one variant, sets our best form
// against the best peer, each Highway variant against Highway maximum,
// fresh outputs against reused ones, each instruction set against dynamic
// dispatch, two threads against one, and NumPy's formulations against the
// fastest of them. A comparison is a pair (a, b) whose per-round ratio
// a / b carries the verdict.
#ifndef RELU_STATS_PLAN_H_
#define RELU_STATS_PLAN_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace relu::stats {

// What the plan needs to know of one row (all from its name).
struct Descriptor {
  std::string family;   // relu or copy
  std::string op;       // variant or copy method
  std::string form;     // scalar, eigen, highway, xnnpack, numpy, libc, ...
  std::string out;      // reuse, fresh, inplace (copies: reuse or inplace)
  std::string threads;  // "1", "2", ...
  std::string isa;      // "" for dynamic dispatch
  std::string harness;  // ring, python, gbench
  std::string fn;       // Python: the library function, if several
  std::string params;   // the parameter keys, e.g. "alpha:0.01"
  bool ours = false;    // scalar, eigen or highway
  bool in_place = false;
};

enum class Why {
  kCeiling,    // a row against the fastest copy of its kind (% of copy)
  kRank,       // a row against the fastest row of its variant
  kOursVsPeer, // our best form against the best peer
  kVsMaximum,  // a Highway variant against Highway maximum
  kFresh,      // out:fresh against out:reuse
  kIsa,        // a forced instruction set against dynamic dispatch
  kThreads,    // n threads against one
  kNumpyRank,  // a NumPy formulation against the fastest one as written
};
const char* WhyName(Why why);

struct Comparison {
  size_t a, b;  // indices into the group; the ratio is a / b
  Why why;
};

// The group's comparisons, given each row's current typical time (which
// rows are fastest decides some pairs). Rows with no time (errors) are
// left out. No pair appears twice.
std::vector<Comparison> Plan(const std::vector<Descriptor>& rows,
                             const std::vector<double>& typical_seconds);

}  // namespace relu::stats

#endif  // RELU_STATS_PLAN_H_
