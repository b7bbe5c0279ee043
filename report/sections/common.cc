// What every report section shares (see common.h).
#include "report/sections/common.h"

#include <algorithm>

#include "relu/vocabulary_generated.h"

namespace relu::report {

Query SuiteQuery(const std::string& op, const std::string& form,
                 const std::string& dtype, std::optional<int64_t> n) {
  Query q;
  q.op = op;
  q.form = form;
  q.dtype = dtype;
  q.n = n;
  q.out = "default";
  q.harness = "ring";
  return q;
}

bool Matches(const Measurement& m, const Query& q) {
  const BenchName& b = m.name;
  if (!q.family.empty() && b.family != q.family) return false;
  if (!q.op.empty() && b.op != q.op) return false;
  if (!q.form.empty() && b.form != q.form) return false;
  if (!q.dtype.empty() && b.dtype != q.dtype) return false;
  if (q.n && b.Elements() != q.n) return false;
  const std::string out = Effective(b, "out");
  if (q.out == "written") {
    const bool in_place = b.family == "relu" && IsInPlaceVariant(b.op);
    if (out != (in_place ? "inplace" : "fresh")) return false;
  } else if (q.out == "default") {
    if (out != "reuse" && out != "inplace") return false;
  } else if (!q.out.empty() && out != q.out) {
    return false;
  }
  if (!q.state.empty() && Effective(b, "state") != q.state) return false;
  if (!q.neg.empty() && Effective(b, "neg") != q.neg) return false;
  if (!q.threads.empty() && Effective(b, "threads") != q.threads) return false;
  if (q.isa != "*" && b.Get("isa") != q.isa) return false;
  // The C-timed rows check the Python harness; only a query for them
  // returns them.
  const std::string harness = Effective(b, "harness");
  if (q.harness.empty() ? harness == "ctimed" : harness != q.harness) {
    return false;
  }
  if (!q.protocol.empty() && Effective(b, "protocol") != q.protocol)
    return false;
  if (q.fn != "*" && b.Get("fn") != q.fn) return false;
  if (!q.owner.empty() && OwnerOf(b.form) != q.owner) return false;
  return true;
}

std::vector<const Measurement*> Rows(const Model& model, const Query& q) {
  return model.Select([&](const Measurement& m) { return Matches(m, q); });
}

const Measurement* FastestRow(const Model& model, const Query& q) {
  return Fastest(model, [&](const Measurement& m) { return Matches(m, q); });
}

int64_t SoElements(const Doc& doc) { return SoElements(doc.in.claims); }

std::string CoreRoundTrip(const Measurement& m) {
  const auto rtt = PlacementNs(m);
  if (!rtt) return "—";
  const size_t kept = m.placement.rounds;
  if (m.round_rtt_ns.empty() || kept == m.round_rtt_ns.size())
    return FormatTime(*rtt);
  return fmt::format("{} ({} of {} rounds)", FormatTime(*rtt), kept,
                     m.round_rtt_ns.size());
}

std::string RowLabel(const Measurement& m) {
  std::string label = m.name.op + "/" + m.name.form;
  const std::string fn = m.name.Get("fn");
  if (!fn.empty()) label += " (" + fn + ")";
  return label;
}

std::string Formulation(const std::string& variant) {
  for (const vocab::VariantEntry& v : vocab::kVariants) {
    if (variant == v.name) return Code(v.numpy).text;
  }
  return Code(variant).text;
}

const Measurement* CeilingOf(const Model& model, const Measurement& m) {
  const bool in_place = IsInPlaceVariant(m.name.op);
  const std::string state = Effective(m.name, "state");
  const std::string neg = Effective(m.name, "neg");
  const std::string threads = Effective(m.name, "threads");
  const std::string harness = Effective(m.name, "harness");
  const auto n = m.name.Elements();
  return Fastest(model, [&](const Measurement& c) {
    return c.name.family == "copy" && c.name.dtype == m.name.dtype &&
           c.name.Elements() == n && Effective(c.name, "state") == state &&
           Effective(c.name, "neg") == neg &&
           Effective(c.name, "threads") == threads &&
           Effective(c.name, "harness") == harness &&
           (Effective(c.name, "out") == "inplace") == in_place;
  });
}

Comparison FractionOfCeiling(const Measurement& m, const Measurement& copy) {
  Comparison c = Compare(copy, m);
  const double scale =
      m.bytes_per_call && copy.bytes_per_call && *copy.bytes_per_call > 0
          ? *m.bytes_per_call / *copy.bytes_per_call
          : 1.0;
  c.ratio.estimate *= scale;
  c.ratio.lo *= scale;
  c.ratio.hi *= scale;
  return c;
}

std::string PercentWithCi(const Comparison& c) {
  if (!c.valid()) return FormatPercent(c.ratio.estimate);
  return FormatPercent(c.ratio.estimate) + " (" + FormatPercent(c.ratio.lo) +
         "–" + FormatPercent(c.ratio.hi) + ")";
}

std::string Section(const std::string& title, const std::string& body) {
  if (body.empty()) return "";
  return "## " + title + "\n\n" + body;
}

bool ShownSize(const Doc& doc, const std::string& dtype, int64_t n) {
  if (doc.every_size) return true;
  if (doc.in.claims ? n == SoElements(doc.in.claims) : n == 25000000)
    return true;
  auto it = doc.class_sizes.find(dtype);
  if (it == doc.class_sizes.end()) {
    std::vector<int64_t> sizes;
    for (const auto& [cls, class_n] : ClassSizes(doc.model, dtype)) {
      sizes.push_back(class_n);
    }
    it = doc.class_sizes.emplace(dtype, std::move(sizes)).first;
  }
  return std::find(it->second.begin(), it->second.end(), n) != it->second.end();
}

}  // namespace relu::report
