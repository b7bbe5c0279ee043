// Every verdict a run supports (see verdicts.h).
#include "report/verdicts.h"

#include <map>

#include "relu/vocabulary_generated.h"

namespace relu::report {

stats::Descriptor DescriptorOf(const Measurement& m) {
  stats::Descriptor d;
  const BenchName& n = m.name;
  d.family = n.family;
  d.op = n.op;
  d.form = n.form;
  d.out = Effective(n, "out");
  d.threads = Effective(n, "threads");
  d.isa = n.Get("isa");
  d.harness = Effective(n, "harness");
  d.fn = n.Get("fn");
  std::string params;
  for (const vocab::KeyEntry& k : vocab::kKeys) {
    if (std::string_view(k.kind) != "number") continue;
    const std::string v = n.Get(k.name);
    if (v.empty()) continue;
    if (!params.empty()) params += "/";
    params += std::string(k.name) + ":" + v;
  }
  d.params = params;
  d.ours = IsOurForm(n.form);
  d.in_place = n.family == "copy" ? d.out == "inplace" : IsInPlaceVariant(n.op);
  return d;
}

std::vector<VerdictRow> AllVerdicts(const Model& model) {
  std::map<std::string, std::vector<const Measurement*>> groups;
  for (const Measurement& m : model.measurements) {
    if (m.ok() && (m.name.family == "relu" || m.name.family == "copy") &&
        Effective(m.name, "protocol") == "fair") {
      groups[m.group].push_back(&m);
    }
  }
  std::vector<VerdictRow> out;
  for (const auto& [group, rows] : groups) {
    std::vector<stats::Descriptor> desc;
    std::vector<double> typical;
    for (const Measurement* m : rows) {
      desc.push_back(DescriptorOf(*m));
      typical.push_back(m->time_ns);
    }
    for (const stats::Comparison& c : stats::Plan(desc, typical)) {
      VerdictRow v{rows[c.a], rows[c.b], c.why, Compare(*rows[c.a], *rows[c.b]),
                   ""};
      v.key = v.a->name.Canonical() + " vs " + v.b->name.Canonical() + " (" +
              stats::WhyName(c.why) + ")";
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace relu::report
