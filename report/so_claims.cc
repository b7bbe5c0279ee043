// StackOverflow claims reading; its shape is checked so a typo fails loudly,
// not as an empty section.
#include "report/so_claims.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/bench_json.h"

namespace relu::report {

SoClaims ParseSoClaimsText(const std::string& text, const std::string& path) {
  using nlohmann::json;
  json doc = ParseJsonText(text, path);
  auto fail = [&](const std::string& problem) {
    throw InputError(path, problem);
  };
  if (!doc.is_object() || !doc.contains("answers") ||
      !doc["answers"].is_array()) {
    fail("not a claims file: expected an object with an \"answers\" array");
  }
  SoClaims claims;
  claims.path = path;
  if (auto it = doc.find("shape"); it != doc.end()) {
    if (!it->is_array()) fail("\"shape\" is not an array");
    for (const json& d : *it) {
      if (!d.is_number_integer()) fail("\"shape\" holds a non-integer");
      claims.shape.push_back(d.get<int64_t>());
    }
  }
  if (auto it = doc.find("dtype"); it != doc.end() && it->is_string()) {
    claims.dtype = it->get<std::string>();
  }
  if (auto it = doc.find("variants"); it != doc.end() && it->is_object()) {
    for (auto v = it->begin(); v != it->end(); ++v) {
      if (v->is_string()) claims.variants[v.key()] = v->get<std::string>();
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
    answer.protocol = a.value("protocol", "");
    answer.claim = a.value("claim", "");
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
      answer.timings_ms.emplace_back(v.key(), v->get<double>());
    }
    if (auto s = a.find("stddev_ms"); s != a.end() && s->is_object()) {
      for (auto v = s->begin(); v != s->end(); ++v) {
        if (v->is_number()) answer.stddev_ms[v.key()] = v->get<double>();
      }
    }
    claims.answers.push_back(std::move(answer));
  }
  return claims;
}

SoClaims LoadSoClaims(const std::string& path) {
  return ParseSoClaimsText(ReadInputFile(path), path);
}

}  // namespace relu::report
