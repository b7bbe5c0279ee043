// The plot data scripts/plot.py draws: throughput against size with interval
// bars and the copy ceiling, the StackOverflow shape as bars, and the speed-up
// of two threads.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/markdown.h"
#include "report/plots.h"
#include "report/sections/common.h"

namespace relu::report {
namespace {

using nlohmann::json;

// [x, y, y_lo, y_hi]: GB/s with the interval of the time turned into GB/s.
json Point(const Measurement& m, double x) {
  const double bytes = m.bytes_per_call.value_or(0);
  const double y = bytes / m.time_ns;
  const double lo = m.time_ci.valid ? bytes / m.time_ci.hi : y;
  const double hi = m.time_ci.valid ? bytes / m.time_ci.lo : y;
  return json::array({x, y, lo, hi});
}

json CacheLines(const Model& model) {
  json v = json::array();
  const CacheSizes& c = model.caches;
  // The input size at which maximum's working set (input and output) fills
  // each level.
  if (c.l1d) v.push_back({{"x", *c.l1d / 2}, {"label", "L1d"}});
  if (c.l2) v.push_back({{"x", *c.l2 / 2}, {"label", "L2"}});
  if (c.llc) v.push_back({{"x", *c.llc / 2}, {"label", "LLC"}});
  return v;
}

std::string SeriesLabel(const Measurement& m) {
  std::string label = m.name.form;
  if (Effective(m.name, "harness") == "python" && IsOurForm(m.name.form)) {
    label += " (from Python)";
  }
  return label;
}

json Throughput(const Model& model, const std::string& dtype,
                const std::string& variant) {
  // form (and harness) -> input bytes -> the row.
  std::map<std::string, std::map<double, const Measurement*>> series;
  std::map<double, const Measurement*> ceiling;
  std::map<std::string, std::string> form_of;
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || m.name.dtype != dtype || !m.bytes_per_call ||
        !m.name.Get("shape").empty() || !IsDefaultCondition(m.name)) {
      continue;
    }
    const auto n = m.name.Elements();
    if (!n) continue;
    const double x = double(*n) * m.name.ElementBytes();
    if (m.name.family == "relu" && m.name.op == variant) {
      const std::string label = SeriesLabel(m);
      form_of[label] = m.name.form;
      auto& slot = series[label][x];
      if (slot == nullptr || m.time_ns < slot->time_ns) slot = &m;
    }
  }
  json out = json::array();
  std::vector<std::string> labels;
  for (const auto& [label, _] : series) labels.push_back(label);
  std::stable_sort(labels.begin(), labels.end(),
                   [&](const auto& a, const auto& b) {
                     return FormOrder(form_of[a]) < FormOrder(form_of[b]);
                   });
  for (const std::string& label : labels) {
    json points = json::array();
    for (const auto& [x, m] : series[label]) {
      points.push_back(Point(*m, x));
      if (Effective(m->name, "harness") == "ring") {
        if (const Measurement* c = CeilingOf(model, *m)) {
          // The ceiling at the variant's own bytes: the copy's bandwidth.
          auto& slot = ceiling[x];
          if (slot == nullptr || c->time_ns < slot->time_ns) slot = c;
        }
      }
    }
    out.push_back({{"label", label},
                   {"form", form_of[label]},
                   {"owner", OwnerOf(form_of[label])},
                   {"points", points}});
  }
  json ceil = json::array();
  for (const auto& [x, c] : ceiling) ceil.push_back(Point(*c, x));
  return {{"kind", "throughput"},
          {"file", fmt::format("throughput_{}_{}.png", dtype, variant)},
          {"title", fmt::format("{} {}: GB/s (bytes read + written) against "
                                "input size, one thread, producer state",
                                dtype, variant)},
          {"xlabel", "input size"},
          {"ylabel", "GB/s (bytes read + written; bars: 95% CI)"},
          {"series", out},
          {"ceiling",
           {{"label", "fastest copy of the same bytes"}, {"points", ceil}}},
          {"vlines", CacheLines(model)}};
}

