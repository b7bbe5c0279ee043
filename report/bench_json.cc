// Google Benchmark JSON reading: one clear InputError per problem, never a
// partial result.
#include "report/bench_json.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>

#include "report/bench_name.h"
#include "report/json_input.h"

namespace relu::report {
namespace {

using nlohmann::json;

// Names a row in messages: benchmarks[3] ("relu/maximum/...").
std::string RowRef(size_t i, const std::string& name) {
  return name.empty() ? fmt::format("benchmarks[{}]", i)
                      : fmt::format("benchmarks[{}] (\"{}\")", i, name);
}

// Closes a descriptor when the reading is done, however it ends.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Opens an input for reading; a directory is named as such, since reading
// one used to report "empty file".
int OpenInput(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw InputError(path,
                     fmt::format("cannot open: {}", std::strerror(errno)));
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    throw InputError(path, "is a directory, not a JSON file");
  }
  return fd;
}

// The context keys the report interprets, with their types: anything else in
// the context is only shown, and any JSON value shows.
void CheckContext(const json& ctx, const std::string& path) {
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  auto bad = [&](const std::string& where, const json& v, const char* want) {
    fail(fmt::format("{} is {}, expected {}", where, JsonDescribe(v), want));
  };
  auto whole = [](const json& v, double lo, double hi) {
    if (!v.is_number()) return false;
    double d = v.get<double>();
    return d == std::floor(d) && d >= lo && d <= hi;
  };
  // A byte count as our suite writes it (a decimal string) or as a number.
  auto bytes = [](const json& v, bool zero_ok) {
    double d = 0;
    if (v.is_number()) {
      d = v.get<double>();
    } else if (v.is_string()) {
      const std::string s = v.get<std::string>();
      char* end = nullptr;
      d = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size()) return false;
    } else {
      return false;
    }
    return std::isfinite(d) && (zero_ok ? d >= 0 : d > 0) && d <= 0x1p60;
  };
  for (auto it = ctx.begin(); it != ctx.end(); ++it) {
    const std::string& key = it.key();
    const json& v = *it;
    const std::string where = "context." + key;
    if (key == "host_name" || key == "library_build_type" || key == "date" ||
        key == "executable") {
      if (!v.is_string()) bad(where, v, "a string");
    } else if (key == "num_cpus") {
      if (!whole(v, 1, kMaxCount)) bad(where, v, "a whole number of CPUs");
    } else if (key == "mhz_per_cpu") {
      if (!v.is_number() && !v.is_null()) bad(where, v, "a number");
    } else if (key == "cpu_scaling_enabled") {
      if (!v.is_boolean()) bad(where, v, "true or false");
    } else if (key == "load_avg") {
      if (!v.is_array()) bad(where, v, "an array of numbers");
      for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number() && !v[i].is_null()) {
          bad(fmt::format("{}[{}]", where, i), v[i], "a number");
        }
      }
    } else if (key == "cache_l1d" || key == "cache_l2" || key == "cache_llc") {
      if (!bytes(v, false)) bad(where, v, "a positive byte count");
    } else if (key == "caches") {
      if (!v.is_array()) bad(where, v, "an array of cache objects");
      for (size_t i = 0; i < v.size(); ++i) {
        const json& c = v[i];
        const std::string cw = fmt::format("{}[{}]", where, i);
        if (!c.is_object()) bad(cw, c, "an object");
        for (auto f = c.begin(); f != c.end(); ++f) {
          const std::string fw = cw + "." + f.key();
          // The renderer reads these as int: a non-integer or a huge value
          // was an exception or an undefined cast.
          if (f.key() == "type") {
            if (!f->is_string()) bad(fw, *f, "a string");
          } else if (f.key() == "level") {
            if (!whole(*f, 0, 16)) bad(fw, *f, "a whole number from 0 to 16");
          } else if (f.key() == "num_sharing") {
            if (!whole(*f, 0, kMaxCount)) {
              bad(fw, *f, "a whole number from 0 to 1e9");
            }
          } else if (f.key() == "size") {
            if (!bytes(*f, true)) bad(fw, *f, "a byte count");
          }
        }
      }
    }
  }
}

