// The machine and build every input records, side by side (the appendix).
#include <algorithm>
#include <set>

#include "report/sections/sections.h"

namespace relu::report {
namespace {

using nlohmann::json;

// The keys people look for first; the rest follow in name order.
const char* const kFirst[] = {"cpu_model",
                              "num_cpus",
                              "mhz_per_cpu",
                              "caches",
                              "cache_l1d",
                              "cache_l2",
                              "cache_llc",
                              "cache_source",
                              "hwy_target",
                              "hwy_targets_supported",
                              "thp",
                              "load_avg",
                              "quality_steal_pct",
                              "quality_busy_processes",
                              "git_commit",
                              "relu_preset",
                              "date",
                              "host_name"};

std::string Value(const json& v) {
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const json& x : v) {
      if (x.is_object()) {
        std::string part;
        for (auto it = x.begin(); it != x.end(); ++it) {
          if (!part.empty()) part += " ";
          part += it.key() + "=" + ContextText(it.value());
        }
        parts.push_back(part);
      } else {
        parts.push_back(ContextText(x));
      }
    }
    return fmt::format("{}", fmt::join(parts, "; "));
  }
  return ContextText(v);
}

}  // namespace

std::string RenderMachine(const Doc& doc) {
  std::vector<std::string> keys(std::begin(kFirst), std::end(kFirst));
  std::set<std::string> present;
  for (const BenchFile& f : doc.in.files) {
    for (auto it = f.context.begin(); it != f.context.end(); ++it) {
      present.insert(it.key());
    }
  }
  for (const std::string& k : present) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  std::vector<Cell> header = {"context key"};
  for (const BenchFile& f : doc.in.files) header.emplace_back(f.path);
  Table t(header);
  for (const std::string& key : keys) {
    if (!present.count(key)) continue;
    std::vector<Cell> row = {key};
    for (const BenchFile& f : doc.in.files) {
      auto it = f.context.find(key);
      row.emplace_back(it == f.context.end() ? std::string("—") : Value(*it));
    }
    t.AddRow(std::move(row));
  }
  if (t.empty()) return "";
  const CacheSizes& c = doc.model.caches;
  std::string out = t.Render() + "\n";
  if (c.l1d && c.l2 && c.llc) {
    out += "Size classes compare each row's working set with L1d " +
           FormatBytes(*c.l1d) + ", L2 " + FormatBytes(*c.l2) + " and LLC " +
           FormatBytes(*c.llc) + ", from " + Escape(c.source) + ".\n\n";
  }
  return out;
}

}  // namespace relu::report
