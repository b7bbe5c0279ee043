"""The Python harness: the suite's paired rounds, run from Python on the suite's own rings and cache states.

A group (one dtype, size, cache state and share of negatives) holds every
row the report compares there: NumPy's formulations and their out= forms,
Numba, PyTorch, our kernels and the copies called through ctypes. Each round
gives every row one sample in a new random order: B batches of K calls, the
state prepared before each batch by the C library (the C++ suite's very
procedure), only the calls timed with time.perf_counter_ns, the sample the
median batch's time per call; in the producer and dram states the one-thread
rows that allocate nothing take turns batch by batch (bench/rounds.cc).
Rounds go on until every comparison of the group's plan has a 95% interval
within the target, or the group's time budget is spent. Results are
released after the clock stops. Every row is verified after timing against
our scalar kernel (NumPy and our kernels bit for bit; Numba and PyTorch with
a zero of either sign passing for a zero).
"""

import functools
import gc
import random
import time

from relu import capi, vocab

# After a multi-threaded sample, idle this long: thread pools' workers spin
# after their last task, and on a machine with as many cores as threads they
# would take the cores the next row needs (bench/rounds.cc, Quiesce).
QUIESCE_S = 0.005


class Budget:
    def __init__(self, min_rounds=10, max_rounds=80, max_seconds=20.0,
                 target=0.02, sample_seconds=5e-4):
        self.min_rounds = min_rounds
        self.max_rounds = max_rounds
        self.max_seconds = max_seconds
        self.target = target
        self.sample_seconds = sample_seconds


class Row:
    """One contender: how to bind its calls to a ring's slots and check them.

    make(slot) returns the zero-argument call for one slot; slot has x, out,
    second (NumPy views of the ring's buffers) and the raw pointers.
    kind: "numpy", "peer" (Numba, PyTorch), "ours" or "copy": which harness
    overhead applies, and how strictly the result is checked. "ctimed": the
    C++ suite's own batch of one of our kernels (relu_ring_time_batch:
    the state's procedure, then the K calls between two steady_clock reads
    in C), a row of these rounds sampled right beside the Python-timed row
    of the same calls (its twin; beside_twins); handle is the kernel's call
    handle, and it runs as many batches per sample as its twin.
    """

    def __init__(self, name, descriptor, ring_op, variant, out, threads, make,
                 kind, peer=None, label=None, bytes_moved=0, ws_bytes=0,
                 handle=None, twin=None):
        self.name = name
        self.descriptor = descriptor
        self.ring_op = ring_op  # ("relu", variant) or ("copy", method)
        self.variant = variant  # vocabulary entry, or None for copies
        self.out = out
        self.threads = threads
        self.make = make
        self.kind = kind
        self.peer = peer
        self.label = label
        self.bytes_moved = bytes_moved
        self.ws_bytes = ws_bytes
        self.handle = handle
        self.twin = twin
        self.calls = None
        self.ring = None
        self.slots = None
        self.samples = []
        self.batches = 0
        self.error = ""
        self.last = None
        self.floor = None  # its Floor while the rounds run
        self.floor_ns = None  # the floor's median per call, ns


class Floor:
    """The harness's own cost around the calls of one ring, measured in place.

    After the state's procedure, the same timed loop over the ring's K
    slots runs the row's very calls, each of which also reads the clock in C
    around itself (relu_call_timed, relu_copy_call_timed); the batch's
    Python-timed total less the time inside the calls (and one clock read a
    call) is the harness's own time. It must be measured around real calls:
    a kernel that streams its slot pushes the interpreter's data out of L1
    and L2, so the loop costs more between real calls than between no-ops
    (a ctypes no-op in the same loop: 0.7 us a call warm, 1.2 us at 64 KiB
    f64 after the procedure). It runs in the rounds like a row, so a slow
    stretch of the machine hits it as it hits the rows it is subtracted
    from.
    """

    def __init__(self, row, lib, noop=False):
        # noop: the loop around a ctypes no-op instead, timed as a whole
        # (what the harness probe sets beside the floor).
        timed = lib.copy_timed_fn if row.kind == "copy" else lib.call_timed_fn
        fn = lib.noop_fn if noop else timed
        self.ring = row.ring
        self.calls = [functools.partial(fn, *c.args) for c in row.calls]
        self.batches = row.batches
        self.kind = "noop" if noop else "floor"
        self.peer = None
        self.threads = row.threads
        self.out = row.out
        self.samples = []

    def median(self):
        return _median(self.samples)


