// The parsers under fuzzing: each input is parsed, cross-checked and, when
// accepted, rendered; only InputError may come out of a parser.
#include "fuzz/fuzz_targets.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "report/bench_json.h"
#include "report/bench_name.h"
#include "report/model.h"
#include "report/render.h"
#include "report/semantics.h"
#include "report/so_claims.h"

namespace relu::fuzz {
namespace {

using report::BenchFile;
using report::InputError;
using report::ReportInput;
using report::Row;

[[noreturn]] void Violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz invariant violated: %s (%s)\n", what,
               detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, detail)          \
  do {                                    \
    if (!(cond)) Violated(#cond, detail); \
  } while (0)

std::string_view Text(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// The CLI prints Line() as the one line of a failure.
void CheckMessage(const InputError& e) {
  const std::string line = e.Line();
  FUZZ_CHECK(line.find('\n') == std::string::npos, line);
  FUZZ_CHECK(line.find('\r') == std::string::npos, line);
  FUZZ_CHECK(std::string(e.what()).size() > 0, line);
}

// What the parse layer promises about every row it accepts.
void CheckRow(const Row& r) {
  FUZZ_CHECK(r.repetitions >= 0 && r.repetitions <= 1000000000, r.name);
  FUZZ_CHECK(r.threads >= 1 && r.threads <= 1000000000, r.name);
  FUZZ_CHECK(r.iterations >= 0 && r.iterations <= 1e9, r.name);
  const bool timed = !r.error && !r.skipped;
  if (r.real_ns && !r.complexity) {
    FUZZ_CHECK(std::fabs(*r.real_ns) <= report::kMaxTimeNs, r.name);
  }
  if (r.cpu_ns && !r.complexity) {
    FUZZ_CHECK(std::fabs(*r.cpu_ns) <= report::kMaxTimeNs, r.name);
  }
  if (timed && !r.complexity && r.run_type == report::RunType::kIteration &&
      r.real_ns) {
    FUZZ_CHECK(*r.real_ns > 0 && *r.real_ns <= report::kMaxTimeNs, r.name);
  }
  for (const auto& [key, v] : r.counters) {
    FUZZ_CHECK(std::isfinite(v), key);
  }
  std::string why;
  if (auto name = report::ParseBenchName(r.run_name, &why)) {
    if (auto n = name->Elements()) {
      FUZZ_CHECK(*n >= 0 && *n <= report::kMaxElements, r.run_name);
    }
  }
}

void SameRows(const BenchFile& a, const BenchFile& b) {
  FUZZ_CHECK(a.rows.size() == b.rows.size(), "row count");
  FUZZ_CHECK(a.context == b.context, "context");
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const Row& x = a.rows[i];
    const Row& y = b.rows[i];
    FUZZ_CHECK(x.name == y.name && x.run_name == y.run_name &&
                   x.run_type == y.run_type && x.real_ns == y.real_ns &&
                   x.cpu_ns == y.cpu_ns && x.counters == y.counters &&
                   x.error == y.error && x.label == y.label &&
                   x.complexity == y.complexity,
               x.name);
  }
}

void Render(const ReportInput& data) {
  const report::Model model = report::BuildModel(data.files);
  const report::Rendered r = report::RenderReport(data, model, "appendix.md");
  const std::string md = r.report + r.appendix;
  FUZZ_CHECK(!md.empty(), "empty report");
}

// A small valid benchmark file that the semantics and claims targets render
// beside what they parse.
const BenchFile& FixedBench() {
  static const BenchFile file = report::ParseBenchJsonText(
      R"({"context": {"host_name": "h", "num_cpus": 2, "cache_l1d": "32768",
          "cache_l2": "1048576", "cache_llc": "33554432"},
          "benchmarks": [
      {"name": "relu/maximum/highway/f64/n:25000000/shape:5000x5000", "real_time": 9e6,
       "time_unit": "ns", "bytes_per_second": 4e10},
      {"name": "relu/maximum/numpy/f64/n:25000000/shape:5000x5000/protocol:replay-first-answer",
       "real_time": 2.4e8, "time_unit": "ns", "label": "reported:row"},
      {"name": "copy/memcpy/libc/f64/n:25000000", "real_time": 8e6,
       "time_unit": "ns", "bytes_per_second": 5e10}]})",
      "fixed.json");
  return file;
}

}  // namespace

void FuzzBenchJson(const uint8_t* data, size_t size) {
  const std::string_view text = Text(data, size);
  std::optional<BenchFile> streamed, dom;
  try {
    streamed = report::ParseBenchJsonText(text, "fuzz.json");
  } catch (const InputError& e) {
    CheckMessage(e);
  }
  // The streamed parse and the whole-document one must agree.
  try {
    dom = report::ParseBenchJson(report::ParseJsonText(text, "fuzz.json"),
                                 "fuzz.json");
  } catch (const InputError& e) {
    CheckMessage(e);
  }
  FUZZ_CHECK(streamed.has_value() == dom.has_value(), "acceptance differs");
  if (!streamed) return;
  SameRows(*streamed, *dom);
  for (const Row& r : streamed->rows) CheckRow(r);
  ReportInput report_data;
  report_data.files.push_back(std::move(*streamed));
  Render(report_data);
}

void FuzzSemantics(const uint8_t* data, size_t size) {
  ReportInput report_data;
  try {
    report_data.semantics.push_back(
        report::ParseSemanticsText(std::string(Text(data, size)), "fuzz.json"));
  } catch (const InputError& e) {
    CheckMessage(e);
    return;
  }
  const report::SemanticsFile& f = report_data.semantics.front();
  for (const report::SemRow& row : f.rows) {
    FUZZ_CHECK(row.outputs.size() == f.inputs.size(), row.variant);
    FUZZ_CHECK(row.dtype == "f32" || row.dtype == "f64", row.dtype);
  }
  report_data.files.push_back(FixedBench());
  Render(report_data);
}

void FuzzSoClaims(const uint8_t* data, size_t size) {
  ReportInput report_data;
  try {
    report_data.claims =
        report::ParseSoClaimsText(std::string(Text(data, size)), "fuzz.json");
  } catch (const InputError& e) {
    CheckMessage(e);
    return;
  }
  for (const report::SoAnswer& a : report_data.claims->answers) {
    FUZZ_CHECK(!a.timings_ms.empty(), a.id);
    for (const auto& [variant, ms] : a.timings_ms) {
      FUZZ_CHECK(ms > 0 && std::isfinite(ms), variant);
    }
  }
  report_data.files.push_back(FixedBench());
  Render(report_data);
}

void FuzzBenchName(const uint8_t* data, size_t size) {
  const std::string_view name = Text(data, size);
  std::string why;
  auto parsed = report::ParseBenchName(name, &why);
  const std::string problem = report::ElementCountProblem(name);
  if (!parsed) {
    FUZZ_CHECK(!why.empty(), std::string(name));
    return;
  }
  // The report rejects a file whose names spell an impossible count, so the
  // grammar must never accept one.
  FUZZ_CHECK(problem.empty(), problem);
  if (auto n = parsed->Elements()) {
    FUZZ_CHECK(*n >= 0 && *n <= report::kMaxElements, std::string(name));
  }
  // The canonical form is a name of the grammar with the same keys.
  auto again = report::ParseBenchName(parsed->Canonical(), &why);
  FUZZ_CHECK(again.has_value(), parsed->Canonical() + ": " + why);
  FUZZ_CHECK(again->keys == parsed->keys, parsed->Canonical());
  FUZZ_CHECK(again->Canonical() == parsed->Canonical(), parsed->Canonical());
}

}  // namespace relu::fuzz