// Converts one element of "benchmarks"; `i` is its index.
Row ConvertRow(const json& b, size_t i, const std::string& path) {
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  if (!b.is_object()) {
    fail(fmt::format("benchmarks[{}] is {}, expected an object", i,
                     JsonTypeName(b)));
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
                       JsonTypeName(*it)));
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
      fail(fmt::format("{}: \"{}\" is {}, expected a number", ref, key,
                       JsonDescribe(*it)));
    }
    return it->get<double>();
  };
  auto get_bool = [&](const char* key) {
    auto it = b.find(key);
    if (it == b.end()) return false;
    if (!it->is_boolean()) {
      fail(fmt::format("{}: \"{}\" is {}, expected true or false", ref, key,
                       JsonTypeName(*it)));
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
  // Counts are cast to integers: a fraction, a negative or an absurd value
  // (1e300 was an undefined cast) is refused before the cast.
  auto count = [&](const char* key, int64_t fallback, double min) {
    auto v = get_number(key, &present);
    if (!v) return fallback;
    if (*v != std::floor(*v) || *v < min || *v > kMaxCount) {
      fail(
          fmt::format("{}: \"{}\" is {}, expected a whole number from {} to "
                      "1e9",
                      ref, key, b.at(key).dump(), min));
    }
    return static_cast<int64_t>(*v);
  };
  row.repetitions = count("repetitions", 1, 0);
  row.repetition_index = count("repetition_index", 0, 0);
  row.threads = count("threads", 1, 1);
  row.iterations = static_cast<double>(count("iterations", 0, 0));

  bool has_real = false, has_cpu = false;
  row.real_raw = get_number("real_time", &has_real);
  auto cpu_raw = get_number("cpu_time", &has_cpu);
  if (auto tu = get_string("time_unit")) {
    row.time_unit = *tu;
    if (!NanosPerUnit(*tu)) {
      fail(fmt::format(
          "{}: unknown time_unit \"{}\" (expected ns, us, ms or s)", ref, *tu));
    }
  } else if (has_real && !row.percentage) {
    fail(fmt::format("{}: real_time without a time_unit", ref));
  }
  // Complexity rows (BigO, RMS) carry coefficients instead of times.
  const bool complexity = b.contains("big_o") || b.contains("rms");
  row.complexity = complexity;
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

  // Impossible values. No time is beyond 1e6 s, even on an errored row
  // (GB writes 0 there); signs are checked only on timed rows, since an
  // errored or skipped row's times are never shown. A complexity fit holds
  // coefficients, not times.
  const bool timed = !row.error && !row.skipped && !complexity;
  const std::string& agg = row.aggregate_name;
  // A time of one call: mean, median, min and max are times too.
  const bool call_time = row.run_type == RunType::kIteration || agg == "mean" ||
                         agg == "median" || agg == "min" || agg == "max";
  auto shown = [&](const char* key, double raw) {
    return fmt::format("{}: {} {} {}", ref, key, raw,
                       row.time_unit.empty() ? "ns" : row.time_unit);
  };
  if (!complexity && row.real_ns && !(std::fabs(*row.real_ns) <= kMaxTimeNs)) {
    fail(shown("real_time", *row.real_raw) +
         " is longer than 1e6 s, not a plausible time");
  }
  if (!complexity && row.cpu_ns && !(std::fabs(*row.cpu_ns) <= kMaxTimeNs)) {
    fail(shown("cpu_time", *cpu_raw) +
         " is longer than 1e6 s, not a plausible time");
  }
  if (!complexity && row.percentage && row.real_raw &&
      (std::fabs(*row.real_raw) > kMaxFraction ||
       (timed && agg == "cv" && *row.real_raw < 0))) {
    fail(fmt::format("{}: {} {} is not a plausible fraction", ref,
                     agg.empty() ? "percentage" : agg, *row.real_raw));
  }
  if (timed && row.real_ns) {
    if (call_time && !(*row.real_ns > 0)) {
      fail(shown("real_time", *row.real_raw) + " is not a positive time");
    }
    if (agg == "stddev" && *row.real_ns < 0) {
      fail(shown("real_time", *row.real_raw) + " is a negative deviation");
    }
  }
  if (timed && row.cpu_ns && (call_time || agg == "stddev") &&
      *row.cpu_ns < 0) {
    fail(shown("cpu_time", *cpu_raw) + " is negative");
  }
  if (std::string problem = ElementCountProblem(row.run_name);
      !problem.empty()) {
    fail(fmt::format("{}: {}", ref, problem));
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
  // Rates and sizes are never negative.
  for (const char* key : {"bytes_per_second", "items_per_second", "ws_bytes"}) {
    auto v = get_number(key, &present);
    if (timed && v && *v < 0) {
      fail(fmt::format("{}: \"{}\" is {}, expected a non-negative number", ref,
                       key, b.at(key).dump()));
    }
  }
  return row;
}

// Google Benchmark's top level: where "context" and "benchmarks" are, and
// whether they have the right types.
void CheckTopLevel(const json& doc, const std::string& path) {
  if (!doc.is_object()) {
    throw InputError(
        path, fmt::format("not a Google Benchmark file: expected an object "
                          "with a \"benchmarks\" array, got {}",
                          JsonTypeName(doc)));
  }
}

[[noreturn]] void FailContextType(const json& v, const std::string& path) {
  throw InputError(path, fmt::format("\"context\" is {}, expected an object",
                                     JsonTypeName(v)));
}

[[noreturn]] void FailBenchmarksType(const json& v, const std::string& path) {
  throw InputError(path, fmt::format("\"benchmarks\" is {}, expected an array",
                                     JsonTypeName(v)));
}

// Reads a GB file from parser events: the context is built as JSON, each row
// is built, converted and dropped, other top-level values are built and
// dropped. Errors come in file order; a file is accepted exactly when
// ParseBenchJson(ParseJsonText(...)) accepts it, with the same rows.
class BenchSink : public JsonSink {
 public:
  BenchSink(const std::string& path, const JsonPath& json_path)
      : path_(path), json_path_(json_path), builder_(path, json_path) {
    file_.path = path;
  }

  void Scalar(json&& value) override {
    const size_t depth = json_path_.Depth();
    if (depth == 0) {
      CheckTopLevel(value, path_);
    } else if (depth == 1) {
      if (section_ == Section::kContext) FailContextType(value, path_);
      if (section_ == Section::kBenchmarks) FailBenchmarksType(value, path_);
    } else if (depth == 2 && section_ == Section::kBenchmarks) {
      file_.rows.push_back(ConvertRow(value, json_path_.Index(), path_));
    } else if (building_) {
      builder_.Scalar(std::move(value));
    }
  }
  void BeginObject() override { Begin(json::object()); }
  void BeginArray() override { Begin(json::array()); }
  void Key(const std::string& key) override {
    if (json_path_.Depth() == 1) {
      if (!top_keys_.insert(key).second) {
        throw InputError(path_, fmt::format("{}: duplicate key", key));
      }
      section_ = key == "context"      ? Section::kContext
                 : key == "benchmarks" ? Section::kBenchmarks
                                       : Section::kOther;
    } else if (building_) {
      builder_.Key(key);
    }
  }
  void EndObject() override { End(); }
  void EndArray() override { End(); }

  BenchFile Finish() {
    if (!saw_benchmarks_) {
      throw InputError(path_,
                       "not a Google Benchmark file: no \"benchmarks\" array");
    }
    if (file_.rows.empty()) {
      throw InputError(path_,
                       "no benchmarks: the \"benchmarks\" array is empty");
    }
    return std::move(file_);
  }

 private:
  enum class Section { kContext, kBenchmarks, kOther };

  void Begin(json&& empty) {
    const size_t depth = json_path_.Depth();
    if (depth == 0) {
      CheckTopLevel(empty, path_);
      return;
    }
    if (depth == 1) {
      if (section_ == Section::kContext) {
        if (!empty.is_object()) FailContextType(empty, path_);
        building_ = true;
        build_depth_ = 1;
      } else if (section_ == Section::kBenchmarks) {
        if (!empty.is_array()) FailBenchmarksType(empty, path_);
        saw_benchmarks_ = true;
        return;
      } else {
        // Nothing the report reads, but built all the same so that a
        // duplicate key in it is refused as the whole-document parse does.
        building_ = true;
        build_depth_ = 1;
      }
    } else if (depth == 2 && section_ == Section::kBenchmarks) {
      building_ = true;
      build_depth_ = 2;
    }
    if (!building_) return;
    if (empty.is_object()) {
      builder_.BeginObject();
    } else {
      builder_.BeginArray();
    }
  }

  void End() {
    if (!building_) return;
    builder_.EndObject();  // pops the builder's stack, as EndArray would
    if (json_path_.Depth() != build_depth_) return;
    // The context or row is complete.
    building_ = false;
    json value = builder_.Take();
    if (build_depth_ == 1) {
      if (section_ != Section::kContext) return;  // an ignored key's value
      CheckContext(value, path_);
      file_.context = std::move(value);
    } else {
      file_.rows.push_back(ConvertRow(value, json_path_.Index(), path_));
    }
  }

  const std::string& path_;
  const JsonPath& json_path_;
  JsonBuilder builder_;
  BenchFile file_;
  std::set<std::string> top_keys_;
  Section section_ = Section::kOther;
  bool building_ = false;   // a context or row is being built
  size_t build_depth_ = 0;  // the depth it started at: 1 context, 2 row
  bool saw_benchmarks_ = false;
};

BenchFile ReadBench(JsonSource& source, const std::string& path) {
  JsonPath json_path;
  BenchSink sink(path, json_path);
  ReadJson(source, path, &json_path, &sink);
  return sink.Finish();
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
  Fd fd(OpenInput(path));
  std::string text;
  char block[1 << 16];
  while (true) {
    ssize_t n = read(fd.get(), block, sizeof block);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path,
                       fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) break;
    text.append(block, static_cast<size_t>(n));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(path, "empty file");
  }
  return text;
}

json ParseJsonText(std::string_view text, const std::string& file) {
  JsonSource source(text);
  JsonPath path;
  JsonBuilder builder(file, path);
  ReadJson(source, file, &path, &builder);
  return builder.Take();
}

BenchFile ParseBenchJson(const json& doc, const std::string& path) {
  CheckTopLevel(doc, path);
  BenchFile file;
  file.path = path;
  if (auto it = doc.find("context"); it != doc.end()) {
    if (!it->is_object()) FailContextType(*it, path);
    CheckContext(*it, path);
    file.context = *it;
  }
  auto benchmarks = doc.find("benchmarks");
  if (benchmarks == doc.end()) {
    throw InputError(path,
                     "not a Google Benchmark file: no \"benchmarks\" array");
  }
  if (!benchmarks->is_array()) FailBenchmarksType(*benchmarks, path);
  if (benchmarks->empty()) {
    throw InputError(path, "no benchmarks: the \"benchmarks\" array is empty");
  }
  for (size_t i = 0; i < benchmarks->size(); ++i) {
    file.rows.push_back(ConvertRow((*benchmarks)[i], i, path));
  }
  return file;
}

BenchFile ParseBenchJsonText(std::string_view text, const std::string& path) {
  JsonSource source(text);
  return ReadBench(source, path);
}

BenchFile LoadBenchFile(const std::string& path) {
  Fd fd(OpenInput(path));
  JsonSource source(fd.get(), path);
  return ReadBench(source, path);
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
