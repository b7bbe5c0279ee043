// One entry per report parser, shared by the libFuzzer binaries and the
// regression test that replays the corpus under every compiler.
#ifndef RELU_FUZZ_FUZZ_TARGETS_H_
#define RELU_FUZZ_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>

namespace relu::fuzz {

// Each parses `data` as its kind of input. An InputError is the expected
// outcome for most inputs; anything else thrown escapes (a crash to
// libFuzzer), and a broken invariant on an accepted input aborts. Accepted
// inputs are also rendered, so whatever the parse layer lets through is
// proven safe for the renderers.
void FuzzBenchJson(const uint8_t* data, size_t size);
void FuzzSemantics(const uint8_t* data, size_t size);
void FuzzSoClaims(const uint8_t* data, size_t size);
void FuzzBenchName(const uint8_t* data, size_t size);

}  // namespace relu::fuzz

#endif  // RELU_FUZZ_FUZZ_TARGETS_H_
