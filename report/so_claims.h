// Reads scripts/so-claims.json: the timings each StackOverflow answer claimed.
#ifndef RELU_REPORT_SO_CLAIMS_H_
#define RELU_REPORT_SO_CLAIMS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relu::report {

struct SoAnswer {
  std::string id;  // "inplace-answer"; replay rows carry protocol:replay-<id>
  std::string protocol;
  std::string claim;
  // Claimed times in ms, in the file's order: {"maximum", 239}, and for
  // generation-included-answer {"baseline_generation", 425}.
  std::vector<std::pair<std::string, double>> timings_ms;
  std::map<std::string, double> stddev_ms;
};

struct SoClaims {
  std::string path;
  std::vector<int64_t> shape;                   // [5000, 5000]
  std::string dtype;                            // "float64"
  std::map<std::string, std::string> variants;  // name -> NumPy formulation
  std::vector<SoAnswer> answers;
};

// The element count of the question's array: the claims' shape, or
// 5000 x 5000 without claims.
int64_t SoElements(const std::optional<SoClaims>& claims);

// Parses and validates; throws InputError naming the file.
SoClaims LoadSoClaims(const std::string& path);
SoClaims ParseSoClaimsText(const std::string& text, const std::string& path);

}  // namespace relu::report

#endif  // RELU_REPORT_SO_CLAIMS_H_
