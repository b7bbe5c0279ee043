// Helpers shared by the report tests.
#include "tests/report/test_util.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "report/cli.h"

namespace relu::report::testing {

namespace fs = std::filesystem;

std::string DataPath(const std::string& name) {
  return std::string(RELU_REPORT_TEST_DATA) + "/" + name;
}

std::string GoldenPath(const std::string& name) {
  return std::string(RELU_REPORT_GOLDEN_DIR) + "/" + name;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileOrDie(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

ScratchDir::ScratchDir() {
  std::string tmpl =
      (fs::temp_directory_path() / "relu_report_test.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> ScratchDir::List() const {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(path_)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

CliRun RunReport(const std::vector<std::string>& args) {
  PlotConfig none;
  none.python = "/nonexistent/python3";
  return RunReport(args, none);
}

CliRun RunReport(const std::vector<std::string>& args, const PlotConfig& plot) {
  std::ostringstream out, err;
  CliRun r;
  r.code = RunCli(args, out, err, plot);
  r.out = out.str();
  r.err = err.str();
  return r;
}

int LineCount(const std::string& text) {
  int n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

std::vector<std::vector<std::vector<std::string>>> MarkdownTables(
    const std::string& md) {
  std::vector<std::vector<std::vector<std::string>>> tables;
  std::vector<std::vector<std::string>> current;
  std::istringstream in(md);
  std::string line;
  auto flush = [&] {
    if (!current.empty()) tables.push_back(current);
    current.clear();
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '|') {
      flush();
      continue;
    }
    // Split on | not preceded by a backslash; drop the outer empties.
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        cell += line[i];
        cell += line[++i];
      } else if (line[i] == '|') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    if (!cell.empty()) cells.push_back(cell);  // a row not closed by |
    current.push_back(cells);
  }
  flush();
  return tables;
}

std::string GbJson(const std::vector<std::string>& rows,
                   const std::string& context) {
  std::string body;
  for (size_t i = 0; i < rows.size(); ++i) body += (i ? ",\n" : "") + rows[i];
  return fmt::format("{{\"context\": {},\n\"benchmarks\": [\n{}\n]}}\n",
                     context, body);
}

std::string GbRow(const std::string& name, double real_time,
                  const std::string& unit, const std::string& extra) {
  return fmt::format(
      R"({{"name": "{0}", "run_name": "{0}", "run_type": "iteration", "repetitions": 1,)"
      R"( "repetition_index": 0, "threads": 1, "iterations": 100, "real_time": {1},)"
      R"( "cpu_time": {1}, "time_unit": "{2}"{3}}})",
      name, real_time, unit, extra.empty() ? "" : ", " + extra);
}

std::string GbCvRow(const std::string& name, double cv) {
  return fmt::format(
      R"({{"name": "{0}_cv", "run_name": "{0}", "run_type": "aggregate", "repetitions": 3,)"
      R"( "threads": 1, "aggregate_name": "cv", "aggregate_unit": "percentage",)"
      R"( "iterations": 3, "real_time": {1}, "cpu_time": {1}, "time_unit": "ns"}})",
      name, cv);
}

std::string GbRounds(const std::string& name, const std::vector<double>& ns,
                     const std::string& extra,
                     const std::vector<std::string>& per_round) {
  std::string rows;
  for (size_t i = 0; i < ns.size(); ++i) {
    if (i > 0) rows += ", ";
    std::string more = extra.empty() ? "" : ", " + extra;
    if (i < per_round.size() && !per_round[i].empty())
      more += ", " + per_round[i];
    rows += fmt::format(
        R"({{"name": "{0}", "run_name": "{0}", "run_type": "iteration", "repetitions": {1},)"
        R"( "repetition_index": {2}, "threads": 1, "iterations": 10, "real_time": {3},)"
        R"( "cpu_time": {3}, "time_unit": "ns", "group_rounds": {1}{4}}})",
        name, ns.size(), i, ns[i], more);
  }
  return rows;
}

}  // namespace relu::report::testing
