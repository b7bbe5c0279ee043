// The cache states: one physical procedure per state, run before every timed
// batch by every harness.
//
// producer  The input was just written by a vectorised producer (ordinary
//           stores from the pool, as a network layer writes its output) and
//           sits in whatever cache levels it fits, as do the output slots
//           and any second input: all are read again after the restore, the
//           input last. The default.
// dram      Neither input nor output is in any cache and no dirty line is
//           left: the input is restored with streaming stores, every line of
//           every slot is flushed (CLFLUSH) and the write-backs are given
//           time to drain. The TLB stays warm: the restore just touched
//           every page.
// resident  Out of place only: the input is not restored; it was read by
//           the previous calls and is wherever they left it, as in a bare
//           loop over one buffer.
// The C++ suite, the threshold probes and (through the C interface) the
// Python harness all call PrepareBatch, so NumPy, Numba, PyTorch and our
// kernels see exactly the same state.
#ifndef RELU_BENCH_STATES_H_
#define RELU_BENCH_STATES_H_

#include <cstddef>

#include "bench/ring.h"

namespace relu::bench {

// What a contender does with a ring's slots.
struct Access {
  bool in_place = false;      // rewrites its input (needs a restore)
  bool reads_second = false;  // reads the second input
  // Bytes of one slot's output it writes (0 in place): the ring's output
  // slots have room for 8-byte elements, more than an f32 output needs.
  size_t out_bytes = 0;
};

// Switches the probe (relu_state_probe) uses to take the producer state
// apart; the suite always uses the defaults.
struct StateOptions {
  // How the producer writes a ring that does not fit the last-level cache:
  // kAuto streams it (the suite's procedure, see states.cc), the others
  // force one kind of store.
  enum class ProducerStores { kAuto, kOrdinary, kStreaming };
  ProducerStores producer_stores = ProducerStores::kAuto;
  // dram: wait for the flushed write-backs to drain.
  bool drain = true;
  // producer: read the outputs and inputs again after the restore, so what
  // the restore's reading of the pool evicted is back (see states.cc).
  bool retouch = true;
};

// Whether `state` can be prepared for this access (resident cannot restore,
// so in-place contenders, which rewrite their input, cannot use it).
bool StateAllows(State state, const Access& access);

// Runs the state's procedure on every slot of the ring. Not timed.
void PrepareBatch(Ring& ring, State state, const Access& access,
                  const CacheSizes& caches, const StateOptions& options = {});

}  // namespace relu::bench

#endif  // RELU_BENCH_STATES_H_
