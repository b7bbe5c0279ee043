// Parses benchmark names by the README grammar: family/op/form/dtype, then
// key:value and GB segments.
#ifndef RELU_REPORT_BENCH_NAME_H_
#define RELU_REPORT_BENCH_NAME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relu::report {

// The largest element count a name may carry (n, or the product of shape):
// 2^56, so that byte counts derived from it (8-byte elements, up to three
// buffers) still fit int64 with room. More would not fit any machine; a
// count that overflows int64 was undefined behaviour in the report.
inline constexpr int64_t kMaxElements = int64_t{1} << 56;

struct BenchName {
  std::string family;  // "relu", "copy" or "gen"
  std::string op;      // variant, copy method or "random"
  std::string form;    // "scalar", "highway", "numpy", "libc", ...
  std::string dtype;   // "f32" or "f64"
  // Our keys in the order the name gives them: {"n", "1024"}, {"out", "reuse"}.
  std::vector<std::pair<std::string, std::string>> keys;
  // Google Benchmark's own segments ("manual_time", "min_time:0.5"): kept
  // only so a name can be shown whole; they carry no meaning here.
  std::vector<std::string> gbench_segments;

  // The value of `key`, or "" when the name does not carry it.
  std::string Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  // Element count: `n`, else the product of `shape`; nullopt when neither.
  std::optional<int64_t> Elements() const;
  // family/op/form/dtype followed by our keys, except `omit_key`; GB
  // segments are dropped because they differ between otherwise equal rows.
  std::string Canonical(std::string_view omit_key = {}) const;
  // Bytes of one element of dtype.
  int ElementBytes() const { return dtype == "f32" ? 4 : 8; }
};

// Why the element count `name` spells (n:<digits>, or shape:<digits>x... as a
// product) is impossible, e.g. "element count of shape:9999999999x9999999999
// overflows (more than 2^56)"; "" when it is fine or absent. Other grammar
// problems are ParseBenchName's to report.
std::string ElementCountProblem(std::string_view name);

// Parses `name`; on failure returns nullopt and says why in *why (a short
// phrase such as "unknown key 'foo'"), so unrecognised rows can say why.
std::optional<BenchName> ParseBenchName(std::string_view name,
                                        std::string* why);

}  // namespace relu::report

#endif  // RELU_REPORT_BENCH_NAME_H_
