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
constexpr const char* kEverySize =
    "The harness, thread and fresh-output tables above show the size "
    "classes' sizes and the question's shape; the "
    "[appendix]({appendix}#every-size) has every size and the cache-state "
    "probe.\n\n";
constexpr const char* kEverySizeIntro =
    "The harness, thread and fresh-output tables of the report at every "
    "size the run measured.\n\n";
constexpr const char* kProblems =
    "{count} row(s) could not be used; the appendix lists them.\n\n";

// Table rows in rendered markdown (lines that start a table cell).
size_t TableRows(const std::string& markdown) {
  size_t rows = 0;
  for (size_t i = 0; i < markdown.size();) {
    if (markdown.compare(i, 2, "| ") == 0) ++rows;
    const size_t next = markdown.find('\n', i);
    if (next == std::string::npos) break;
    i = next + 1;
  }
  return rows;
}

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
  // Sweeps show the size classes here and every size in the appendix.
  Glossary every_glossary("");
  Doc every{in, model, every_glossary, ""};
  every.every_size = true;
  const std::string every_states = RenderStates(every);
  const std::string every_threads = RenderThreads(every);
  const std::string every_conditions = RenderConditions(every);
  const std::string states = RenderStates(doc);
  const std::string threads = RenderThreads(doc);
  const std::string conditions = RenderConditions(doc);
  // The appendix section exists when the report left something out: the
  // probe's table, or rows at sizes between the classes.
  const bool hidden = !in.probe.empty() ||
                      TableRows(states) < TableRows(every_states) ||
                      TableRows(threads) < TableRows(every_threads) ||
                      TableRows(conditions) < TableRows(every_conditions);
  r.report += Section("Cache states and harnesses", states);
  r.report += Section("Two threads", threads);
  r.report += Section("Instruction sets", RenderIsa(doc));
  r.report += Section("Fresh outputs and negative inputs", conditions);
  if (hidden) {
    r.report += Fill(kEverySize, fmt::arg("appendix", appendix_name));
  }
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
  if (hidden) {
    r.appendix += Section("Every size", kEverySizeIntro + every_states +
                                            every_threads + every_conditions);
  }
  r.appendix += Section("Machine and build", RenderMachine(adoc));
  r.appendix +=
      Section("Semantics on edge inputs", RenderSemanticsSection(adoc));
  r.appendix += Section("Rows the report could not use", RenderProblems(adoc));
  r.appendix += Glossary::Render();
  return r;
}

}  // namespace relu::report
