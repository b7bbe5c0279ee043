"""The Python harness: the suite's paired rounds, run from Python on the suite's own rings and cache states.

A group (one dtype, size, cache state and share of negatives) holds every
row the report compares there: NumPy's formulations and their out= forms,
Numba, PyTorch, our kernels and the copies called through ctypes. Each round
gives every row one sample in a new random order: B batches of K calls, the
state prepared before each batch by the C library (the C++ suite's very
procedure), only the calls timed with time.perf_counter_ns. Rounds go on
until every comparison of the group's plan has a 95% interval within the
target, or the group's time budget is spent. Results are released after the
clock stops. Every row is verified after timing against our scalar kernel
(NumPy and our kernels bit for bit; Numba and PyTorch with a zero of either
sign passing for a zero).
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
    overhead applies, and how strictly the result is checked.
    """

    def __init__(self, name, descriptor, ring_op, variant, out, threads, make,
                 kind, peer=None, label=None, bytes_moved=0, ws_bytes=0):
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

    After the state's procedure, the same timed loop over the ring's K slots
    calls a ctypes no-op with the very arguments a row passes. Measured
    warm, back to back, that costs about 0.7 us a call; right after a
    procedure that rewrote megabytes, the interpreter's own data is out of
    the caches too and the loop costs 1-2.5 us a call at 64-256 KiB and
    15-26 us from 4 MiB (2-core EPYC). It runs in the rounds like a row, so
    a slow stretch of the machine hits it as it hits the rows it is
    subtracted from.
    """

    def __init__(self, row, noop):
        self.ring = row.ring
        self.calls = [functools.partial(noop, *c.args) for c in row.calls]
        self.batches = row.batches
        self.peer = None
        self.threads = 1
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
        lib.prepare(row.ring, self.state)
        calls = row.calls
        pc = time.perf_counter_ns
        t0 = pc()
        results = [c() for c in calls]
        t1 = pc()
        if keep:
            row.last = results
        del results
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
            # One floor per ring, access and batches per sample among the
            # rows called through ctypes (ours and the copies): a sample's
            # first batch after another row's is the coldest, so a floor
            # with fewer batches than its row weighs it more (at 64 KiB f64
            # in place, a floor of the scalar form's 7 batches took 1.9 us
            # a call, subtracted from the Highway form's 37-batch samples;
            # the harness probe measured 1.2 us).
            floors = {}
            for row in live:
                if row.kind not in ("ours", "copy"):
                    continue
                key = (self.lib.lib.relu_ring_in(row.ring, 0),
                       row.out == "inplace", row.batches)
                if key not in floors:
                    floors[key] = Floor(row, self.lib.noop_fn)
                row.floor = floors[key]
            rng = random.Random(seed)
            order = list(live) + list(floors.values())
            for r in range(budget.max_rounds):
                rng.shuffle(order)
                for row in order:
                    if row.peer is not None and row.threads != 1:
                        row.peer.set_threads(row.threads)
                    if self.state == "resident":
                        # bench/rounds.cc: what this row's own calls left,
                        # not the previous row's.
                        self._batch(row)
                    total = 0
                    for _ in range(row.batches):
                        total += self._batch(row)
                    row.samples.append(total / (row.batches * len(row.calls)))
                    if row.threads != 1:
                        if row.peer is not None:
                            row.peer.set_threads(1)
                        time.sleep(QUIESCE_S)
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
        exact = row.kind in ("numpy", "ours")
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
