// The cache states' procedures (see states.h).
#include "bench/states.h"

#include <algorithm>
#include <chrono>

namespace relu::bench {

bool StateAllows(State state, const Access& access) {
  return !(state == State::kResident && access.in_place);
}

void PrepareBatch(Ring& ring, State state, const Access& access,
                  const CacheSizes& caches, const StateOptions& options) {
  switch (state) {
    case State::kProducer: {
      // Outputs (and the second input) first, then the input: the input is
      // the most recently written data, as when a producer has just
      // written what ReLU reads. Reading the outputs back keeps an
      // in-cache ring's stores from missing (without it the protocol cost
      // 17% at 64 KiB on the Zen 5 machine).
      if (!access.in_place) {
        ring.TouchOutputsAndSecond(access.reads_second, access.out_bytes);
      }
      if (access.reads_second) ring.RewriteSecond();
      // What the calls use, not the slots' room: an f32 ring's output slots
      // have room for 8-byte elements, and counting that room streamed the
      // f32 4 MiB restore past the 8 MiB LLC: 1.74x resident in
      // relu_probe, 1.17x once the output is counted at its real size.
      bool streaming =
          ring.UsedBytes(access.reads_second, access.out_bytes) > caches.llc;
      if (options.producer_stores == StateOptions::ProducerStores::kOrdinary) {
        streaming = false;
      } else if (options.producer_stores ==
                 StateOptions::ProducerStores::kStreaming) {
        streaming = true;
      }
      ring.Restore(streaming);
      // The restore reads a window of the pool as large as the input, and
      // that evicts part of what the call uses: without reading it back,
      // producer took 2.2x resident's time at a 1 MiB f64 input and 2.05x
      // at 4 MiB on the 2-core EPYC, with it 1.23x and 1.35x (relu_probe
      // --knob=state, arm producer-noretouch). A ring larger than the
      // last-level cache gains nothing from it.
      if (!streaming && options.retouch) {
        if (!access.in_place) {
          ring.TouchOutputsAndSecond(access.reads_second, access.out_bytes);
        }
        ring.TouchInputs();
      }
      return;
    }
    case State::kDram: {
      ring.Restore(/*streaming=*/true);
      ring.FlushAll();
      if (options.drain) {
        // Only what was in the caches can have been dirty: at most the
        // last-level cache, written back at a conservative 10 GB/s.
        const size_t dirty = std::min(ring.SlotBytes(), caches.llc);
        const auto wait = std::chrono::nanoseconds(
            10000 + static_cast<long long>(static_cast<double>(dirty) / 10.0));
        const auto until = std::chrono::steady_clock::now() + wait;
        while (std::chrono::steady_clock::now() < until) {
        }
      }
      return;
    }
    case State::kResident:
      // Nothing: the calls read what the previous calls left.
      return;
  }
}

}  // namespace relu::bench
