// Markdown rendering helpers; every table in the report goes through Table so
// it cannot be ragged.
#include "report/markdown.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace relu::report {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '|':
      case '`':
      case '*':
      case '\\':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '_': {
        // GFM never treats an underscore between two word characters as
        // emphasis, so "maximum_inplace" stays readable in the raw file.
        bool inner = i > 0 && i + 1 < text.size() && IsWordChar(text[i - 1]) &&
                     IsWordChar(text[i + 1]);
        if (!inner) out += '\\';
        out += c;
        break;
      }
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

Md Code(std::string_view raw) {
  std::string body;
  for (char c : raw) {
    if (c == '|') body += '\\';
    if (c == '\n' || c == '\r') c = ' ';
    body += c;
  }
  const bool tick = body.find('`') != std::string::npos;
  const std::string fence = tick ? "`` " : "`";
  const std::string close = tick ? " ``" : "`";
  return Md{fence + body + close};
}

Md Bold(std::string_view raw) { return Md{"**" + Escape(raw) + "**"}; }

Table::Table(std::vector<Cell> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::kLeft);
}

void Table::AddRow(std::vector<Cell> cells) {
  if (cells.size() != header_.size()) {
    throw std::logic_error(fmt::format("table row has {} cells, header has {}",
                                       cells.size(), header_.size()));
  }
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  auto line = [](const std::vector<Cell>& cells) {
    std::string s = "|";
    for (const Cell& c : cells) {
      // An empty cell still needs content between the pipes to stay a cell.
      s += " " +
           (c.markdown().empty() ? std::string(" ") : OneLine(c.markdown())) +
           " |";
    }
    return s + "\n";
  };
  std::string out = line(header_);
  out += "|";
  for (Align a : align_) out += a == Align::kRight ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string FormatSig(double v) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";
  // Round to three significant digits before choosing the decimals, so
  // 9.999 prints as 10.0 rather than 10.00.
  int exponent = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  double scale = std::pow(10.0, 2 - exponent);
  double r = std::round(v * scale) / scale;
  double a = std::fabs(r);
  if (a >= 100) return fmt::format("{:.0f}", r);
  if (a >= 10) return fmt::format("{:.1f}", r);
  if (a >= 1) return fmt::format("{:.2f}", r);
  return fmt::format("{:.3g}", r);
}

std::string FormatTime(double ns) {
  double a = std::fabs(ns);
  if (a < 1e3) return FormatSig(ns) + " ns";
  if (a < 1e6) return FormatSig(ns / 1e3) + " µs";
  if (a < 1e9) return FormatSig(ns / 1e6) + " ms";
  return FormatSig(ns / 1e9) + " s";
}

std::string FormatBytes(double bytes) {
  if (bytes < 1024) return fmt::format("{:.0f} B", bytes);
  if (bytes < 1024.0 * 1024) return FormatSig(bytes / 1024) + " KiB";
  if (bytes < 1024.0 * 1024 * 1024)
    return FormatSig(bytes / (1024.0 * 1024)) + " MiB";
  return FormatSig(bytes / (1024.0 * 1024 * 1024)) + " GiB";
}

std::string FormatPercent(double fraction) {
  double p = fraction * 100;
  if (!std::isfinite(p)) return "n/a";
  return (std::fabs(p) >= 100 ? fmt::format("{:.0f}", p)
                              : fmt::format("{:.1f}", p)) +
         "%";
}

std::string FormatRatio(double ratio) {
  if (!std::isfinite(ratio)) return "n/a";
  return fmt::format("{:.2f}×", ratio);
}

}  // namespace relu::report
