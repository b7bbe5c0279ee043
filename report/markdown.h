// Markdown building blocks: escaping, number formatting and tables that are
// rectangular by construction.
#ifndef RELU_REPORT_MARKDOWN_H_
#define RELU_REPORT_MARKDOWN_H_

#include <string>
#include <string_view>
#include <vector>

namespace relu::report {

// Escapes text so it renders literally inside a table cell or a paragraph:
// |, backticks, *, \, <, >, [, ], and _ where it could start emphasis.
std::string Escape(std::string_view text);

// Text that is already Markdown (bold, links): passed through unescaped.
struct Md {
  std::string text;
};
Md Bold(std::string_view raw);  // **escaped raw**
// A code span: `raw`, rendered literally. Inside backticks Markdown
// interprets no escapes, so only a table's | is escaped (GFM reads \| in a
// cell as a pipe even in code); raw holding a backtick gets `` fences.
Md Code(std::string_view raw);

// A table cell: plain text (escaped when rendered) or Markdown.
class Cell {
 public:
  Cell(std::string raw) : text_(Escape(raw)) {}  // NOLINT: implicit by design
  Cell(const char* raw) : text_(Escape(raw)) {}  // NOLINT
  Cell(Md md) : text_(std::move(md.text)) {}     // NOLINT
  const std::string& markdown() const { return text_; }

 private:
  std::string text_;
};

enum class Align { kLeft, kRight };

class Table {
 public:
  // Alignments default to left; `align` may be shorter than `header`.
  explicit Table(std::vector<Cell> header, std::vector<Align> align = {});
  // Throws std::logic_error when the row's width differs from the header's:
  // a ragged table is a bug in the renderer, never something to print.
  void AddRow(std::vector<Cell> cells);
  bool empty() const { return rows_.empty(); }
  size_t columns() const { return header_.size(); }
  std::string Render() const;

 private:
  std::vector<Cell> header_;
  std::vector<Align> align_;
  std::vector<std::vector<Cell>> rows_;
};

// Three significant digits, no exponent for everyday magnitudes.
std::string FormatSig(double v);
std::string FormatTime(double ns);           // "12.3 µs"
std::string FormatBytes(double bytes);       // "48 KiB"
std::string FormatPercent(double fraction);  // 0.973 -> "97.3%"
std::string FormatRatio(double ratio);       // 1.234 -> "1.23×"

}  // namespace relu::report

#endif  // RELU_REPORT_MARKDOWN_H_
