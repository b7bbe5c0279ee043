// Google Benchmark JSON reading: one clear InputError per problem, never a
// partial result.
#include "report/bench_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace relu::report {
namespace {

using nlohmann::json;

const char* TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

// Names a row in messages: benchmarks[3] ("relu/maximum/...").
std::string RowRef(size_t i, const std::string& name) {
  return name.empty() ? fmt::format("benchmarks[{}]", i)
                      : fmt::format("benchmarks[{}] (\"{}\")", i, name);
}

bool StartsWithToken(std::string_view text, size_t pos,
                     std::string_view token) {
  if (text.compare(pos, token.size(), token) != 0) return false;
  size_t end = pos + token.size();
  if (end >= text.size()) return true;
  char c = text[end];
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_');
}

}  // namespace

std::string InputError::Line() const {
  std::string line = fmt::format("{}: {}", file_, what());
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

std::optional<double> NanosPerUnit(std::string_view unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return std::nullopt;
}

std::string ContextText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string ReadInputFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path,
                     fmt::format("cannot open: {}", std::strerror(errno)));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot read");
  std::string text = buf.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(path, "empty file");
  }
  return text;
}

json ParseJsonText(std::string_view text, const std::string& file) {
  // Replace GB's bare non-finite literals by null outside strings, keeping
  // for each output byte the offset it came from, so that syntax errors
  // still point at the right line and column of the file as written.
  constexpr std::string_view kNonFinite[] = {"-Infinity", "Infinity", "-NaN",
                                             "NaN"};
  std::string clean;
  std::vector<size_t> origin;
  clean.reserve(text.size());
  origin.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        clean += text.substr(i, 2);
        origin.push_back(i);
        origin.push_back(i + 1);
        i += 2;
        continue;
      }
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else {
      bool replaced = false;
      for (std::string_view token : kNonFinite) {
        if (StartsWithToken(text, i, token)) {
          for (char k : std::string_view("null")) {
            clean += k;
            origin.push_back(i);
          }
          i += token.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    clean += c;
    origin.push_back(i);
    ++i;
  }
  try {
    return json::parse(clean);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and may point one past the end.
    size_t at = text.size();
    if (e.byte >= 1 && e.byte - 1 < origin.size()) at = origin[e.byte - 1];
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    // Keep nlohmann's reason, without its own (sanitised-text) position.
    std::string reason = e.what();
    if (size_t col = reason.find("column "); col != std::string::npos) {
      if (size_t colon = reason.find(": ", col); colon != std::string::npos) {
        reason = reason.substr(colon + 2);
      }
    }
    throw InputError(file, fmt::format("invalid JSON at line {}, column {}: {}",
                                       line, column, reason));
  }
}

BenchFile ParseBenchJson(const json& doc, const std::string& path) {
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  if (!doc.is_object()) {
    fail(fmt::format(
        "not a Google Benchmark file: expected an object with a \"benchmarks\" "
        "array, got {}",
        TypeName(doc)));
  }
  BenchFile file;
  file.path = path;
  if (auto it = doc.find("context"); it != doc.end()) {
    if (!it->is_object()) {
      fail(fmt::format("\"context\" is {}, expected an object", TypeName(*it)));
    }
    file.context = *it;
  }
  auto benchmarks = doc.find("benchmarks");
  if (benchmarks == doc.end()) {
    fail("not a Google Benchmark file: no \"benchmarks\" array");
  }
  if (!benchmarks->is_array()) {
    fail(fmt::format("\"benchmarks\" is {}, expected an array",
                     TypeName(*benchmarks)));
  }
  if (benchmarks->empty())
    fail("no benchmarks: the \"benchmarks\" array is empty");

  for (size_t i = 0; i < benchmarks->size(); ++i) {
    const json& b = (*benchmarks)[i];
    if (!b.is_object()) {
      fail(fmt::format("benchmarks[{}] is {}, expected an object", i,
                       TypeName(b)));
    }
    Row row;
    row.index = i;
    auto name = b.find("name");
    if (name == b.end() || !name->is_string()) {
      fail(fmt::format("benchmarks[{}] has no string \"name\"", i));
    }
    row.name = name->get<std::string>();
    const std::string ref = RowRef(i, row.name);

    auto get_string = [&](const char* key) -> std::optional<std::string> {
      auto it = b.find(key);
      if (it == b.end()) return std::nullopt;
      if (!it->is_string()) {
        fail(fmt::format("{}: \"{}\" is {}, expected a string", ref, key,
                         TypeName(*it)));
      }
      return it->get<std::string>();
    };
    // Numbers: null stands for GB's NaN/Infinity (see ParseJsonText).
    auto get_number = [&](const char* key,
                          bool* present) -> std::optional<double> {
      auto it = b.find(key);
      *present = it != b.end();
      if (!*present || it->is_null()) return std::nullopt;
      if (!it->is_number()) {
        fail(fmt::format("{}: \"{}\" is {} ({}), expected a number", ref, key,
                         TypeName(*it), it->dump()));
      }
      return it->get<double>();
    };
    auto get_bool = [&](const char* key) {
      auto it = b.find(key);
      if (it == b.end()) return false;
      if (!it->is_boolean()) {
        fail(fmt::format("{}: \"{}\" is {}, expected true or false", ref, key,
                         TypeName(*it)));
      }
      return it->get<bool>();
    };

    row.run_name = get_string("run_name").value_or(row.name);
    std::string run_type = get_string("run_type").value_or("iteration");
    if (run_type == "aggregate") {
      row.run_type = RunType::kAggregate;
    } else if (run_type != "iteration") {
      fail(fmt::format("{}: unknown run_type \"{}\"", ref, run_type));
    }
    row.aggregate_name = get_string("aggregate_name").value_or("");
    std::string unit = get_string("aggregate_unit").value_or("time");
    if (unit != "time" && unit != "percentage") {
      fail(fmt::format("{}: unknown aggregate_unit \"{}\"", ref, unit));
    }
    row.percentage = unit == "percentage";
    row.error = get_bool("error_occurred");
    row.skipped = get_bool("skipped");
    row.message = get_string("error_message")
                      .value_or(get_string("skip_message").value_or(""));
    row.label = get_string("label").value_or("");
    get_string("big_o");

    bool present = false;
    auto integer = [&](const char* key, int64_t fallback) {
      auto v = get_number(key, &present);
      return v ? static_cast<int64_t>(*v) : fallback;
    };
    row.repetitions = integer("repetitions", 1);
    row.repetition_index = integer("repetition_index", 0);
    row.threads = integer("threads", 1);
    row.iterations = get_number("iterations", &present).value_or(0);

    bool has_real = false, has_cpu = false;
    row.real_raw = get_number("real_time", &has_real);
    auto cpu_raw = get_number("cpu_time", &has_cpu);
    if (auto tu = get_string("time_unit")) {
      row.time_unit = *tu;
      if (!NanosPerUnit(*tu)) {
        fail(fmt::format(
            "{}: unknown time_unit \"{}\" (expected ns, us, ms or s)", ref,
            *tu));
      }
    } else if (has_real && !row.percentage) {
      fail(fmt::format("{}: real_time without a time_unit", ref));
    }
    // Complexity rows (BigO, RMS) carry coefficients instead of times.
    bool complexity = b.contains("big_o") || b.contains("rms");
    bool excused = row.error || row.skipped || complexity ||
                   row.run_type == RunType::kAggregate;
    if (!has_real && !excused) fail(fmt::format("{}: no \"real_time\"", ref));
    if (has_real && !row.real_raw && !excused) {
      fail(fmt::format("{}: real_time is not a finite number", ref));
    }
    if (row.real_raw && !row.percentage) {
      row.real_ns = *row.real_raw * *NanosPerUnit(row.time_unit);
    }
    if (cpu_raw && !row.percentage && !row.time_unit.empty()) {
      row.cpu_ns = *cpu_raw * *NanosPerUnit(row.time_unit);
    }

    static const char* const kKnown[] = {
        "name",           "run_name",      "run_type",         "aggregate_name",
        "aggregate_unit", "repetitions",   "repetition_index", "threads",
        "iterations",     "real_time",     "cpu_time",         "time_unit",
        "error_occurred", "error_message", "skipped",          "skip_message",
        "label",          "big_o"};
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) !=
          std::end(kKnown)) {
        continue;
      }
      if (it->is_number()) {
        double v = it->get<double>();
        if (std::isfinite(v)) row.counters[it.key()] = v;
      }
    }
    // Our own counters must be numbers when present: they feed the tables.
    for (const char* key :
         {"bytes_per_second", "items_per_second", "ws_bytes"}) {
      get_number(key, &present);
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

BenchFile LoadBenchFile(const std::string& path) {
  std::string text = ReadInputFile(path);
  return ParseBenchJson(ParseJsonText(text, path), path);
}

void CheckSameMachine(const std::vector<BenchFile>& files) {
  for (const char* key : {"host_name", "num_cpus"}) {
    const BenchFile* first = nullptr;
    for (const BenchFile& f : files) {
      auto it = f.context.find(key);
      if (it == f.context.end()) continue;
      if (first == nullptr) {
        first = &f;
        continue;
      }
      const json& want = first->context.at(key);
      if (*it != want) {
        throw InputError(
            f.path,
            fmt::format("{} {} differs from {} in {}: one report merges "
                        "runs of one machine only",
                        key, it->dump(), want.dump(), first->path));
      }
    }
  }
}

}  // namespace relu::report
