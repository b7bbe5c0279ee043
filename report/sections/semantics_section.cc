// What every variant and form returns on the edge inputs (the appendix): where
// each stops being ReLU or its derivative, and where a form or peer differs
// from NumPy.
#include <algorithm>
#include <map>
#include <set>

#include "relu/vocabulary_generated.h"
#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kIntro =
    "Each variant on the edge inputs as one array (prelu with one channel "
    "and slope 1/32; backward_where with dout = 1, so its row reads as the "
    "derivative's mask). ✗ marks an output that differs from NumPy's for the "
    "same variant (bit for bit; any NaN matches any NaN). Our forms never "
    "differ (the conformance tests hold them to it); peers are not held to "
    "NumPy and show where they part.\n\n";

struct Entry {
  const SemanticsFile* file;
  const SemRow* row;
};

}  // namespace

std::string RenderSemanticsSection(const Doc& doc) {
  const std::vector<SemanticsFile>& files = doc.in.semantics;
  if (files.empty()) return "";
  std::string out = kIntro;
  // Where each variant stops being ReLU, from the vocabulary.
  Table where({"variant", "NumPy formulation",
               "where it stops being ReLU (NumPy 1.24)"});
  for (const vocab::VariantEntry& v : vocab::kVariants) {
    where.AddRow({v.name, Code(v.numpy), v.not_relu});
  }
  out += where.Render() + "\n";
  std::vector<std::string> labels;
  for (const SemanticsFile& f : files) {
    for (const SemInput& in : f.inputs) {
      if (std::find(labels.begin(), labels.end(), in.label) == labels.end()) {
        labels.push_back(in.label);
      }
    }
  }
  std::map<std::string, std::vector<Entry>> by_dtype;
  std::set<std::string> seen;
  for (const SemanticsFile& f : files) {
    for (const SemRow& r : f.rows) {
      if (seen.insert(r.variant + "/" + r.FormLabel() + "/" + r.dtype).second) {
        by_dtype[r.dtype].push_back({&f, &r});
      }
    }
  }
  for (auto& [dtype, entries] : by_dtype) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) {
                       return std::make_pair(VariantOrder(a.row->variant),
                                             FormOrder(a.row->form)) <
                              std::make_pair(VariantOrder(b.row->variant),
                                             FormOrder(b.row->form));
                     });
    std::vector<Cell> header = {"variant", "form"};
    for (const std::string& l : labels) header.emplace_back(l);
    Table t(header);
    for (const Entry& e : entries) {
      // NumPy's row of the same variant and dtype, the reference.
      const Entry* numpy = nullptr;
      for (const Entry& o : entries) {
        if (o.row->variant == e.row->variant && o.row->form == "numpy" &&
            o.row->fn.empty()) {
          numpy = &o;
        }
      }
      std::vector<Cell> row = {e.row->variant, e.row->FormLabel()};
      for (const std::string& l : labels) {
        auto pos = [&](const Entry& x) -> long {
          for (size_t k = 0; k < x.file->inputs.size(); ++k) {
            if (x.file->inputs[k].label == l) return long(k);
          }
          return -1;
        };
        const long k = pos(e);
        if (k < 0) {
          row.emplace_back("—");
          continue;
        }
        const SemOutput& o = e.row->outputs[size_t(k)];
        bool differs = false;
        if (numpy != nullptr && numpy->row != e.row) {
          const long j = pos(*numpy);
          differs =
              j >= 0 && !SameResult(o.bits, numpy->row->outputs[size_t(j)].bits,
                                    e.row->OutDtype());
        }
        row.emplace_back(differs ? Cell(Md{"✗ " + Escape(o.text)})
                                 : Cell(o.text));
      }
      t.AddRow(std::move(row));
    }
    out += "### " + dtype + "\n\n" + t.Render() + "\n";
  }
  return out;
}

}  // namespace relu::report
