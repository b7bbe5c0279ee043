// Reads relu_semantics / numpy_semantics.py output and judges each cell against
// ReLU and NumPy.
#ifndef RELU_REPORT_SEMANTICS_H_
#define RELU_REPORT_SEMANTICS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace relu::report {

struct SemInput {
  std::string label;  // "nan", "-0", "denorm", ...
  uint64_t f32 = 0;   // bit pattern (low 32 bits)
  uint64_t f64 = 0;
};

struct SemOutput {
  uint64_t bits = 0;
  std::string text;
};

struct SemRow {
  std::string file;  // which semantics file it came from
  std::string variant, form, dtype;
  std::string fn;  // optional: which library call, where a form has several
  // The output's dtype where NumPy's type rules make it differ from the
  // input's (the gradients); "" when it is the input's.
  std::string out_dtype;
  std::string OutDtype() const { return out_dtype.empty() ? dtype : out_dtype; }
  // "torch/fn:relu", or just the form.
  std::string FormLabel() const {
    return fn.empty() ? form : form + "/fn:" + fn;
  }
  std::vector<SemOutput> outputs;  // one per input, in input order
};

struct SemanticsFile {
  std::string path;
  std::vector<SemInput> inputs;
  std::vector<SemRow> rows;
};

// Parses and validates one semantics JSON file; throws InputError.
SemanticsFile LoadSemanticsFile(const std::string& path);
SemanticsFile ParseSemanticsText(const std::string& text,
                                 const std::string& path);

bool IsNan(uint64_t bits, const std::string& dtype);
// ReLU's contract: NaN -> a NaN, x > 0 -> x, x <= 0 -> a zero of either sign.
bool IsCorrectRelu(uint64_t in_bits, uint64_t out_bits,
                   const std::string& dtype);
// NumPy agreement: identical bits, or both NaN (any payload).
bool SameResult(uint64_t a, uint64_t b, const std::string& dtype);

}  // namespace relu::report

#endif  // RELU_REPORT_SEMANTICS_H_
