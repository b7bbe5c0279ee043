// StackOverflow claims reading; its shape is checked so a typo fails loudly,
// not as an empty section.
#include "report/so_claims.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/bench_json.h"
#include "report/bench_name.h"
#include "report/json_input.h"

namespace relu::report {

SoClaims ParseSoClaimsText(const std::string& text, const std::string& path) {
  using nlohmann::json;
  json doc = ParseJsonText(text, path);
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  auto bad = [&](const std::string& where, const json& v, const char* want) {
    fail(fmt::format("{} is {}, expected {}", where, JsonDescribe(v), want));
  };
  // Every text field is shown as text: a number or null there was an
  // uncaught exception.
  auto text_of = [&](const json& obj, const char* key,
                     const std::string& where) -> std::string {
    auto it = obj.find(key);
    if (it == obj.end()) return "";
    if (!it->is_string()) {
      bad(where.empty() ? key : where + "." + key, *it, "a string");
    }
    return it->get<std::string>();
  };
  if (!doc.is_object() || !doc.contains("answers") ||
      !doc["answers"].is_array()) {
    fail("not a claims file: expected an object with an \"answers\" array");
  }
  SoClaims claims;
  claims.path = path;
  if (auto it = doc.find("shape"); it != doc.end()) {
    if (!it->is_array()) fail("\"shape\" is not an array");
    // The report multiplies the dimensions: each must be a positive integer
    // and their product a count no machine exceeds (kMaxElements).
    int64_t product = 1;
    for (size_t i = 0; i < it->size(); ++i) {
      const json& d = (*it)[i];
      if (!d.is_number_integer() || d.get<double>() < 1 ||
          d.get<double>() > static_cast<double>(kMaxElements)) {
        bad(fmt::format("shape[{}]", i), d, "a positive integer");
      }
      const int64_t x = d.get<int64_t>();
      if (product > kMaxElements / x) {
        fail(
            fmt::format("shape[{}]: the product of \"shape\" exceeds 2^56 "
                        "elements",
                        i));
      }
      product *= x;
    }
    for (const json& d : *it) claims.shape.push_back(d.get<int64_t>());
  }
  claims.dtype = text_of(doc, "dtype", "");
  if (auto it = doc.find("variants"); it != doc.end()) {
    if (!it->is_object()) bad("variants", *it, "an object");
    for (auto v = it->begin(); v != it->end(); ++v) {
      if (!v->is_string()) bad("variants." + v.key(), *v, "a string");
      claims.variants[v.key()] = v->get<std::string>();
    }
  }
  const json& answers = doc["answers"];
  for (size_t i = 0; i < answers.size(); ++i) {
    const json& a = answers[i];
    const std::string where = fmt::format("answers[{}]", i);
    if (!a.is_object() || !a.contains("id") || !a["id"].is_string()) {
      fail(where + " has no string \"id\"");
    }
    SoAnswer answer;
    answer.id = a["id"].get<std::string>();
    answer.protocol = text_of(a, "protocol", where);
    answer.claim = text_of(a, "claim", where);
    auto t = a.find("timings_ms");
    if (t == a.end() || !t->is_object() || t->empty()) {
      fail(fmt::format("{} (\"{}\") has no \"timings_ms\" object", where,
                       answer.id));
    }
    // nlohmann's default object sorts keys; the file's order is lost, so
    // tables order variants by the project's variant order instead.
    for (auto v = t->begin(); v != t->end(); ++v) {
      if (!v->is_number()) {
        fail(fmt::format("{} (\"{}\"): timings_ms.{} is not a number", where,
                         answer.id, v.key()));
      }
      // A claimed time is divided by and compared: zero, negative or beyond
      // kMaxTimeNs is no time an answer measured.
      const double ms = v->get<double>();
      if (!(ms > 0) || ms * 1e6 > kMaxTimeNs) {
        fail(
            fmt::format("{} (\"{}\"): timings_ms.{} is {}, expected a "
                        "positive time up to 1e9 ms",
                        where, answer.id, v.key(), v->dump()));
      }
      answer.timings_ms.emplace_back(v.key(), ms);
    }
    if (auto s = a.find("stddev_ms"); s != a.end()) {
      if (!s->is_object()) bad(where + ".stddev_ms", *s, "an object");
      for (auto v = s->begin(); v != s->end(); ++v) {
        const std::string vw = where + ".stddev_ms." + v.key();
        if (!v->is_number()) bad(vw, *v, "a number");
        const double ms = v->get<double>();
        if (!(ms >= 0) || ms * 1e6 > kMaxTimeNs) {
          bad(vw, *v, "a non-negative time up to 1e9 ms");
        }
        answer.stddev_ms[v.key()] = ms;
      }
    }
    claims.answers.push_back(std::move(answer));
  }
  return claims;
}

SoClaims LoadSoClaims(const std::string& path) {
  return ParseSoClaimsText(ReadInputFile(path), path);
}

int64_t SoElements(const std::optional<SoClaims>& claims) {
  if (!claims || claims->shape.empty()) return 5000 * 5000;
  int64_t n = 1;
  for (int64_t d : claims->shape) n *= d;
  return n;
}

}  // namespace relu::report
