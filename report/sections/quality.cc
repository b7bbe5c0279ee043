// How far the verdicts can be trusted: the width of every comparison's
// interval, the groups that ran out of time before reaching the target, and
// what else the machine was doing.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "report/sections/sections.h"
#include "report/verdicts.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "Every comparison this run supports ({count}, the plan of each "
    "{group}): the relative half-width of its {ci}. {within3} of them are "
    "within ±3% and {within2} within ±2% (the sampling target); the median "
    "is ±{p50}, the 90th percentile ±{p90}, the widest ±{max}. {short_groups} "
    "of {groups} groups ran out of time before every comparison reached "
    "±2%.\n\n";
constexpr const char* kByKind =
    "By kind of comparison and harness (a comparison counts as two-thread "
    "when either row runs on more than one thread):\n\n";
constexpr const char* kMachine =
    "The machine while it measured ({file}): hypervisor {steal} "
    "{steal_pct}% over the run, load {load_start} at the start and "
    "{load_end} at the end, other busy processes: {busy}. Groups with more "
    "than 2% steal: {steal_groups}.\n\n";

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const size_t i =
      std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
  return v[i];
}

std::string Ctx(const BenchFile& f, const char* key) {
  auto it = f.context.find(key);
  if (it == f.context.end()) return "";
  return ContextText(*it);
}

// Where the wide intervals come from: the share within ±3% per kind of
// comparison, harness and thread count, widest median first.
std::string RenderWidthsByKind(const std::vector<VerdictRow>& verdicts) {
  std::map<std::string, std::vector<double>> by_kind;
  for (const VerdictRow& v : verdicts) {
    if (!v.comparison.valid()) continue;
    const bool python = Effective(v.a->name, "harness") == "python";
    const bool threads = IsMultiThread(v.a->name) || IsMultiThread(v.b->name);
    const std::string kind = std::string(stats::WhyName(v.why)) + ", " +
                             (python ? "Python" : "C++") +
                             (threads ? ", two threads" : "");
    by_kind[kind].push_back(v.comparison.ratio.RelativeHalfWidth());
  }
  // (median, kind), widest median first.
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [kind, w] : by_kind) {
    order.emplace_back(Quantile(w, 0.5), kind);
  }
  std::stable_sort(
      order.begin(), order.end(),
      [](const auto& x, const auto& y) { return x.first > y.first; });
  Table t({"comparison", "count", "within ±3%", "median half-width",
           "90th percentile"},
          {Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
           Align::kRight});
  for (const auto& [median, kind] : order) {
    const std::vector<double>& w = by_kind[kind];
    const size_t w3 = static_cast<size_t>(
        std::count_if(w.begin(), w.end(), [](double x) { return x <= 0.03; }));
    t.AddRow({kind, std::to_string(w.size()),
              FormatPercent(double(w3) / double(w.size())),
              "±" + FormatPercent(median),
              "±" + FormatPercent(Quantile(w, 0.9))});
  }
  return t.Render();
}

}  // namespace

std::string RenderQuality(const Doc& doc) {
  const std::vector<VerdictRow> verdicts = AllVerdicts(doc.model);
  std::vector<double> widths;
  for (const VerdictRow& v : verdicts) {
    if (v.comparison.valid())
      widths.push_back(v.comparison.ratio.RelativeHalfWidth());
  }
  std::string out;
  if (!widths.empty()) {
    size_t w3 = 0, w2 = 0;
    for (double w : widths) {
      w3 += w <= 0.03;
      w2 += w <= 0.02;
    }
    std::map<std::string, bool> group_short;
    for (const Measurement& m : doc.model.measurements) {
      if (auto reached = m.Counter("group_reached")) {
        group_short[m.group] = group_short[m.group] || *reached < 0.5;
      }
    }
    size_t short_groups = 0;
    for (const auto& [_, s] : group_short) short_groups += s;
    auto pct = [&](size_t k) {
      return FormatPercent(double(k) / double(widths.size()));
    };
    out += Fill(kIntro, fmt::arg("count", widths.size()),
                fmt::arg("group", doc.glossary.Term("group")),
                fmt::arg("ci", doc.glossary.Term("95% CI")),
                fmt::arg("within3", pct(w3)), fmt::arg("within2", pct(w2)),
                fmt::arg("p50", FormatPercent(Quantile(widths, 0.5))),
                fmt::arg("p90", FormatPercent(Quantile(widths, 0.9))),
                fmt::arg("max", FormatPercent(Quantile(widths, 1.0))),
                fmt::arg("short_groups", short_groups),
                fmt::arg("groups", group_short.size()));
    out += kByKind + RenderWidthsByKind(verdicts) + "\n";
  }
  for (const BenchFile& f : doc.in.files) {
    const std::string steal = Ctx(f, "quality_steal_pct");
    if (steal.empty()) continue;
    std::vector<std::string> steal_groups;
    std::map<std::string, double> by_group;
    for (const Measurement& m : doc.model.measurements) {
      if (m.file != f.path) continue;
      if (auto s = m.Counter("group_steal_pct"); s && *s > 2.0) {
        by_group[m.name.dtype +
                 " n=" + std::to_string(m.name.Elements().value_or(0)) + " " +
                 Effective(m.name, "state")] = *s;
      }
    }
    for (const auto& [g, s] : by_group)
      steal_groups.push_back(g + " (" + FormatSig(s) + "%)");
    out += Fill(kMachine, fmt::arg("file", Escape(f.path)),
                fmt::arg("steal", doc.glossary.Term("steal")),
                fmt::arg("steal_pct", Escape(steal)),
                fmt::arg("load_start", Escape(Ctx(f, "quality_load_start"))),
                fmt::arg("load_end", Escape(Ctx(f, "quality_load_end"))),
                fmt::arg("busy", Escape(Ctx(f, "quality_busy_processes"))),
                fmt::arg("steal_groups",
                         steal_groups.empty()
                             ? std::string("none")
                             : Escape(fmt::format(
                                   "{}", fmt::join(steal_groups, "; ")))));
  }
  return out;
}

}  // namespace relu::report
