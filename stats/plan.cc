// The comparisons a group answers (see plan.h).
#include "stats/plan.h"

#include <map>
#include <set>
#include <tuple>

namespace relu::stats {
namespace {

bool Usable(const std::vector<double>& t, size_t i) {
  return i < t.size() && t[i] > 0;
}

// The index of the fastest usable row among `rows`, or -1.
long Fastest(const std::vector<size_t>& rows, const std::vector<double>& t) {
  long best = -1;
  for (size_t i : rows) {
    if (Usable(t, i) && (best < 0 || t[i] < t[size_t(best)])) best = long(i);
  }
  return best;
}

}  // namespace

const char* WhyName(Why why) {
  switch (why) {
    case Why::kCeiling:
      return "ceiling";
    case Why::kRank:
      return "rank";
    case Why::kOursVsPeer:
      return "ours vs peer";
    case Why::kVsMaximum:
      return "vs maximum";
    case Why::kFresh:
      return "fresh vs reuse";
    case Why::kIsa:
      return "isa";
    case Why::kThreads:
      return "threads";
    case Why::kNumpyRank:
      return "numpy rank";
  }
  return "?";
}

std::vector<Comparison> Plan(const std::vector<Descriptor>& rows,
                             const std::vector<double>& t) {
  std::vector<Comparison> out;
  std::set<std::pair<size_t, size_t>> seen;
  auto add = [&](size_t a, size_t b, Why why) {
    if (a == b || !Usable(t, a) || !Usable(t, b)) return;
    if (seen.insert({a, b}).second && !seen.count({b, a})) {
      out.push_back({a, b, why});
    }
  };
  // Copies by (in place, threads, harness); relu rows by what they compute
  // under which conditions (variant, params, out, threads, harness).
  std::map<std::tuple<bool, std::string, std::string>, std::vector<size_t>>
      copies;
  std::map<std::tuple<std::string, std::string, std::string, std::string,
                      std::string>,
           std::vector<size_t>>
      variants;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Descriptor& d = rows[i];
    if (d.family == "copy") {
      copies[{d.in_place, d.threads, d.harness}].push_back(i);
    } else if (d.family == "relu" && d.isa.empty()) {
      variants[{d.op, d.params, d.out, d.threads, d.harness}].push_back(i);
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const Descriptor& d = rows[i];
    if (d.family != "relu") continue;
    // The ceiling: the fastest copy that moves the same kind of bytes.
    auto c = copies.find({d.in_place, d.threads, d.harness});
    if (c != copies.end()) {
      const long best = Fastest(c->second, t);
      if (best >= 0) add(i, size_t(best), Why::kCeiling);
    }
  }
  for (const auto& [key, members] : variants) {
    const long best = Fastest(members, t);
    if (best < 0) continue;
    for (size_t i : members) add(i, size_t(best), Why::kRank);
    std::vector<size_t> ours, peers;
    for (size_t i : members) (rows[i].ours ? ours : peers).push_back(i);
    const long best_ours = Fastest(ours, t), best_peer = Fastest(peers, t);
    if (best_ours >= 0 && best_peer >= 0) {
      add(size_t(best_ours), size_t(best_peer), Why::kOursVsPeer);
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const Descriptor& d = rows[i];
    if (d.family != "relu") continue;
    for (size_t j = 0; j < rows.size(); ++j) {
      const Descriptor& e = rows[j];
      if (i == j || e.family != "relu") continue;
      const bool same_row_but = e.form == d.form && e.harness == d.harness &&
                                e.fn == d.fn && e.params == d.params;
      // Highway variants against Highway maximum (in place: against
      // maximum_inplace), same conditions.
      if (d.form == "highway" && d.isa.empty() && e.form == "highway" &&
          e.isa.empty() && e.out == d.out && e.threads == d.threads &&
          e.harness == d.harness && d.op != e.op &&
          e.op == (d.in_place ? "maximum_inplace" : "maximum")) {
        add(i, j, Why::kVsMaximum);
      }
      if (same_row_but && e.op == d.op && e.threads == d.threads &&
          e.isa == d.isa && d.out == "fresh" && e.out == "reuse") {
        add(i, j, Why::kFresh);
      }
      if (same_row_but && e.op == d.op && e.threads == d.threads &&
          e.out == d.out && !d.isa.empty() && e.isa.empty()) {
        add(i, j, Why::kIsa);
      }
      if (same_row_but && e.op == d.op && e.out == d.out && e.isa == d.isa &&
          d.threads != "1" && e.threads == "1") {
        add(i, j, Why::kThreads);
      }
    }
  }
  // Copies at n threads against one.
  for (size_t i = 0; i < rows.size(); ++i) {
    const Descriptor& d = rows[i];
    if (d.family != "copy" || d.threads == "1") continue;
    for (size_t j = 0; j < rows.size(); ++j) {
      const Descriptor& e = rows[j];
      if (e.family == "copy" && e.op == d.op && e.form == d.form &&
          e.harness == d.harness && e.threads == "1") {
        add(i, j, Why::kThreads);
      }
    }
  }
  // NumPy's formulations as written (the StackOverflow ranking): each
  // against the fastest of them.
  std::map<std::string, std::vector<size_t>> written;  // by threads
  for (size_t i = 0; i < rows.size(); ++i) {
    const Descriptor& d = rows[i];
    if (d.family == "relu" && d.form == "numpy" && d.out != "reuse") {
      written[d.threads].push_back(i);
    }
  }
  for (const auto& [threads, members] : written) {
    const long best = Fastest(members, t);
    if (best < 0) continue;
    for (size_t i : members) add(i, size_t(best), Why::kNumpyRank);
  }
  return out;
}

}  // namespace relu::stats
