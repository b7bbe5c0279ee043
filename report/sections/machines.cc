// Across runs: a column per machine for the headline comparisons, and the
// verdict diff of two runs (see machines.h).
#include "report/sections/machines.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <utility>

#include "report/verdicts.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "# ReLU across machines\n\n"
    "Each column is one machine's run; the first column is the reference. "
    "Cells: the median time with its 95% interval, and, for the other "
    "machines, their time over the reference machine's (from all samples of "
    "both runs: Mann-Whitney, unpaired). Runs written before the suite kept "
    "every sample show their median alone, without an interval.\n\n";
constexpr const char* kDiffIntro =
    "# Verdicts that differ between {a} and {b}\n\n"
    "{total} comparisons in both runs; {flips} flip (faster in one run, "
    "slower in the other), {changes} change to or from a tie, {same} agree. "
    "A flip is what two runs must never show; a change to or from a tie is "
    "an interval that reached 1 in one run and not in the other.{threads}"
    "{placed}\n\n";
constexpr const char* kDiffThreads =
    " {two} of the flips involve a two-thread row whose two runs did not "
    "place the two virtual CPUs more than 2× apart (or did not measure "
    "it).";
constexpr const char* kDiffPlaced =
    " {placed} more comparisons with a two-thread row differ ({pflips} of "
    "them in direction) between runs whose host placed the two virtual CPUs "
    "differently (core round trips more than 2× apart). A second thread's "
    "worth follows that placement, so these compare two machines, not two "
    "runs of one; they are listed apart, with both placements.";

std::string Ctx(const ReportInput& run, const char* key) {
  for (const BenchFile& f : run.files) {
    auto it = f.context.find(key);
    if (it != f.context.end()) return ContextText(*it);
  }
  return "";
}

std::optional<double> CacheBytes(const ReportInput& run, const char* key) {
  const std::string text = Ctx(run, key);
  char* end = nullptr;
  const double bytes = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || !(bytes > 0)) return std::nullopt;
  return bytes;
}

std::string Cellf(const Measurement* m, const Measurement* ref) {
  if (m == nullptr) return "—";
  std::string text = TimeWithCi(*m);
  if (ref != nullptr && ref != m) {
    text += "; " + RatioWithCi(Compare(*m, *ref)) + " the first";
  }
  return text;
}

}  // namespace

std::string MachineLabel(const ReportInput& run) {
  std::string label = Ctx(run, "cpu_model");
  if (label.empty()) label = "unknown CPU";
  const std::string id = Ctx(run, "cpu_id");
  if (!id.empty()) label += " (" + id + ")";
  const std::string cpus = Ctx(run, "num_cpus");
  if (!cpus.empty()) label += ", " + cpus + " cores";
  const std::string target = Ctx(run, "hwy_target");
  if (!target.empty()) label += ", " + target;
  std::string caches;
  for (const auto& [key, name] :
       {std::pair<const char*, const char*>{"cache_l1d", "L1d"},
        {"cache_l2", "L2"},
        {"cache_llc", "LLC"}}) {
    if (auto bytes = CacheBytes(run, key)) {
      caches += std::string(caches.empty() ? "" : " ") + name + " " +
                FormatBytes(*bytes);
    }
  }
  if (!caches.empty()) label += ", " + caches;
  return label;
}

std::string MachineSlug(const ReportInput& run) {
  std::string raw = Ctx(run, "cpu_model");
  if (raw.empty()) raw = "unknown";
  const std::string cpus = Ctx(run, "num_cpus");
  if (!cpus.empty()) raw += " " + cpus + "c";
  const std::string target = Ctx(run, "hwy_target");
  if (!target.empty()) raw += " " + target;
  if (auto l1d = CacheBytes(run, "cache_l1d")) {
    raw += " l1d" + std::to_string(static_cast<int64_t>(*l1d / 1024)) + "k";
  }
  std::string slug;
  for (char c : raw) {
    const char l =
        static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_') {
      slug += l;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.substr(0, 80);
}

std::string RenderMachines(const std::vector<ReportInput>& runs) {
  std::vector<Model> models;
  for (const ReportInput& r : runs) models.push_back(BuildModel(r.files));
  std::string out = kIntro;
  Table who({"column", "machine", "preset", "commit"});
  for (size_t i = 0; i < runs.size(); ++i) {
    who.AddRow({std::to_string(i + 1), MachineLabel(runs[i]),
                Ctx(runs[i], "relu_preset"),
                Ctx(runs[i], "git_commit").substr(0, 12)});
  }
  out += who.Render() + "\n";
  struct Headline {
    std::string label;
    Query q;
  };
  std::vector<Headline> rows;
  const int64_t n = 5000 * 5000;
  auto numpy = [&](const char* v, const char* outp) {
    Query q;
    q.op = v;
    q.form = "numpy";
    q.dtype = "f64";
    q.n = n;
    q.out = outp;
    return q;
  };
  rows.push_back({"NumPy `np.maximum(x, 0)`", numpy("maximum", "fresh")});
  rows.push_back(
      {"NumPy `np.maximum(x, 0, out=o)`", numpy("maximum", "reuse")});
  rows.push_back({"NumPy `x * (x > 0)`", numpy("multiply", "fresh")});
  rows.push_back({"NumPy `(abs(x) + x) / 2`", numpy("abs", "fresh")});
  rows.push_back(
      {"NumPy `np.maximum(x, 0, x)`", numpy("maximum_inplace", "inplace")});
  rows.push_back({"NumPy `x[x < 0] = 0`", numpy("masked_assign", "inplace")});
  for (const char* form : {"torch", "numba"}) {
    Query q;
    q.op = "maximum";
    q.form = form;
    q.dtype = "f64";
    q.n = n;
    q.out = "";
    rows.push_back(
        {std::string(form == std::string("torch") ? "PyTorch" : "Numba") +
             " maximum (fastest function)",
         q});
  }
  for (const char* v : {"maximum", "maximum_inplace"}) {
    Query q = SuiteQuery(v, "highway", "f64", n);
    rows.push_back({std::string("ours, Highway ") + v + " (C++)", q});
  }
  Query copy;
  copy.family = "copy";
  copy.dtype = "f64";
  copy.n = n;
  copy.out = "reuse";
  copy.harness = "ring";
  rows.push_back({"fastest copy of the same bytes (C++)", copy});
  std::vector<Cell> header = {"5000×5000 float64"};
  for (size_t i = 0; i < runs.size(); ++i)
    header.emplace_back(std::to_string(i + 1));
  Table t(header);
  for (const Headline& h : rows) {
    std::vector<Cell> row = {Md{h.label}};
    const Measurement* ref = FastestRow(models[0], h.q);
    bool any = false;
    for (const Model& m : models) {
      const Measurement* x = FastestRow(m, h.q);
      any = any || x != nullptr;
      row.emplace_back(Cellf(x, ref));
    }
    if (any) t.AddRow(std::move(row));
  }
  if (!t.empty()) out += "## At the question's shape\n\n" + t.Render() + "\n";
  // The fastest form per size class, from the runs that swept sizes.
  Table sizes(
      {"machine", "dtype", "size class", "maximum, fastest form", "GB/s"});
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const std::string& dtype : Dtypes(models[i])) {
      for (const auto& [cls, cn] : ClassSizes(models[i], dtype)) {
        Query q = SuiteQuery("maximum", "", dtype, cn);
        const Measurement* m = FastestRow(models[i], q);
        if (m == nullptr) continue;
        const auto gbps = m->GBps();
        sizes.AddRow({std::to_string(i + 1), dtype, SizeClassName(cls),
                      m->name.form + " " + TimeWithCi(*m),
                      gbps ? FormatSig(*gbps) : std::string("—")});
      }
    }
  }
  if (!sizes.empty()) out += "## By size class\n\n" + sizes.Render() + "\n";
  return out;
}