// NumPy's formulations and the fastest of each other library at the
// question's shape: time bars with intervals, each with the copy of its own
// bytes as a tick.
json StackOverflowBars(const Model& model, int64_t n) {
  json bars = json::array();
  const Measurement* copy = Fastest(model, [&](const Measurement& m) {
    return m.name.family == "copy" && m.name.dtype == "f64" &&
           m.name.Elements() == n && IsDefaultCondition(m.name) &&
           Effective(m.name, "out") == "reuse";
  });
  auto add = [&](const Measurement& m, const std::string& label) {
    json bar = {{"label", label},
                {"form", m.name.form},
                {"ms", m.time_ns / 1e6},
                {"lo", (m.time_ci.valid ? m.time_ci.lo : m.time_ns) / 1e6},
                {"hi", (m.time_ci.valid ? m.time_ci.hi : m.time_ns) / 1e6}};
    if (copy && copy->bytes_per_call && m.bytes_per_call) {
      bar["ceiling_ms"] =
          copy->time_ns * (*m.bytes_per_call / *copy->bytes_per_call) / 1e6;
    }
    bars.push_back(bar);
  };
  for (const Measurement& m : model.measurements) {
    if (!m.ok() || m.name.form != "numpy" || m.name.dtype != "f64" ||
        m.name.Elements() != n || Effective(m.name, "protocol") != "fair" ||
        Effective(m.name, "state") != "producer" ||
        Effective(m.name, "threads") != "1" || IsBackwardVariant(m.name.op)) {
      continue;
    }
    const std::string out = Effective(m.name, "out");
    const bool in_place = IsInPlaceVariant(m.name.op);
    if (out != (in_place ? "inplace" : "fresh")) continue;
    add(m, "numpy " + m.name.op);
  }
  std::stable_sort(bars.begin(), bars.end(), [](const json& a, const json& b) {
    return a["ms"] < b["ms"];
  });
  for (const char* form : {"torch", "numba", "highway"}) {
    const Measurement* best = Fastest(model, [&](const Measurement& m) {
      return m.name.form == form && m.name.op == "maximum" &&
             m.name.dtype == "f64" && m.name.Elements() == n &&
             Effective(m.name, "state") == "producer" &&
             Effective(m.name, "threads") == "1" &&
             Effective(m.name, "protocol") == "fair";
    });
    if (best) add(*best, RowLabel(*best));
  }
  if (bars.empty()) return nullptr;
  return {
      {"kind", "bars"},
      {"file", "stackoverflow_f64.png"},
      {"title", fmt::format("{} float64 elements (the question's shape), every "
                            "call on fresh input: time per call (bars: 95% CI; "
                            "ticks: a copy of the same bytes)",
                            n)},
      {"xlabel", "ms per call"},
      {"bars", bars}};
}

json Scaling(const Model& model, const std::string& dtype) {
  std::map<std::string, json> series;
  std::map<std::string, std::string> form_of;
  for (const Measurement& two : model.measurements) {
    if (!two.ok() || two.name.dtype != dtype ||
        Effective(two.name, "threads") != "2" ||
        Effective(two.name, "state") != "producer" ||
        Effective(two.name, "harness") != "ring" ||
        !two.name.Get("shape").empty() ||
        (two.name.family == "relu" && two.name.op != "maximum")) {
      continue;
    }
    const std::string key = SameBut(two, "threads");
    const Measurement* one = Fastest(model, [&](const Measurement& m) {
      return Effective(m.name, "threads") == "1" &&
             SameBut(m, "threads") == key;
    });
    const auto n = two.name.Elements();
    if (!one || !n) continue;
    const Comparison c = Compare(*one, two);
    const std::string label =
        two.name.family == "copy" ? "copy " + two.name.op : two.name.form;
    form_of[label] = two.name.family == "copy" ? "copy" : two.name.form;
    series[label].push_back(
        json::array({double(*n) * two.name.ElementBytes(), c.ratio.estimate,
                     c.valid() ? c.ratio.lo : c.ratio.estimate,
                     c.valid() ? c.ratio.hi : c.ratio.estimate}));
  }
  if (series.empty()) return nullptr;
  json out = json::array();
  for (auto& [label, points] : series) {
    std::sort(points.begin(), points.end());
    out.push_back(
        {{"label", label}, {"form", form_of[label]}, {"points", points}});
  }
  return {{"kind", "scaling"},
          {"file", fmt::format("threads_{}_maximum.png", dtype)},
          {"title", fmt::format("{} maximum: speed-up of two threads over one "
                                "(bars: 95% CI)",
                                dtype)},
          {"xlabel", "input size"},
          {"ylabel", "time on 1 thread ÷ time on 2"},
          {"series", out},
          {"vlines", CacheLines(model)}};
}

}  // namespace

json BuildPlotData(const Model& model, int64_t so_elements) {
  json charts = json::array();
  if (json bars = StackOverflowBars(model, so_elements); !bars.is_null()) {
    charts.push_back(bars);
  }
  for (const std::string& dtype : Dtypes(model)) {
    for (const char* variant : {"maximum", "maximum_inplace"}) {
      json chart = Throughput(model, dtype, variant);
      size_t points = 0;
      for (const json& s : chart["series"]) points += s["points"].size();
      // A chart of one size says nothing: only sweeps are drawn.
      if (points > 2 * chart["series"].size()) charts.push_back(chart);
    }
    if (json s = Scaling(model, dtype); !s.is_null()) charts.push_back(s);
  }
  return {{"charts", charts}};
}

}  // namespace relu::report
