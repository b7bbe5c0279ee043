// Semantics JSON reading and the bit-level ReLU and NumPy-agreement checks.
#include "report/semantics.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "report/bench_json.h"
#include "report/json_input.h"

namespace relu::report {
namespace {

using nlohmann::json;

constexpr uint64_t kF32Exp = 0x7f800000u, kF32Man = 0x007fffffu,
                   kF32Sign = 0x80000000u;
constexpr uint64_t kF64Exp = 0x7ff0000000000000u, kF64Man = 0x000fffffffffffffu,
                   kF64Sign = 0x8000000000000000u;

bool ParseHex(const std::string& s, int digits, uint64_t* out) {
  if (s.size() != static_cast<size_t>(digits) + 2 || s[0] != '0' ||
      (s[1] != 'x' && s[1] != 'X')) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), *out, 16);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool IsNan(uint64_t bits, const std::string& dtype) {
  if (dtype == "f32")
    return (bits & kF32Exp) == kF32Exp && (bits & kF32Man) != 0;
  return (bits & kF64Exp) == kF64Exp && (bits & kF64Man) != 0;
}

bool IsCorrectRelu(uint64_t in, uint64_t out, const std::string& dtype) {
  const bool f32 = dtype == "f32";
  const uint64_t sign = f32 ? kF32Sign : kF64Sign;
  if (IsNan(in, dtype)) return IsNan(out, dtype);
  const bool out_is_zero = (out & ~sign) == 0;
  const bool in_is_zero = (in & ~sign) == 0;
  const bool in_positive = !in_is_zero && (in & sign) == 0;
  return in_positive ? out == in : out_is_zero;
}

bool SameResult(uint64_t a, uint64_t b, const std::string& dtype) {
  return a == b || (IsNan(a, dtype) && IsNan(b, dtype));
}

SemanticsFile ParseSemanticsText(const std::string& text,
                                 const std::string& path) {
  json doc = ParseJsonText(text, path);
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  auto str = [&](const json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) {
      fail(fmt::format("{} has no string \"{}\"", where, key));
    }
    return it->get<std::string>();
  };
  if (!doc.is_object() || !doc.contains("inputs") || !doc.contains("rows") ||
      !doc["inputs"].is_array() || !doc["rows"].is_array()) {
    fail(
        "not a semantics file: expected an object with \"inputs\" and \"rows\" "
        "arrays");
  }
  SemanticsFile file;
  file.path = path;
  const json& inputs = doc["inputs"];
  if (inputs.empty()) fail("semantics file has no inputs");
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string where = fmt::format("inputs[{}]", i);
    if (!inputs[i].is_object()) fail(where + " is not an object");
    SemInput in;
    in.label = str(inputs[i], "label", where);
    std::string f32 = str(inputs[i], "f32", where);
    std::string f64 = str(inputs[i], "f64", where);
    if (!ParseHex(f32, 8, &in.f32) || !ParseHex(f64, 16, &in.f64)) {
      fail(fmt::format(
          "{} (\"{}\"): bits must be 0x plus 8 (f32) or 16 (f64) hex digits",
          where, in.label));
    }
    file.inputs.push_back(in);
  }
  const json& rows = doc["rows"];
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string where = fmt::format("rows[{}]", i);
    if (!rows[i].is_object()) fail(where + " is not an object");
    SemRow row;
    row.file = path;
    row.variant = str(rows[i], "variant", where);
    row.form = str(rows[i], "form", where);
    row.dtype = str(rows[i], "dtype", where);
    if (auto fn = rows[i].find("fn"); fn != rows[i].end()) {
      if (!fn->is_string()) {
        fail(fmt::format("{}.fn is {}, expected a string", where,
                         JsonTypeName(*fn)));
      }
      row.fn = fn->get<std::string>();
    }
    if (row.dtype != "f32" && row.dtype != "f64") {
      fail(fmt::format("{}: unknown dtype \"{}\"", where, row.dtype));
    }
    if (auto od = rows[i].find("out_dtype"); od != rows[i].end()) {
      if (!od->is_string() || (*od != "f32" && *od != "f64")) {
        fail(where + ": \"out_dtype\" must be \"f32\" or \"f64\"");
      }
      row.out_dtype = od->get<std::string>();
    }
    auto outs = rows[i].find("outputs");
    if (outs == rows[i].end() || !outs->is_array() ||
        outs->size() != inputs.size()) {
      fail(
          fmt::format("{} ({}/{}/{}): \"outputs\" must be an array of {} "
                      "entries, one per input",
                      where, row.variant, row.form, row.dtype, inputs.size()));
    }
    for (size_t k = 0; k < outs->size(); ++k) {
      const std::string owhere = fmt::format("{}.outputs[{}]", where, k);
      if (!(*outs)[k].is_object()) fail(owhere + " is not an object");
      SemOutput o;
      std::string bits = str((*outs)[k], "bits", owhere);
      o.text = str((*outs)[k], "text", owhere);
      if (!ParseHex(bits, row.OutDtype() == "f32" ? 8 : 16, &o.bits)) {
        fail(fmt::format("{}: bad bits \"{}\" for {}", owhere, bits,
                         row.OutDtype()));
      }
      row.outputs.push_back(o);
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

SemanticsFile LoadSemanticsFile(const std::string& path) {
  return ParseSemanticsText(ReadInputFile(path), path);
}

}  // namespace relu::report
