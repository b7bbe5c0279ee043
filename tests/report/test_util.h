// Helpers shared by the report tests: data paths, scratch directories, running
// the CLI.
#ifndef RELU_TESTS_REPORT_TEST_UTIL_H_
#define RELU_TESTS_REPORT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "report/plots.h"

namespace relu::report::testing {

// tests/report/data/<name>.
std::string DataPath(const std::string& name);
std::string GoldenPath(const std::string& name);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& text);

// A fresh directory, removed with its contents when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Names of the entries, sorted: shows stray temporary files.
  std::vector<std::string> List() const;

 private:
  std::string path_;
};

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// RunCli in-process; plots use `plot` (default: disabled by --no-plots in
// args).
CliRun RunReport(const std::vector<std::string>& args);
CliRun RunReport(const std::vector<std::string>& args, const PlotConfig& plot);

// Counts the lines of `text` (a trailing newline does not start a line).
int LineCount(const std::string& text);

// Every table of a Markdown document, as rows of cells split on unescaped |.
std::vector<std::vector<std::vector<std::string>>> MarkdownTables(
    const std::string& md);

// A minimal valid GB file with the given rows (JSON objects as text) and
// context.
std::string GbJson(
    const std::vector<std::string>& rows,
    const std::string& context = R"({"host_name": "h", "num_cpus": 4})");
// One iteration row of our grammar.
std::string GbRow(const std::string& name, double real_time,
                  const std::string& unit = "ns",
                  const std::string& extra = "");

// GB's cv aggregate row for `name` (cv as a fraction).
std::string GbCvRow(const std::string& name, double cv);

// One iteration row per round of the paired-rounds harness: round i took
// ns[i]; the group_rounds counter marks the rows as paired. Rows made with
// the same dtype, n, state and neg share their rounds. `extra` adds fields
// to every row, per_round[i] to round i's.
std::string GbRounds(const std::string& name, const std::vector<double>& ns,
                     const std::string& extra = "",
                     const std::vector<std::string>& per_round = {});

}  // namespace relu::report::testing

#endif  // RELU_TESTS_REPORT_TEST_UTIL_H_
