// Renders report.md from the model: pure functions from parsed inputs to
// Markdown text.
#ifndef RELU_REPORT_RENDER_H_
#define RELU_REPORT_RENDER_H_

#include <optional>
#include <string>
#include <vector>

#include "report/bench_json.h"
#include "report/model.h"
#include "report/plots.h"
#include "report/semantics.h"
#include "report/so_claims.h"

namespace relu::report {

struct ReportData {
  std::vector<BenchFile> files;
  std::vector<SemanticsFile> semantics;
  std::optional<SoClaims> claims;
  PlotOutcome plots;
};

// The whole report. Deterministic: the same inputs give the same bytes
// (no clock, no absolute paths beyond the ones the inputs were named by).
std::string RenderReport(const ReportData& data, const Model& model);

// Sections, exposed for tests.
std::string RenderWarnings(const ReportData& data, const Model& model);
std::string RenderContext(const ReportData& data, const Model& model);
std::string RenderSummary(const Model& model);
std::string RenderFormTables(const Model& model);
std::string RenderConditions(const Model& model);
std::string RenderHarnessOverhead(const Model& model);
std::string RenderSemantics(const std::vector<SemanticsFile>& files);
std::string RenderSemanticsVsNumpy(const std::vector<SemanticsFile>& files);
// Issue 5: each answer's claims against its replay, fair NumPy and C++, with
// explanations computed from the same run.
std::string RenderStackOverflow(const std::optional<SoClaims>& claims,
                                const Model& model);
std::string RenderTargets(const Model& model);
// Each Highway variant's time over Highway maximum's, against the 10% bound
// (1.5 times that for broadcast_zeros, which reads a third buffer).
std::string RenderHighwayVariants(const Model& model);
// Issue: why the scalar and Eigen forms stand where they do, from the sign
// rows, Highway and the copy of the same run, plus what the build context
// says about code generation.
std::string RenderWhyForms(const ReportData& data, const Model& model);
std::string RenderPlots(const PlotOutcome& plots);

// "yes", "no", or "tie (within noise: CV x%)": how the Summary and Targets
// tables state a verdict, so a difference inside the noise is never called.
std::string VerdictText(Verdict v, const Noise& noise);
// "within noise (CV x%)", for the gap column of a tie.
std::string NoiseText(const Noise& noise);
std::string RenderProblemRows(const Model& model);
std::string RenderUnrecognised(const Model& model);

}  // namespace relu::report

#endif  // RELU_REPORT_RENDER_H_
