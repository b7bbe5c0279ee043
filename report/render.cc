// Assembles report.md and its appendix from the sections (see render.h).
#include "report/render.h"

#include "report/sections/answer.h"
#include "report/sections/sections.h"

namespace relu::report {
namespace {

constexpr const char* kTitle = "# ReLU, measured fairly: {machine}\n\n";
constexpr const char* kInputs =
    "Inputs: {inputs}. Everything else, the machine's context, what every "
    "form returns on edge inputs, every row and the glossary, is in the "
    "[appendix]({appendix}).\n\n";
constexpr const char* kProblems =
    "{count} row(s) could not be used; the appendix lists them.\n\n";

std::string MachineLine(const ReportInput& in) {
  for (const BenchFile& f : in.files) {
    auto model = f.context.find("cpu_model");
    if (model == f.context.end() || !model->is_string()) continue;
    std::string line = model->get<std::string>();
    auto cpus = f.context.find("num_cpus");
    if (cpus != f.context.end() && cpus->is_number_integer()) {
      line += ", " + std::to_string(cpus->get<int64_t>()) + " cores";
    }
    auto target = f.context.find("hwy_target");
    if (target != f.context.end() && target->is_string()) {
      line += ", " + target->get<std::string>();
    }
    return line;
  }
  return "Google Benchmark results";
}

}  // namespace

Rendered RenderReport(const ReportInput& in, const Model& model,
                      const std::string& appendix_name) {
  Rendered r;
  Glossary glossary(appendix_name);
  Doc doc{in, model, glossary, appendix_name};
  std::string inputs;
  for (const BenchFile& f : in.files) {
    if (!inputs.empty()) inputs += ", ";
    inputs += Escape(f.path);
  }
  r.report = Fill(kTitle, fmt::arg("machine", Escape(MachineLine(in))));
  r.report += RenderAnswer(doc);
  r.report += Fill(kInputs, fmt::arg("inputs", inputs),
                   fmt::arg("appendix", appendix_name));
  r.report += Section("Which form is fastest, by size", RenderForms(doc));
  r.report += Section("Every variant against maximum", RenderVariants(doc));
  r.report +=
      Section("The derivative and the backward pass", RenderBackward(doc));
  r.report += Section("Cache states and harnesses", RenderStates(doc));
  r.report += Section("Two threads", RenderThreads(doc));
  r.report += Section("Instruction sets", RenderIsa(doc));
  r.report +=
      Section("Fresh outputs and negative inputs", RenderConditions(doc));
  r.report +=
      Section("The StackOverflow answers in detail", RenderAnswerDetails(doc));
  r.report += Section("How far to trust these numbers", RenderQuality(doc));
  r.report += Section("Charts", RenderPlotsSection(doc));
  size_t problems = model.unrecognised.size();
  for (const Measurement& m : model.measurements) problems += !m.ok();
  if (problems > 0) r.report += Fill(kProblems, fmt::arg("count", problems));

  Glossary appendix_glossary("");
  Doc adoc{in, model, appendix_glossary, ""};
  r.appendix = "# Appendix to [the report](report.md)\n\n";
  r.appendix +=
      Section("Every variant and form, by size", RenderAllForms(adoc));
  r.appendix += Section("Machine and build", RenderMachine(adoc));
  r.appendix +=
      Section("Semantics on edge inputs", RenderSemanticsSection(adoc));
  r.appendix += Section("Rows the report could not use", RenderProblems(adoc));
  r.appendix += Glossary::Render();
  return r;
}

}  // namespace relu::report