class Slot:
    """The NumPy views of one ring slot."""

    def __init__(self, np, lib, ring, k, dtype, shape, variant, copy_in_place):
        self.lib = lib
        itemsize = vocab.itemsize(dtype)
        n = 1
        for d in shape:
            n *= d
        self.n = n
        self.ptr_in = lib.lib.relu_ring_in(ring, k)
        self.ptr_out = lib.lib.relu_ring_out(ring, k)
        self.ptr_second = lib.lib.relu_ring_second(ring, k)
        ndtype = vocab.numpy_dtype(dtype)
        self.x = _view(np, self.ptr_in, n * itemsize, ndtype, shape)
        out_dtype = (vocab.out_dtype(variant, dtype) if variant else dtype)
        self.out = _view(np, self.ptr_out, n * vocab.itemsize(out_dtype),
                         vocab.numpy_dtype(out_dtype), shape)
        self.second = None
        if variant is not None and variant["second"]:
            count = lib.lib.relu_ring_second_count(ring)
            sshape = (count,) if variant["second"] == "channel_alpha" else shape
            self.second = _view(np, self.ptr_second, count * itemsize, ndtype,
                                sshape)
        self.ring = ring
        self.k = k
        self.dtype = ndtype
        self.shape = shape

    def pristine(self, np):
        """The pristine data the last restore wrote into this slot (the pool
        window moves with every restore, so it is asked for each time)."""
        addr = self.lib.lib.relu_ring_pristine(self.ring, self.k)
        return _view(np, addr, self.n * self.x.itemsize, self.dtype,
                     self.x.shape)


def beside_twins(order, r):
    """order with each C-timed row moved right beside its Python-timed
    twin: after it in even rounds, before it in odd ones. Their per-round
    ratio is the harness check, and samples taken back to back see the same
    stretch of the machine; samples a few hundred ms apart in a shuffled
    round of 40 rows do not."""
    by_twin = {id(x.twin): x for x in order
               if getattr(x, "twin", None) is not None}
    if not by_twin:
        return order
    out = []
    for x in order:
        if getattr(x, "twin", None) is not None:
            continue
        c = by_twin.get(id(x))
        if c is None:
            out.append(x)
        else:
            out += [c, x] if r % 2 else [x, c]
    return out


def sample_of(batch_ns, calls):
    """A sample's ns per call: the median of its batches, each over its
    calls (bench/rounds.cc, SampleOf): an interrupt that lands in one batch
    does not move it."""
    return _median(batch_ns) / calls


def _view(np, address, nbytes, dtype, shape):
    import ctypes
    buf = (ctypes.c_char * nbytes).from_address(address)
    return np.frombuffer(buf, dtype=dtype).reshape(shape)


def _median(v):
    s = sorted(v)
    n = len(s)
    if n == 0:
        return 0.0
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


