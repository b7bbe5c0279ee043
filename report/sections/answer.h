// The report's first screen and the sections it draws on: the NumPy ranking at
// the question's shape, why each StackOverflow answer measured what it did, and
// what leaving NumPy buys.
#ifndef RELU_REPORT_SECTIONS_ANSWER_H_
#define RELU_REPORT_SECTIONS_ANSWER_H_

#include <string>
#include <vector>

#include "report/sections/common.h"

namespace relu::report {

struct RankRow {
  std::string variant;
  const Measurement* m;   // NumPy's row, as the answers wrote it
  Comparison vs_fastest;  // m / the fastest
  std::string verdict;    // "fastest", "slower", "tie with #1", ...
};

// NumPy's formulations at one shape, fastest first (answer.cc).
std::vector<RankRow> NumpyRanking(const Doc& doc, const std::string& dtype,
                                  int64_t n);

// The whole first screen ("" when the run has no NumPy rows at the
// question's shape).
std::string RenderAnswer(const Doc& doc);

// What each answer measured and why (answers.cc).
struct AnswerFinding {
  const SoAnswer* answer = nullptr;
  std::vector<std::string> claimed;  // methods, fastest first
  std::vector<std::string> replay;   // as replayed here
  std::vector<std::string> fair;     // NumPy as written, fair protocol
  bool reproduced = false;           // replay order == claimed order
  std::string cause;                 // the measured cause, one sentence
};
std::vector<AnswerFinding> AnswerFindings(const Doc& doc,
                                          const std::string& dtype, int64_t n);
// The compact table of the first screen.
std::string RenderAnswerCauses(const Doc& doc, const std::string& dtype,
                               int64_t n);
// The detailed section: each answer's claimed, replayed, fair and C++ times.
std::string RenderAnswerDetails(const Doc& doc);

// The libraries against the best NumPy form (worth.cc).
std::string RenderWorthIt(const Doc& doc, const std::string& dtype, int64_t n);

}  // namespace relu::report

#endif  // RELU_REPORT_SECTIONS_ANSWER_H_
