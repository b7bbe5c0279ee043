// What every report section shares: the inputs, the model, the glossary, and a
// query for the rows a section wants.
#ifndef RELU_REPORT_SECTIONS_COMMON_H_
#define RELU_REPORT_SECTIONS_COMMON_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/markdown.h"
#include "report/model.h"
#include "report/plots.h"
#include "report/semantics.h"
#include "report/so_claims.h"
#include "report/text.h"

namespace relu::report {

// Everything one run gives the report.
struct ReportInput {
  std::vector<BenchFile> files;
  std::vector<SemanticsFile> semantics;
  std::optional<SoClaims> claims;
  std::string probe;  // relu_probe's Markdown output (--probe), or ""
  PlotOutcome plots;
};

// What a section reads while it renders.
struct Doc {
  const ReportInput& in;
  const Model& model;
  Glossary& glossary;
  std::string appendix;  // the appendix's file name, for links
  // The main report shows sweeps at the size classes' representative sizes
  // and the question's shape; the appendix shows every size.
  bool every_size = false;
  // ShownSize's class sizes per dtype, computed on first use: the model
  // does not change while a document renders.
  mutable std::map<std::string, std::vector<int64_t>> class_sizes = {};
};

// Whether a sweep's row at n belongs in this document (see every_size).
bool ShownSize(const Doc& doc, const std::string& dtype, int64_t n);

// The rows a section asks for. Empty strings match anything; the condition
// keys default to the main conditions and compare with defaults filled in.
struct Query {
  std::string family = "relu";
  std::string op;
  std::string form;
  std::string dtype;
  std::optional<int64_t> n;
  std::string out;  // "" any; "written" = as NumPy code writes it (fresh, or
                    // inplace for in-place variants); "default" = reuse or
                    // inplace
  std::string state = "producer";
  std::string neg = "50";
  std::string threads = "1";
  std::string isa = "";  // "*" any
  std::string harness;   // "" any
  std::string protocol = "fair";
  std::string fn = "*";  // "*" any
  std::string owner;     // "" any, "ours", "peer"
};

// The C++ suite's rows (harness ring) of `op` in `form` ("" any) at one
// dtype and n, at the default conditions: out reuse, or inplace for
// in-place variants. Most sections start their queries here.
Query SuiteQuery(const std::string& op, const std::string& form,
                 const std::string& dtype, std::optional<int64_t> n);

bool Matches(const Measurement& m, const Query& q);
std::vector<const Measurement*> Rows(const Model& model, const Query& q);
// The fastest matching row, or null.
const Measurement* FastestRow(const Model& model, const Query& q);

// Where the host had the row's two virtual CPUs (PlacementNs: "126 ns"),
// with how many of its rounds shared that placement when not all did
// ("126 ns (31 of 40 rounds)"), or a dash.
std::string CoreRoundTrip(const Measurement& m);

// The StackOverflow shape's element count (from the claims, else
// 5000 x 5000) and the dtype the question used.
int64_t SoElements(const Doc& doc);

// "maximum/highway" or "maximum/torch (relu_)": a row's variant and form,
// with its library function where it has one.
std::string RowLabel(const Measurement& m);
// "`np.maximum(x, 0)`": the variant's NumPy formulation, as code.
std::string Formulation(const std::string& variant);

// The copy ceiling of a relu row: the fastest copy of the same kind (the
// in-place copy for in-place variants) at the same dtype, n, state, share
// of negatives, threads and harness; null when the run has none.
const Measurement* CeilingOf(const Model& model, const Measurement& m);

// m's bandwidth over the ceiling's (bytes read plus written per second),
// with the interval of the underlying time ratio: "% of copy".
Comparison FractionOfCeiling(const Measurement& m, const Measurement& copy);

// "93% (91–95%)": a fraction of the ceiling with its interval.
std::string PercentWithCi(const Comparison& c);

// Only sections with something to show are printed: "" stays "".
std::string Section(const std::string& title, const std::string& body);

}  // namespace relu::report

#endif  // RELU_REPORT_SECTIONS_COMMON_H_
