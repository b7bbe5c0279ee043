// The report's sections after the first screen, one source file each; every
// function returns "" when its rows are absent, so empty sections are left out.
#ifndef RELU_REPORT_SECTIONS_SECTIONS_H_
#define RELU_REPORT_SECTIONS_SECTIONS_H_

#include <string>
#include <vector>

#include "report/sections/common.h"

namespace relu::report {

// forms.cc: per size class, maximum and maximum_inplace: the fastest form,
// our best against the best peer, and the copy ceiling.
std::string RenderForms(const Doc& doc);
// forms.cc: the same for every variant (the appendix).
std::string RenderAllForms(const Doc& doc);
// variants.cc: every Highway variant against Highway maximum, per class.
std::string RenderVariants(const Doc& doc);
// backward.cc: the gradients and backward pass against their ceilings and
// the peers that have them.
std::string RenderBackward(const Doc& doc);
// states.cc: the cache states against each other, the two harnesses on the
// same kernel, the plain Google Benchmark loop, and the probe's cause.
std::string RenderStates(const Doc& doc);
// threads.cc: speed-up on two threads against the copy's.
std::string RenderThreads(const Doc& doc);
// isa.cc: what each Highway target buys over the next narrower one.
std::string RenderIsa(const Doc& doc);
// conditions.cc: fresh outputs against reused ones; shares of negatives.
std::string RenderConditions(const Doc& doc);
// quality.cc: how tight the verdicts are and what the machine was doing.
std::string RenderQuality(const Doc& doc);
// plots.cc (section): the charts.
std::string RenderPlotsSection(const Doc& doc);
// machine.cc: the context of every input (the appendix).
std::string RenderMachine(const Doc& doc);
// semantics_section.cc: what every form returns on the edge inputs, and
// where it differs from NumPy or stops being ReLU (the appendix).
std::string RenderSemanticsSection(const Doc& doc);
// problems.cc: errored, skipped and unrecognised rows, and notes.
std::string RenderProblems(const Doc& doc);

}  // namespace relu::report

#endif  // RELU_REPORT_SECTIONS_SECTIONS_H_
