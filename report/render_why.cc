// "Why the forms stand where they do": the scalar and Eigen forms explained
// from rows of the same run (sign sensitivity, Highway, the copy), and the
// build facts that the measurements alone cannot show, labelled as such.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "report/markdown.h"
#include "report/render.h"

namespace relu::report {
namespace {

constexpr const char* kDash = "—";
constexpr const char* kOurForms[] = {"scalar", "eigen", "highway"};

// neg:50 this much slower than both neg:0 and neg:100 means the code
// branches on the sign: at 50% the predictor misses about every other
// element, at 0% and 100% it never does.
constexpr double kBranchFactor = 1.15;

// The fastest row of our `form` for variant, dtype and n at the main
// conditions except that neg is `neg`.
const Measurement* SignRow(const Model& model, const std::string& variant,
                           const std::string& form, const std::string& dtype,
                           int64_t n, const std::string& neg) {
  return Fastest(model.measurements, [&](const Measurement& m) {
    if (m.name.family != "relu" || m.name.op != variant ||
        m.name.form != form || m.name.dtype != dtype || m.elements != n) {
      return false;
    }
    const std::string v = m.name.Get("neg");
    if ((v.empty() ? std::string("50") : v) != neg) return false;
    // The other conditions must be the main ones.
    BenchName at50 = m.name;
    for (auto& [k, value] : at50.keys) {
      if (k == "neg") value = "50";
    }
    return IsDefaultCondition(at50);
  });
}

struct FormRow {
  std::string variant, form;
  const Measurement* neg0 = nullptr;
  const Measurement* neg50 = nullptr;
  const Measurement* neg100 = nullptr;
  const Measurement* highway = nullptr;
  bool SignMeasured() const { return neg0 && neg50 && neg100; }
  // neg:50 more than kBranchFactor slower than neg:0 and neg:100.
  bool SlowAtHalf() const {
    return SignMeasured() && neg50->time_ns > kBranchFactor * neg0->time_ns &&
           neg50->time_ns > kBranchFactor * neg100->time_ns;
  }
  // The larger noise of the two comparisons behind SlowAtHalf.
  Noise SignNoise() const {
    Noise a = ComparisonNoise(*neg50, *neg0),
          b = ComparisonNoise(*neg50, *neg100);
    return a.fraction >= b.fraction ? a : b;
  }
  // SlowAtHalf, and by more than the rows' noise, so a noisy neg:50 row is
  // not read as a branch.
  bool Branches() const {
    if (!SlowAtHalf()) return false;
    const double excess = std::min(neg50->time_ns / neg0->time_ns,
                                   neg50->time_ns / neg100->time_ns) -
                          1;
    return excess > SignNoise().fraction;
  }
  // This form's speed as a multiple of Highway's (below 1: slower).
  std::optional<double> VsHighway() const {
    if (!highway || !neg50 || neg50->time_ns <= 0) return std::nullopt;
    return highway->time_ns / neg50->time_ns;
  }
};

std::string Pct(double x) { return FormatPercent(x); }

std::string Time(const Measurement* m) {
  return m ? FormatTime(m->time_ns) : std::string(kDash);
}

// The context of the input that holds our forms' rows: its compiler and
// flags built the code measured.
const nlohmann::json* OurContext(const ReportData& data, const Model& model) {
  for (const Measurement& m : model.measurements) {
    if (!IsOurForm(m.name.form)) continue;
    for (const BenchFile& f : data.files) {
      if (f.path == m.file) return &f.context;
    }
  }
  return nullptr;
}

std::string ContextString(const nlohmann::json* ctx, const char* key) {
  if (ctx == nullptr) return "";
  auto it = ctx->find(key);
  return it == ctx->end() ? "" : ContextText(*it);
}

std::string BuildFacts(const ReportData& data, const Model& model) {
  const nlohmann::json* ctx = OurContext(data, model);
  const std::string compiler = ContextString(ctx, "compiler");
  const std::string native = ContextString(ctx, "cxx_flags_native");
  const std::string recorded =
      fmt::format("compiler: {}; cxx_flags_native: {}",
                  compiler.empty() ? "not recorded" : compiler,
                  native.empty() ? "not recorded" : native);
  // The facts come from reading this build's disassembly; another compiler
  // or flags may vectorise differently, so they are not carried over.
  if (compiler.rfind("g++ 12", 0) == 0 &&
      native.find("-march=native") != std::string::npos) {
    return fmt::format(
        "**A fact about the build, not a measurement** (established for this "
        "compiler and these flags; context: {}): With g++ 12 at -O3 "
        "-march=native, the scalar loops are auto-vectorised (AVX-512, "
        "conditional stores as masked stores), which is why they are close to "
        "Highway; Eigen 3.4's select() vectorises, but the bool-to-float cast "
        "in multiply does not, so Eigen's multiply runs element by "
        "element. Neither the scalar nor the Eigen loop has an alignment "
        "prologue: both use unaligned 64-byte vectors from the first "
        "element, so where an array starts 16 bytes past a 64-byte boundary "
        "(as NumPy's large arrays do) every store straddles two cache lines; "
        "the Highway form stores one unaligned vector and then aligned ones "
        "(the harness:python rows run on such arrays; the C++ ring's buffers "
        "are 64-byte aligned).\n\n",
        Escape(recorded));
  }
  return fmt::format(
      "**A note about the build, not a measurement**: the disassembly facts "
      "behind these forms (which scalar loops the compiler auto-vectorises, "
      "how Eigen evaluates multiply) were established for g++ 12 "
      "-march=native only. This run's build ({}) was not inspected, so the "
      "measurements above stand without that explanation.\n\n",
      Escape(recorded));
}

}  // namespace

std::string RenderWhyForms(const ReportData& data, const Model& model) {
  std::string out = fmt::format(
      "## Why the forms stand where they do\n\n"
      "Per dtype, at the representative n of each size class, from rows of "
      "this run. *Sign mix*: a form whose time at neg:50 is more than {} "
      "its time at both neg:0 and neg:100 branches on the data (at 50% "
      "negatives the branch predictor misses about every other element), "
      "unless that excess is within the rows' noise (the larger CV, 2% for a "
      "row without one), which is inconclusive; otherwise its time does not "
      "depend on the sign mix (branch-free, or vectorised with masked "
      "stores). *vs highway* is this form's speed as a "
      "multiple of the Highway form of the same variant (below 1: slower); "
      "*% of copy* as in the Summary.\n\n",
      FormatRatio(kBranchFactor));
  std::vector<std::string> dtypes = Dtypes(model);
  if (dtypes.empty()) return out + "No relu rows.\n\n";
  for (const std::string& dtype : dtypes) {
    const auto sizes = ClassSizes(model, dtype);
    out += fmt::format("### {}\n\n", dtype);
    Table t({"size class", "n", "variant", "form", "neg:0", "neg:50", "neg:100",
             "sign mix", "vs highway", "% of copy"},
            {Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft,
             Align::kRight, Align::kRight, Align::kRight, Align::kLeft,
             Align::kRight, Align::kRight});
    std::vector<std::string> bullets;
    for (const auto& [cls, n] : sizes) {
      const Measurement* copy = CopyReference(model, dtype, n);
      std::vector<std::string> variants;
      for (const Measurement& m : model.measurements) {
        if (m.ok() && m.name.family == "relu" && m.name.dtype == dtype &&
            m.elements == n && IsOurForm(m.name.form) &&
            IsDefaultCondition(m.name) &&
            std::find(variants.begin(), variants.end(), m.name.op) ==
                variants.end()) {
          variants.push_back(m.name.op);
        }
      }
      std::stable_sort(variants.begin(), variants.end(),
                       [](const std::string& a, const std::string& b) {
                         return VariantOrder(a) < VariantOrder(b);
                       });
      std::vector<FormRow> rows;
      for (const std::string& v : variants) {
        const Measurement* hwy = SignRow(model, v, "highway", dtype, n, "50");
        for (const char* form : kOurForms) {
          FormRow r;
          r.variant = v;
          r.form = form;
          r.neg50 = SignRow(model, v, form, dtype, n, "50");
          if (r.neg50 == nullptr) continue;
          r.neg0 = SignRow(model, v, form, dtype, n, "0");
          r.neg100 = SignRow(model, v, form, dtype, n, "100");
          r.highway = hwy;
          rows.push_back(r);
        }
      }
      if (rows.empty()) continue;
      const std::string where =
          fmt::format("{} (n = {})", SizeClassName(cls), n);
      std::vector<std::string> branching, flat, noisy;
      for (const FormRow& r : rows) {
        std::string sign = "not measured at this n";
        if (r.SignMeasured()) {
          const std::string ratios =
              fmt::format("neg:50 {} neg:0, {} neg:100",
                          FormatRatio(r.neg50->time_ns / r.neg0->time_ns),
                          FormatRatio(r.neg50->time_ns / r.neg100->time_ns));
          const std::string id = r.variant + "/" + r.form;
          if (r.Branches()) {
            sign = "branches on the data (" + ratios + ")";
            branching.push_back(id + " (" + ratios + ")");
          } else if (r.SlowAtHalf()) {
            const std::string noise = NoiseText(r.SignNoise());
            sign = "inconclusive: slower at neg:50 but " + noise + " (" +
                   ratios + ")";
            noisy.push_back(id + " (" + ratios + ", " + noise + ")");
          } else {
            sign = "no dependence (" + ratios + ")";
            flat.push_back(id);
          }
        }
        auto vs = r.VsHighway();
        t.AddRow({SizeClassName(cls), std::to_string(n), r.variant, r.form,
                  Time(r.neg0), Time(r.neg50), Time(r.neg100),
                  r.Branches() ? Cell(Bold(sign)) : Cell(sign),
                  vs ? FormatRatio(*vs) : std::string(kDash),
                  copy ? FormatPercent(copy->time_ns / r.neg50->time_ns)
                       : std::string(kDash)});
      }
      if (!branching.empty()) {
        bullets.push_back(fmt::format(
            "{}, {}: these forms branch on the data, so at 50% negatives "
            "they pay branch mispredictions: {}.",
            dtype, where,
            Escape(fmt::format("{}", fmt::join(branching, "; ")))));
      }
      if (!flat.empty()) {
        bullets.push_back(fmt::format(
            "{}, {}: the time of {} of {} form(s) with sign rows does not "
            "depend on the sign mix (branch-free, or vectorised with masked "
            "stores).",
            dtype, where, flat.size(),
            flat.size() + branching.size() + noisy.size()));
      }
      if (!noisy.empty()) {
        bullets.push_back(fmt::format(
            "{}, {}: slower at neg:50 by more than {} but not by more than "
            "the rows' noise, so the run cannot say whether these branch: {}.",
            dtype, where, Pct(kBranchFactor - 1),
            Escape(fmt::format("{}", fmt::join(noisy, "; ")))));
      }
      if (branching.empty() && flat.empty() && noisy.empty()) {
        bullets.push_back(fmt::format(
            "{}, {}: no neg:0 and neg:100 rows, so the sign mix is not "
            "measured here.",
            dtype, where));
      }
      // Each of scalar and Eigen against Highway: the range over variants
      // and the variant where it lags most.
      for (const char* form : {"scalar", "eigen"}) {
        const FormRow* slowest = nullptr;
        double lo = 0, hi = 0;
        int count = 0;
        for (const FormRow& r : rows) {
          auto vs = r.VsHighway();
          if (r.form != form || !vs) continue;
          if (count == 0 || *vs < lo) {
            lo = *vs;
            slowest = &r;
          }
          if (count == 0 || *vs > hi) hi = *vs;
          ++count;
        }
        if (count == 0) continue;
        bullets.push_back(fmt::format(
            "{}, {}: {} runs at {} to {} of Highway's speed over {} "
            "variant(s); furthest behind on {} ({}, {} vs Highway's {}).",
            dtype, where, form, FormatRatio(lo), FormatRatio(hi), count,
            slowest->variant, FormatRatio(lo), Time(slowest->neg50),
            Time(slowest->highway)));
      }
    }
    if (t.empty()) {
      out += "No rows of our forms at the main conditions.\n\n";
      continue;
    }
    out += t.Render() + "\n";
    for (const std::string& b : bullets) out += "- " + b + "\n";
    out += "\n";
  }
  return out + BuildFacts(data, model);
}

}  // namespace relu::report