std::string RenderDiff(const ReportInput& a, const ReportInput& b,
                       const std::string& name_a, const std::string& name_b) {
  const Model ma = BuildModel(a.files), mb = BuildModel(b.files);
  std::map<std::string, VerdictRow> va, vb;
  for (VerdictRow& v : AllVerdicts(ma)) va.emplace(v.key, v);
  for (VerdictRow& v : AllVerdicts(mb)) vb.emplace(v.key, v);
  Table flips({"comparison", "verdict in " + name_a, "verdict in " + name_b,
               "core round trip"});
  Table changes({"comparison", "verdict in " + name_a, "verdict in " + name_b,
                 "core round trip"});
  Table placed({"comparison", "verdict in " + name_a, "verdict in " + name_b,
                "core round trip"});
  size_t total = 0, same = 0, nflips = 0, nchanges = 0, two = 0, nplaced = 0,
         pflips = 0;
  for (const auto& [key, x] : va) {
    auto it = vb.find(key);
    if (it == vb.end()) continue;
    const VerdictRow& y = it->second;
    ++total;
    const Verdict vx = Against(x.comparison), vy = Against(y.comparison);
    if (vx == vy) {
      ++same;
      continue;
    }
    const std::string cx =
        VerdictWord(x.comparison) + " " + RatioWithCi(x.comparison);
    const std::string cy =
        VerdictWord(y.comparison) + " " + RatioWithCi(y.comparison);
    const bool flip = (vx == Verdict::kBelow && vy == Verdict::kAbove) ||
                      (vx == Verdict::kAbove && vy == Verdict::kBelow);
    // Both runs' core round trips, for comparisons with a two-thread row.
    const bool threads = IsMultiThread(x.a->name) || IsMultiThread(x.b->name);
    // The two-thread row's placement (its group's rounds, as its
    // comparison used them).
    const Measurement& px = IsMultiThread(x.a->name) ? *x.a : *x.b;
    const Measurement& py = IsMultiThread(y.a->name) ? *y.a : *y.b;
    const auto rx = PlacementNs(px);
    const auto ry = PlacementNs(py);
    const std::string rtt =
        threads ? CoreRoundTrip(px) + " / " + CoreRoundTrip(py)
                : std::string("");
    if (threads && rx && ry && !SamePlacement(*rx, *ry)) {
      ++nplaced;
      pflips += flip;
      placed.AddRow({key, cx, cy, rtt});
    } else if (flip) {
      ++nflips;
      two += threads;
      flips.AddRow({key, cx, cy, rtt});
    } else {
      ++nchanges;
      changes.AddRow({key, cx, cy, rtt});
    }
  }
  std::string out = Fill(
      kDiffIntro, fmt::arg("a", Escape(name_a)), fmt::arg("b", Escape(name_b)),
      fmt::arg("total", total), fmt::arg("flips", nflips),
      fmt::arg("changes", nchanges), fmt::arg("same", same),
      fmt::arg("threads", two == 0 ? std::string()
                                   : Fill(kDiffThreads, fmt::arg("two", two))),
      fmt::arg("placed", nplaced == 0
                             ? std::string()
                             : Fill(kDiffPlaced, fmt::arg("placed", nplaced),
                                    fmt::arg("pflips", pflips))));
  if (!flips.empty()) out += "## Flips\n\n" + flips.Render() + "\n";
  if (!changes.empty())
    out += "## Changes to or from a tie\n\n" + changes.Render() + "\n";
  if (!placed.empty()) {
    out += "## At different placements of the two virtual CPUs\n\n" +
           placed.Render() + "\n";
  }
  return out;
}

}  // namespace relu::report
