// How the report words numbers: times with intervals, ratios with verdicts,
// glossary links, and prose templates with named fields.
#ifndef RELU_REPORT_TEXT_H_
#define RELU_REPORT_TEXT_H_

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "report/model.h"

namespace relu::report {

// "12.3 ms (12.1–12.6)": a row's typical time with its 95% interval, or the
// time alone when the row has no samples.
std::string TimeWithCi(const Measurement& m);

// "1.23× (1.20–1.26)", or "1.23× (no interval)".
std::string RatioWithCi(const Comparison& c);

// The verdict of "a / b" against 1 in words: "faster", "slower", "tie", or
// "no interval" when the rows carry no samples.
std::string VerdictWord(const Comparison& c);

// A ratio's relative half-width as "±1.8%", or "—" without an interval.
std::string HalfWidth(const Comparison& c);

// A prose template with named fields: Fill("{time} for {name}",
// fmt::arg("time", ...), fmt::arg("name", ...)). Every report sentence that
// carries numbers is one such template, kept at the top of its section's
// file.
template <typename... Args>
std::string Fill(std::string_view text, Args&&... args) {
  return fmt::format(fmt::runtime(text), std::forward<Args>(args)...);
}

// The glossary: every term the report uses, what it means, and a link from
// its first use in a document to its entry.
class Glossary {
 public:
  // `target` is the file (relative to the report) that holds the glossary,
  // "" for the same file.
  explicit Glossary(std::string target) : target_(std::move(target)) {}
  // The term, linked to its entry the first time this document uses it.
  std::string Term(std::string_view term);
  // Every entry, as a Markdown section.
  static std::string Render();
  // The anchor of a term's entry.
  static std::string Anchor(std::string_view term);
  // Whether the glossary defines the term.
  static bool Defines(std::string_view term);

 private:
  std::string target_;
  std::set<std::string> used_;
};

}  // namespace relu::report

#endif  // RELU_REPORT_TEXT_H_
