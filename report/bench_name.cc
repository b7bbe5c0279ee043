// Benchmark-name grammar of README.md ("Benchmark names"), strict on values so
// stray rows stand out.
#include "report/bench_name.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace relu::report {
namespace {

// Our keys, in README order. A key outside this list makes the row
// unrecognised rather than silently ignored, so a renamed key is noticed.
// `fn` is not in the README table: scripts/py_bench.py adds it to tell apart
// two library calls of one form (torch relu vs clamp_min).
constexpr std::string_view kKeys[] = {"n",   "shape",   "out",      "cache",
                                      "neg", "harness", "protocol", "fn"};

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// Lower-case identifiers: variants, forms and copy methods.
bool IsIdentifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (!IsDigits(s)) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// The element count of a shape value (digits separated by 'x'); nullopt
// when a dimension is not digits or the product exceeds kMaxElements.
std::optional<int64_t> ShapeProduct(std::string_view value) {
  int64_t product = 1;
  for (std::string_view d : Split(value, 'x')) {
    int64_t x = 0;
    if (!ParseInt(d, &x)) return std::nullopt;
    if (x != 0 && product > kMaxElements / x) return std::nullopt;
    product *= x;
  }
  return product;
}

bool IsGbenchSegment(std::string_view seg) {
  if (seg == "manual_time" || seg == "real_time" || seg == "process_time") {
    return true;
  }
  size_t colon = seg.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view key = seg.substr(0, colon);
  std::string_view value = seg.substr(colon + 1);
  if (key == "repeats" || key == "iterations" || key == "threads") {
    return IsDigits(value);
  }
  // min_time is printed as "0.5" or "0.5s" depending on the GB version.
  if (key == "min_time" || key == "min_warmup_time") return !value.empty();
  return false;
}

// Empty when `value` is valid for `key`, else why not.
std::string CheckValue(std::string_view key, std::string_view value) {
  auto one_of = [&](std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  int64_t v = 0;
  bool ok = true;
  if (key == "n") {
    ok = ParseInt(value, &v) && v <= kMaxElements;
  } else if (key == "shape") {
    ok = Split(value, 'x').size() >= 2 && ShapeProduct(value).has_value();
  } else if (key == "out") {
    ok = one_of({"reuse", "fresh", "inplace"});
  } else if (key == "cache") {
    ok = one_of({"hot", "cold"});
  } else if (key == "neg") {
    ok = ParseInt(value, &v) && v <= 100;
  } else if (key == "harness") {
    ok = one_of({"ring", "bare", "python"});
  } else if (key == "fn") {
    ok = IsIdentifier(value);
  } else if (key == "protocol") {
    constexpr std::string_view kReplay = "replay-";
    ok = value == "fair" ||
         (value.substr(0, kReplay.size()) == kReplay &&
          value.size() > kReplay.size() &&
          std::all_of(value.begin() + kReplay.size(), value.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
          }));
  }
  return ok ? std::string()
            : fmt::format("bad value '{}' for key '{}'", value, key);
}

}  // namespace

std::string BenchName::Get(std::string_view key) const {
  for (const auto& [k, v] : keys) {
    if (k == key) return v;
  }
  return {};
}

bool BenchName::Has(std::string_view key) const {
  return std::any_of(keys.begin(), keys.end(),
                     [&](const auto& kv) { return kv.first == key; });
}

std::optional<int64_t> BenchName::Elements() const {
  int64_t n = 0;
  if (ParseInt(Get("n"), &n)) {
    return n <= kMaxElements ? std::optional<int64_t>(n) : std::nullopt;
  }
  std::string shape = Get("shape");
  if (shape.empty()) return std::nullopt;
  return ShapeProduct(shape);
}

std::string ElementCountProblem(std::string_view name) {
  auto segs = Split(name, '/');
  for (size_t i = 4; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    size_t colon = seg.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = seg.substr(0, colon);
    std::string_view value = seg.substr(colon + 1);
    bool digits = false, fits = false;
    if (key == "n") {
      digits = IsDigits(value);
      int64_t n = 0;
      fits = ParseInt(value, &n) && n <= kMaxElements;
    } else if (key == "shape") {
      auto dims = Split(value, 'x');
      digits = std::all_of(dims.begin(), dims.end(), IsDigits);
      fits = ShapeProduct(value).has_value();
    } else {
      continue;
    }
    if (digits && !fits) {
      return fmt::format(
          "element count of {} is impossible (more than 2^56 elements)", seg);
    }
  }
  return {};
}

std::string BenchName::Canonical(std::string_view omit_key) const {
  std::string out = fmt::format("{}/{}/{}/{}", family, op, form, dtype);
  for (const auto& [k, v] : keys) {
    if (k == omit_key) continue;
    out += fmt::format("/{}:{}", k, v);
  }
  return out;
}

std::optional<BenchName> ParseBenchName(std::string_view name,
                                        std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<BenchName> {
    *why = std::move(reason);
    return std::nullopt;
  };
  auto segs = Split(name, '/');
  if (segs.size() < 4) return fail("fewer than 4 segments");
  BenchName b;
  b.family = std::string(segs[0]);
  b.op = std::string(segs[1]);
  b.form = std::string(segs[2]);
  b.dtype = std::string(segs[3]);
  if (b.family != "relu" && b.family != "copy" && b.family != "gen") {
    return fail(fmt::format("unknown family '{}'", b.family));
  }
  if (!IsIdentifier(b.op)) return fail(fmt::format("bad op '{}'", b.op));
  if (!IsIdentifier(b.form)) return fail(fmt::format("bad form '{}'", b.form));
  if (b.dtype != "f32" && b.dtype != "f64") {
    return fail(fmt::format("unknown dtype '{}'", b.dtype));
  }
  for (size_t i = 4; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    if (IsGbenchSegment(seg)) {
      b.gbench_segments.emplace_back(seg);
      continue;
    }
    size_t colon = seg.find(':');
    if (colon == std::string_view::npos) {
      return fail(fmt::format("segment '{}' is not key:value", seg));
    }
    std::string_view key = seg.substr(0, colon);
    std::string_view value = seg.substr(colon + 1);
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      return fail(fmt::format("unknown key '{}'", key));
    }
    if (b.Has(key)) return fail(fmt::format("key '{}' repeated", key));
    if (std::string bad = CheckValue(key, value); !bad.empty())
      return fail(bad);
    b.keys.emplace_back(std::string(key), std::string(value));
  }
  return b;
}

}  // namespace relu::report
