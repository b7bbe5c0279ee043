// Benchmark-name grammar of README.md ("Benchmark names"): keys and their
// values come from vocabulary.json, strict so stray rows stand out.
#include "report/bench_name.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "relu/vocabulary_generated.h"

namespace relu::report {
namespace {

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
  // GB's own "threads:" is never used here: threads is our key (the
  // vocabulary's), so a thread count stays part of the row's identity.
  if (key == "repeats" || key == "iterations") {
    return IsDigits(value);
  }
  // min_time is printed as "0.5" or "0.5s" depending on the GB version.
  if (key == "min_time" || key == "min_warmup_time") return !value.empty();
  return false;
}

// A decimal number as names print parameters: "0.01", "-0.5", "1e-3".
bool IsNumber(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(d);
}

bool InList(std::string_view csv, std::string_view value) {
  for (std::string_view v : Split(csv, ',')) {
    if (v == value) return true;
  }
  return false;
}

// The vocabulary's entry for `key`, or null.
const vocab::KeyEntry* KeyEntryOf(std::string_view key) {
  for (const vocab::KeyEntry& k : vocab::kKeys) {
    if (key == k.name) return &k;
  }
  return nullptr;
}

// Whether an older run's `key:value` is in the vocabulary's legacy table.
bool IsLegacy(std::string_view key, std::string_view value) {
  for (const vocab::LegacyValue& l : vocab::kLegacyValues) {
    if (key == l.key && value == l.value) return true;
  }
  return false;
}

bool IsLegacyKey(std::string_view key) {
  for (const vocab::LegacyValue& l : vocab::kLegacyValues) {
    if (key == l.key && key != l.becomes_key) return true;
  }
  return false;
}

// Empty when `value` is valid for `key` by the key's kind in the
// vocabulary, else why not.
std::string CheckValue(std::string_view key, std::string_view value) {
  const vocab::KeyEntry* entry = KeyEntryOf(key);
  const std::string_view kind = entry ? entry->kind : "";
  int64_t v = 0;
  bool ok = IsLegacy(key, value);
  if (ok) {
  } else if (entry == nullptr) {
    ok = false;
  } else if (kind == "count") {
    ok = ParseInt(value, &v) && v <= kMaxElements && (key == "n" || v >= 1);
  } else if (kind == "shape") {
    ok = Split(value, 'x').size() >= 2 && ShapeProduct(value).has_value();
  } else if (kind == "choice") {
    ok = InList(entry->values, value);
  } else if (kind == "number") {
    ok = IsNumber(value);
  } else if (key == "protocol") {
    constexpr std::string_view kReplay = "replay-";
    ok = value == "fair" ||
         (value.substr(0, kReplay.size()) == kReplay &&
          value.size() > kReplay.size() &&
          std::all_of(value.begin() + kReplay.size(), value.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
          }));
  } else if (key == "isa") {
    // Highway's target names: AVX2, AVX3_DL, SSE4, EMU128, SCALAR.
    ok = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
  } else {
    // Other free text (fn: a library function's name): lower case.
    ok = IsIdentifier(value);
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
    if (KeyEntryOf(key) == nullptr && !IsLegacyKey(key)) {
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
