"""The harness probe: where the Python harness's time goes beyond the kernel's, arm by arm in one process, as markdown.

Four arms alternate sample by sample in shuffled order, on one ring of the
suite, each batch after the state's procedure:
  C-timed  the K calls timed in C inside this process (relu_ring_time_batch,
           the C++ suite's very loop): what this process's memory does;
  Python   the harness's own batch (harness.Group._batch), as py_bench times
           our kernels;
  floor    the harness's floor (harness.Floor): the same loop over the same
           calls, each timing itself in C, less the time inside them;
  no-op    the same loop calling a ctypes no-op with the same arguments,
           timed whole: the floor as it was measured before, which leaves
           the interpreter's data cached between calls.
If C-timed matches the C++ suite, the process is not the cause; if Python
less floor matches C-timed, the floor is the whole of the gap.
"""

import gc
import random
import time

from relu import groups, harness, vocab

KiB = 1024
MiB = 1024 * KiB


def _size(nbytes):
    return ("%d MiB" % (nbytes // MiB) if nbytes >= MiB
            else "%d KiB" % (nbytes // KiB))


def _time(ns):
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return "%.3g %s" % (ns / scale, unit)
    return "%.3g ns" % ns


def _ratio(lib, a, b):
    est, lo, hi, ok = lib.paired_ratio(a, b)
    if not ok:
        return "%.3f (no interval)" % est
    return "%.3f (%.3f–%.3f)" % (est, lo, hi)


def probe_cell(np, lib, dtype, variant, nbytes, seconds, state="producer",
               seed=1):
    """{arm: [ns per call per sample]} for one kernel at one size."""
    n = nbytes // vocab.itemsize(dtype)
    g = harness.Group(np, lib, dtype, (n,), state)
    row = groups.our_rows(g, vocab.variant(variant), ["highway"], (1,))[0]
    g._bind(row)
    ctimed = groups.ctimed_row(g, row)
    ctimed.ring, ctimed.slots = row.ring, row.slots
    g.clock_read_ns = lib.clock_read_ns()
    floor = harness.Floor(row, lib)
    noop = harness.Floor(row, lib, noop=True)
    k = len(row.calls)

    def c_timed():
        return g._batch(ctimed)

    arms = {"C-timed": c_timed, "Python": lambda: g._batch(row),
            "floor": lambda: g._batch(floor), "no-op": lambda: g._batch(noop)}
    fastest = min(c_timed() for _ in range(3))
    for arm in arms.values():
        arm()
    batches = max(1, min(10000, int(5e-4 * 1e9 / max(fastest, 1))))
    samples = {a: [] for a in arms}
    order = list(arms)
    rng = random.Random(seed)
    start = time.monotonic()
    while (time.monotonic() - start < seconds or
           len(samples["Python"]) < 10):
        rng.shuffle(order)
        for a in order:
            each = [arms[a]() for _ in range(batches)]
            samples[a].append(harness.sample_of(each, k))
    lib.lib.relu_ring_release(row.ring)
    lib.lib.relu_call_release(row.handle)
    return samples


def run(np, lib, dtypes=("f64", "f32"),
        variants=("maximum", "maximum_inplace"),
        sizes=(64 * KiB, 256 * KiB, 1 * MiB, 4 * MiB, 16 * MiB), seconds=2.5,
        log=None):
    """The probe's markdown."""
    lines = [
        "Python harness probe (`py_bench.py --probe-harness`), Highway "
        "target %s, producer state, one thread: four arms alternate sample "
        "by sample in one Python process on the suite's ring: the K calls "
        "timed in C (relu_ring_time_batch, the C++ suite's loop), the "
        "harness's own Python-timed batch, its floor (the same loop over "
        "the same calls, each timing itself in C, less the time inside "
        "them), and the no-op floor (the same loop around a ctypes no-op "
        "with the same arguments, timed whole). Medians per call; paired "
        "95%% intervals." % lib.highway_target(),
        "",
        "| kernel | dtype | input | C-timed | Python-timed | floor | "
        "no-op floor | Python ÷ C-timed | Python less floor ÷ C-timed | "
        "Python less no-op floor ÷ C-timed | samples |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for variant in variants:
            for dtype in dtypes:
                for nbytes in sizes:
                    s = probe_cell(np, lib, dtype, variant, nbytes, seconds)
                    med = {a: harness._median(v) for a, v in s.items()}
                    less = [max(p - f, p * 0.01)
                            for p, f in zip(s["Python"], s["floor"])]
                    less_noop = [max(p - f, p * 0.01)
                                 for p, f in zip(s["Python"], s["no-op"])]
                    lines.append("| %s/highway | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
                        variant, dtype, _size(nbytes), _time(med["C-timed"]),
                        _time(med["Python"]), _time(med["floor"]),
                        _time(med["no-op"]),
                        _ratio(lib, s["Python"], s["C-timed"]),
                        _ratio(lib, less, s["C-timed"]),
                        _ratio(lib, less_noop, s["C-timed"]), len(less)))
                    if log:
                        log("  " + lines[-1])
    finally:
        if was:
            gc.enable()
    return "\n".join(lines) + "\n"
