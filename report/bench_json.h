// Reads Google Benchmark JSON files (1.7.1 schema and newer) into rows with
// times in nanoseconds.
#ifndef RELU_REPORT_BENCH_JSON_H_
#define RELU_REPORT_BENCH_JSON_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace relu::report {

// A problem with one input file. what() is the problem alone; the CLI prints
// "relu_report: <file>: <what>" as one line and exits with status 2.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, const std::string& problem)
      : std::runtime_error(problem), file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  // "<file>: <problem>", one line.
  std::string Line() const;

 private:
  std::string file_;
};

// Whole file contents; throws InputError when it cannot be read, is a
// directory, or is empty.
std::string ReadInputFile(const std::string& path);

// Parses JSON text. Google Benchmark writes non-finite doubles as bare NaN,
// Infinity and -Infinity, which are not JSON; they are read as null so a
// real benchmark file is never rejected for them. Syntax errors, numbers
// beyond a double, duplicate keys and nesting deeper than kMaxJsonDepth
// (report/json_input.h) throw InputError with the line and column in the
// original text and the JSON path.
nlohmann::json ParseJsonText(std::string_view text, const std::string& file);

// Plausibility bounds. A row outside them is rejected (exit 2) rather than
// shown as an errored row: no benchmark library writes such values, so the
// file is damaged or hand-made, and a reader should see that before reading
// any of its numbers.
//
// Longest time the report accepts for one iteration or aggregate: 1e6 s
// (11.6 days). GB writes 1e308 s for nothing; the report printed "n/a s".
inline constexpr double kMaxTimeNs = 1e15;
// Largest repetitions, repetition_index, iterations and threads: GB itself
// caps iterations at 1e9, and the values are cast to integers.
inline constexpr double kMaxCount = 1e9;
// Largest magnitude of a percentage aggregate (a cv is a fraction).
inline constexpr double kMaxFraction = 1e6;

enum class RunType { kIteration, kAggregate };

struct Row {
  size_t index = 0;  // position in the file's "benchmarks" array
  std::string name;
  std::string run_name;  // `name` when the file predates run_name
  RunType run_type = RunType::kIteration;
  std::string aggregate_name;  // aggregate rows: "median", "cv", ...
  bool percentage =
      false;  // aggregate_unit "percentage": real_time is a fraction
  int64_t repetitions = 1;
  int64_t repetition_index = 0;
  int64_t threads = 1;
  double iterations = 0;
  std::string time_unit;           // as written; "" when absent
  std::optional<double> real_raw;  // real_time as written
  std::optional<double> real_ns;   // real_time in ns; unset for percentages
  std::optional<double> cpu_ns;
  bool error = false;  // error_occurred
  bool skipped = false;
  // A complexity fit (big_o or rms present): its numbers are coefficients,
  // not times, and are not checked as times.
  bool complexity = false;
  std::string message;  // error_message or skip_message
  std::string label;
  // Every other numeric top-level field: user counters (bytes_per_second,
  // items_per_second, ws_bytes) and GB extras. Non-finite values are left out.
  std::map<std::string, double> counters;
};

struct BenchFile {
  std::string path;  // as given; also the name the report shows
  nlohmann::json context = nlohmann::json::object();
  std::vector<Row> rows;
};

// Validates and converts parsed JSON; `path` names the file in errors.
//
// What is checked, beyond the schema's types (README "Hardening"): no time
// on any row but a complexity fit is beyond kMaxTimeNs; every timed row (not
// errored, skipped or a complexity fit) has a positive real_time
// (iterations and mean, median, min, max aggregates) or a non-negative one
// (stddev); a cv is a non-negative fraction up to kMaxFraction; cpu_time is
// never negative; repetitions, repetition_index, iterations and threads are
// whole numbers from 0 (threads: 1) to kMaxCount; bytes_per_second,
// items_per_second and ws_bytes are not negative; the element count a
// run_name spells fits kMaxElements (report/bench_name.h); context keys the
// report interprets have their documented types.
BenchFile ParseBenchJson(const nlohmann::json& doc, const std::string& path);
// The same from text, streamed: one row at a time is held as JSON, so memory
// stays near the size of the rows kept, not several times the file's.
BenchFile ParseBenchJsonText(std::string_view text, const std::string& path);
// Streams the file through the parse of ParseBenchJsonText.
BenchFile LoadBenchFile(const std::string& path);

// Throws InputError naming the later file when inputs disagree on
// host_name or num_cpus: their timings cannot be merged into one report.
void CheckSameMachine(const std::vector<BenchFile>& files);

// Nanoseconds per `unit` ("ns", "us", "ms", "s"); nullopt when unknown.
std::optional<double> NanosPerUnit(std::string_view unit);

// A context value as text: strings unquoted, everything else as JSON.
std::string ContextText(const nlohmann::json& value);

}  // namespace relu::report

#endif  // RELU_REPORT_BENCH_JSON_H_