class Group:
    """Every row at one dtype, shape, state and share of negatives."""

    def __init__(self, np, lib, dtype, shape, state="producer", neg=50):
        self.np = np
        self.lib = lib
        self.dtype = dtype
        self.shape = tuple(shape)
        self.n = 1
        for d in self.shape:
            self.n *= d
        self.rows_dim = self.shape[0] if len(self.shape) > 1 else 0
        self.state = state
        self.neg = neg
        self.rows = []
        self.rounds = 0
        self.widest = float("inf")
        self.comparisons = 0
        self.seconds = 0.0
        self.overhead_ns = {}
        self.clock_read_ns = 0.0
        self.core_rtt_ns = 0.0  # relu_core_rtt_ns before the rounds
        self.round_rtt_ns = []  # and at the start of each round
        self.round_rtt_end_ns = []  # and at its end

    # ---- Names

    def suffix(self, variant_name, out, threads, family="relu", op=None,
               shape=None):
        shape = shape or self.shape
        rows = shape[0] if len(shape) > 1 else 0
        return self.lib.name_suffix(family, op or variant_name, self.dtype,
                                    self.n, rows, out, self.state, self.neg,
                                    threads)

    @staticmethod
    def params_of(suffix):
        keys = {k["name"] for k in vocab.keys() if k["kind"] == "number"}
        return "/".join(seg for seg in suffix.strip("/").split("/")
                        if seg.split(":", 1)[0] in keys)

    # ---- Running

    def _bind(self, row):
        np = self.np
        family, op = row.ring_op
        rows = self.rows_dim
        shape = self.shape
        if row.variant is not None and row.variant["second"] == "channel_alpha":
            # prelu runs on rows x channels: the ring's layout.
            channels = self._prelu_channels()
            shape = (self.n // channels, channels)
            rows = self.n // channels
        row.ring = self.lib.ring(family, op, self.dtype, self.n, rows, self.neg)
        k = self.lib.lib.relu_ring_slots(row.ring)
        row.slots = [Slot(np, self.lib, row.ring, i, self.dtype, shape,
                          row.variant, False) for i in range(k)]
        row.calls = [row.make(s) for s in row.slots]

    def _prelu_channels(self):
        # The suite's channels (bench/contenders.cc): from the shape, else 256.
        if self.rows_dim:
            return self.n // self.rows_dim
        return 256 if self.n % 256 == 0 else 1

    def _batch(self, row, keep=False):
        lib = self.lib
        if row.kind == "ctimed":
            seconds = lib.lib.relu_ring_time_batch(row.ring, row.handle,
                                                   self.state.encode())
            if seconds < 0:
                raise capi.CapiError("state %r cannot be prepared for this "
                                     "ring" % self.state)
            if keep:
                row.last = [None] * len(row.slots)
            return int(round(seconds * 1e9))
        lib.prepare(row.ring, self.state)
        calls = row.calls
        floor = row.kind == "floor"
        if floor:
            lib.lib.relu_timed_take()
        pc = time.perf_counter_ns
        t0 = pc()
        results = [c() for c in calls]
        t1 = pc()
        if keep:
            row.last = results
        del results
        if floor:
            inside = lib.lib.relu_timed_take() + len(calls) * self.clock_read_ns
            return max(0, t1 - t0 - int(round(inside)))
        return t1 - t0

    def measure_overhead(self, rows=64):
        """Per-call ns the harness adds: its loop with a Python no-op, and
        with a ctypes call that does nothing (our kernels' path)."""
        pc = time.perf_counter_ns
        noop = [lambda: None] * rows
        handle = self.lib.call_handle("maximum", "scalar", self.dtype)
        ctypes_noop = [functools.partial(self.lib.noop_fn, handle, None, None,
                                         None, 0)] * rows
        best = {}
        for label, calls in (("loop", noop), ("ctypes", ctypes_noop)):
            fastest = None
            for _ in range(50):
                t0 = pc()
                results = [c() for c in calls]
                t1 = pc()
                del results
                fastest = t1 - t0 if fastest is None else min(fastest, t1 - t0)
            best[label] = fastest / rows
        self.lib.lib.relu_call_release(handle)
        self.overhead_ns = best
        return best

    def run(self, budget, seed, log=None):
        gc.collect()
        gc_was = gc.isenabled()
        gc.disable()
        start = time.monotonic()
        try:
            self.measure_overhead()
            self.clock_read_ns = self.lib.clock_read_ns()
            live = []
            for row in self.rows:
                try:
                    self._bind(row)
                    if row.peer is not None:
                        row.peer.set_threads(row.threads)
                    fastest = None
                    for _ in range(3):
                        t = self._batch(row)
                        fastest = t if fastest is None else min(fastest, t)
                        if fastest * 1e-9 > budget.sample_seconds:
                            break
                    row.batches = max(1, min(100000, int(
                        -(-budget.sample_seconds * 1e9 // max(fastest, 1)))))
                    live.append(row)
                except Exception as e:  # a peer that cannot run here
                    row.error = "%s: %s" % (type(e).__name__, e)
                finally:
                    if row.peer is not None:
                        row.peer.set_threads(1)
            # The C-timed batch runs as many batches per sample as its twin,
            # so both weigh the cold first batch after the procedure alike.
            for row in list(live):
                if row.twin is not None:
                    if row.twin not in live:
                        live.remove(row)
                        row.error = "its Python-timed twin did not run"
                    else:
                        row.batches = row.twin.batches
            # A floor for each row checked against a C-timed twin (the
            # harness table subtracts it), with the row's own calls and
            # batches per sample: a sample's first batch after another row's
            # is the coldest, so a floor with fewer batches than its row
            # would weigh it more. It runs kernels, so it costs what its row
            # costs; the other rows keep the warm loop's figure.
            checked = {id(r.twin) for r in live if r.twin is not None}
            floors = []
            for row in live:
                if id(row) in checked and row.kind in ("ours", "copy"):
                    row.floor = Floor(row, self.lib)
                    floors.append(row.floor)
            two_threads = any(r.threads != 1 for r in live)
            if two_threads:
                self.core_rtt_ns = self.lib.lib.relu_core_rtt_ns()
            rng = random.Random(seed)
            order = list(live) + floors
            for r in range(budget.max_rounds):
                if two_threads:
                    # bench/rounds.cc: the host may move the two virtual
                    # CPUs between rounds.
                    self.round_rtt_ns.append(self.lib.lib.relu_core_rtt_ns())
                rng.shuffle(order)
                order = beside_twins(order, r)
                block_done = False
                for row in order:
                    if self._takes_turns(row):
                        # The block takes the place of its first row.
                        if not block_done:
                            self._interleaved_block(order, rng, r)
                            block_done = True
                        continue
                    if row.peer is not None and row.threads != 1:
                        row.peer.set_threads(row.threads)
                    if self.state == "resident":
                        # bench/rounds.cc: what this row's own calls left,
                        # not the previous row's.
                        self._batch(row)
                    each = [self._batch(row) for _ in range(row.batches)]
                    row.samples.append(sample_of(each, len(row.calls)))
                    if row.threads != 1:
                        if row.peer is not None:
                            row.peer.set_threads(1)
                        time.sleep(QUIESCE_S)
                if two_threads:
                    self.round_rtt_end_ns.append(
                        self.lib.lib.relu_core_rtt_ns())
                self.rounds = r + 1
                elapsed = time.monotonic() - start
                if self.rounds >= budget.min_rounds and (
                        self.rounds % 2 == 0 or elapsed >= budget.max_seconds):
                    self.widest, self.comparisons = self.widest_half_width()
                    if self.widest <= budget.target or elapsed >= budget.max_seconds:
                        break
            for row in live:
                if row.floor is not None:
                    row.floor_ns = row.floor.median()
                    row.floor = None
                if row.peer is not None:
                    row.peer.set_threads(row.threads)
                self._batch(row, keep=True)
                if row.peer is not None:
                    row.peer.set_threads(1)
                row.error = self.verify(row)
                row.last = None
        finally:
            for row in self.rows:
                row.calls = None
                row.slots = None
            gc.collect()
            if gc_was:
                gc.enable()
        self.seconds = time.monotonic() - start
        if log:
            log("  %d rows, %d rounds, %.0f s, widest 95%% CI +-%.2f%% over %d "
                "comparisons%s" % (len(self.rows), self.rounds, self.seconds,
                                   100 * self.widest, self.comparisons,
                                   "" if self.widest <= budget.target
                                   else " (target not reached)"))

    def _takes_turns(self, row):
        # bench/rounds.cc, TakesTurns: the producer and dram
        # procedures set everything a batch touches, so one-thread rows that
        # allocate nothing (not out:fresh) can take turns.
        return (self.state != "resident" and row.threads == 1 and
                row.out != "fresh")

    def _interleaved_block(self, order, rng, r):
        """One sample of every one-thread row, taken in turns batch by batch
        (bench/rounds.cc, InterleavedBlock): P passes, P the most batches a
        row needs; each pass one batch of every row due in it, in a new
        random order with each C-timed row beside its twin; a row's B
        batches spread evenly over the passes from a random phase."""
        block = [row for row in order if self._takes_turns(row)]
        passes = max(row.batches for row in block)
        phase = {id(row): rng.randrange(passes) for row in block}
        for row in block:  # twins run their batches in the same passes
            if getattr(row, "twin", None) is not None and id(row.twin) in phase:
                phase[id(row)] = phase[id(row.twin)]
        each = {id(row): [] for row in block}
        for p in range(passes):
            rng.shuffle(block)
            for row in beside_twins(block, r + p):
                b, ph = row.batches, phase[id(row)]
                if ((p + 1) * b + ph) // passes > (p * b + ph) // passes:
                    each[id(row)].append(self._batch(row))
        for row in block:
            row.samples.append(sample_of(each[id(row)], len(row.calls)))

    def widest_half_width(self):
        typical = [_median(r.samples) if r.samples and not r.error else 0.0
                   for r in self.rows]
        pairs = self.lib.plan([r.descriptor for r in self.rows], typical)
        widest = 0.0
        for a, b in pairs:
            sa, sb = self.rows[a].samples, self.rows[b].samples
            n = min(len(sa), len(sb))
            if n == 0:
                continue
            est, lo, hi, ok = self.lib.paired_ratio(sa[:n], sb[:n])
            half = max(hi / est, est / lo) - 1 if ok and lo > 0 else float("inf")
            widest = max(widest, half)
        return widest, len(pairs)

    # ---- Verification

    def verify(self, row):
        """Empty when every slot's last result is right, else what is wrong."""
        np = self.np
        if row.kind == "copy":
            for slot, _ in zip(row.slots, row.last):
                got = slot.x if row.out == "inplace" else slot.out.view(slot.dtype)
                want = slot.pristine(np)
                if not np.array_equal(got.reshape(-1)[:slot.n],
                                      want.reshape(-1)):
                    return "copy differs from its input"
            return ""
        v = row.variant
        exact = row.kind in ("numpy", "ours", "ctimed")
        ref = self.lib.call_handle(v["name"], "scalar", self.dtype,
                                   channels=self._prelu_channels())
        try:
            for slot, result in zip(row.slots, row.last):
                want = np.empty(slot.x.shape, dtype=slot.out.dtype)
                pristine = slot.pristine(np)
                src = pristine
                if v["memory"] == "in_place":
                    want = pristine.copy()
                    src = want
                second = (slot.second.ctypes.data if slot.second is not None
                          else None)
                self.lib.call_fn(ref, src.ctypes.data, second,
                                 want.ctypes.data, slot.n)
                if row.out == "inplace":
                    got = slot.x
                elif row.out == "reuse":
                    got = slot.out
                else:
                    got = result
                    if hasattr(got, "numpy"):
                        got = got.numpy()
                got = np.asarray(got)
                message = _compare(np, got, want, exact)
                if message:
                    return message
            return ""
        finally:
            self.lib.lib.relu_call_release(ref)


def _compare(np, got, want, exact):
    if got.dtype != want.dtype:
        return "returns %s, the contract says %s" % (got.dtype, want.dtype)
    g = got.reshape(-1)
    w = want.reshape(-1)
    if g.shape != w.shape:
        return "returns %d elements for %d" % (g.size, w.size)
    same = (g.view(np.uint8).reshape(g.size, -1) ==
            w.view(np.uint8).reshape(w.size, -1)).all(axis=1)
    same |= np.isnan(g) & np.isnan(w)
    if not exact:
        same |= (g == 0) & (w == 0)
    bad = np.flatnonzero(~same)
    if bad.size:
        i = int(bad[0])
        return ("result differs from the scalar reference at %d: got %r, "
                "want %r" % (i, float(g[i]), float(w[i])))
    return ""
