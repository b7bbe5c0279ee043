// Adds the suite's context keys (README, "JSON") to Google Benchmark's output.
#ifndef RELU_BENCH_CONTEXT_H_
#define RELU_BENCH_CONTEXT_H_

#include <string>

namespace relu {
namespace bench {

void AddSuiteContext(const std::string& preset);

}  // namespace bench
}  // namespace relu

#endif  // RELU_BENCH_CONTEXT_H_
