"""py_bench's command line: NumPy, Numba, PyTorch, our kernels and the copies in paired rounds, and the StackOverflow replays, as Google Benchmark JSON."""

import argparse
import os
import re
import sys
import time

from relu import capi, context, gbjson, groups, harness, peers, presets, replays, vocab


def log(msg):
    if not log.quiet:
        print(msg, file=sys.stderr, flush=True)


log.quiet = False


def error(msg):
    print("py_bench.py: " + msg, file=sys.stderr, flush=True)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="py_bench.py",
        description="The Python peers (NumPy, Numba, PyTorch) against our kernels, "
                    "in paired rounds on the C++ suite's rings and cache states; "
                    "Google Benchmark JSON.",
        epilog="Presets: quick (256 KiB and 4 MiB), full (64 KiB to 64 MiB, "
               "one size per octave, and 5000x5000), so (5000x5000 and the "
               "StackOverflow replays). README, 'The fair protocol'.")
    ap.add_argument("--preset", choices=presets.PRESETS, default="full")
    ap.add_argument("--out", metavar="FILE",
                    help="write the JSON here (atomically); default stdout")
    ap.add_argument("--filter", metavar="REGEX", default=None,
                    help="run only benchmarks whose name matches (re.search)")
    rp = ap.add_mutually_exclusive_group()
    rp.add_argument("--replay", dest="replay", action="store_true", default=None,
                    help="include the StackOverflow replays (default only for --preset so)")
    rp.add_argument("--no-replay", dest="replay", action="store_false")
    ap.add_argument("--fresh-slices-iters", type=int, default=None, metavar="N",
                    help="n_iter of fresh-slices-answer (default 20, as written)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget-scale", type=float, default=1.0,
                    help="scale every group's time budget")
    ap.add_argument("--kernels-lib", metavar="PATH", default=capi.DEFAULT_PATH,
                    help="librelu_capi (default %(default)s): our kernels, the "
                         "suite's rings and cache states and the statistics")
    ap.add_argument("--probe-harness", action="store_true",
                    help="instead of the preset: the harness probe (our "
                         "kernels timed in C, from Python, and the harness's "
                         "floor, alternating in one process), as markdown")
    ap.add_argument("--probe-seconds", type=float, default=2.5, metavar="S",
                    help="--probe-harness: seconds per kernel and size")
    ap.add_argument("--list", action="store_true",
                    help="print the benchmark names and exit")
    ap.add_argument("--quiet", action="store_true", help="print nothing but errors")
    # Test-only: tiny arrays so the whole preset runs in seconds.
    ap.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.fresh_slices_iters is not None and args.fresh_slices_iters < 1:
        ap.error("--fresh-slices-iters must be >= 1")
    if not args.budget_scale > 0:
        ap.error("--budget-scale must be positive")
    if not args.probe_seconds > 0:
        ap.error("--probe-seconds must be positive")
    return args


def probe_harness(np, lib, args):
    from relu import harness_probe
    kw = {}
    if args.tiny:
        kw = {"dtypes": ("f64",), "sizes": (16 * 1024, 64 * 1024)}
    text = harness_probe.run(np, lib, seconds=args.probe_seconds, log=log, **kw)
    return emit(args.out, lambda path: gbjson.write_text_atomic(path, text),
                lambda: sys.stdout.write(text))


def emit(path, to_file, to_stdout):
    """Writes the output to path (atomically) or stdout: the exit status."""
    if not path:
        to_stdout()
        return 0
    try:
        to_file(path)
    except OSError as e:
        error("cannot write %s: %s" % (path, e))
        return 1
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log.quiet = args.quiet
    try:
        import numpy as np
    except ImportError:
        error("NumPy is not importable by %s; run it with /usr/bin/python3 "
              "(Debian's python3-numpy)" % sys.executable)
        return 1
    try:
        pattern = re.compile(args.filter) if args.filter else None
    except re.error as e:
        error("bad --filter %r: %s" % (args.filter, e))
        return 2
    wanted = (lambda name: True) if pattern is None else (
        lambda name: bool(pattern.search(name)))
    try:
        lib = capi.Lib(args.kernels_lib)
    except capi.CapiError as e:
        error("--kernels-lib: %s" % e)
        return 2
    if args.out and not args.list:
        try:
            gbjson.check_writable(args.out)
        except OSError as e:
            error("cannot write --out %s: %s" % (args.out, e))
            return 2
    if args.probe_harness:
        return probe_harness(np, lib, args)
    try:
        claims = replays.load_claims()
    except (OSError, ValueError, KeyError) as e:
        error("%s: %s" % (replays.CLAIMS_PATH, e))
        return 2

    loaded = [p for p in peers.loaded(log=lambda m: log("py_bench.py: " + m))]
    specs = presets.groups(args.preset, args.tiny)
    plan = []
    for spec in specs:
        g = harness.Group(np, lib, spec.dtype, spec.shape, state=spec.state)
        rows = groups.build(g, loaded if spec.peers else [p for p in loaded
                                                           if p.form == "numpy"],
                            spec.variants, spec.two_threads)
        kept = [r for r in rows if wanted(r.name)]
        # A C-timed row is the check of its Python-timed twin: alone it
        # compares with nothing.
        g.rows = [r for r in kept if r.twin is None or r.twin in kept]
        if g.rows:
            plan.append((spec, g))
    replay = presets.REPLAY[args.preset] if args.replay is None else args.replay
    so_shape = (40, 50) if args.tiny else replays.SO_SHAPE
    replay_plan = []
    if replay:
        for answer in claims["answers"]:
            names = [nm for _, nm in replays.replay_names(answer, so_shape)
                     if wanted(nm)]
            if names:
                replay_plan.append((answer, names))
    if args.list:
        for _, g in plan:
            for r in g.rows:
                print(r.name)
        for _, names in replay_plan:
            for nm in names:
                print(nm)
        return 0
    total = sum(len(g.rows) for _, g in plan) + sum(len(n) for _, n in replay_plan)
    if total == 0:
        error("no benchmark matches --filter %r" % args.filter)
        return 2

    import gc
    gc.collect()
    gc.freeze()  # what is imported lives on: the collector need not rescan it
    rows = gbjson.Rows()
    started = time.monotonic()
    cpu0 = context.cpu_times()
    procs0 = context.process_ticks()
    load0 = "%.2f %.2f %.2f" % os.getloadavg()
    overhead = {}
    for i, (spec, g) in enumerate(plan):
        log("[%d/%d] %s shape %s state:%s" % (i + 1, len(plan), g.dtype,
                                              "x".join(map(str, g.shape)), g.state))
        budget = spec.budget
        budget.max_seconds *= args.budget_scale
        before = context.cpu_times()
        g.run(budget, args.seed + i, log)
        steal = context.steal_percent(before, context.cpu_times())
        overhead = g.overhead_ns
        # Each round's core round trips (groups with two-thread rows): the
        # same counters on every row's sample of that round.
        round_counters = [
            {"round_core_rtt_ns": a, "round_core_rtt_end_ns": b}
            for a, b in zip(g.round_rtt_ns, g.round_rtt_end_ns)]
        for r in g.rows:
            if r.error:
                rows.add_error(r.name, r.error)
                error("%s: %s" % (r.name, r.error))
                continue
            bytes_moved = lib.lib.relu_ring_bytes_moved(r.ring)
            ws = lib.lib.relu_ring_ws_bytes(r.ring)
            calls = r.batches * lib.lib.relu_ring_slots(r.ring)
            # The rows checked against a C-timed twin: their floor, measured
            # in place in the rounds (harness.Floor). Other rows called
            # through ctypes: the warm ctypes no-op loop; NumPy's and the
            # peers': the warm Python no-op loop (both lower bounds). The
            # C-timed rows: none, their clock is read in C.
            if r.floor_ns is not None:
                harness_ns = r.floor_ns
            elif r.kind == "ctimed":
                harness_ns = 0.0
            elif r.kind in ("ours", "copy"):
                harness_ns = overhead.get("ctypes", 0.0)
            else:
                harness_ns = overhead.get("loop", 0.0)
            fixed = {"ws_bytes": float(ws), "ring": float(
                lib.lib.relu_ring_slots(r.ring)), "batches": float(r.batches),
                "group_rounds": float(g.rounds),
                "group_widest_pct": 100 * g.widest if g.widest < 1e9 else 1e9,
                "group_reached": 1.0 if g.widest <= budget.target else 0.0,
                "group_steal_pct": steal, "harness_overhead_ns": harness_ns}
            if g.core_rtt_ns > 0:
                fixed["group_core_rtt_ns"] = g.core_rtt_ns

            def counters(real_ns, fixed=fixed, bytes_moved=bytes_moved, n=g.n):
                secs = real_ns * 1e-9
                c = {"bytes_per_second": bytes_moved / secs,
                     "items_per_second": n / secs}
                c.update(fixed)
                return c
            n = len(r.samples)
            per_round = (round_counters[:n] if len(round_counters) >= n
                         else None)
            rows.add(r.name, [(s, s, calls) for s in r.samples], counters,
                     label=r.label, threads=1, per_rep=per_round)
        for r in g.rows:
            if r.ring:
                lib.lib.relu_ring_release(r.ring)
    for answer, names in replay_plan:
        log("replay %s" % answer["id"])
        replays.run_replay(np, answer, rows, so_shape, wanted, n_iter=(
            args.fresh_slices_iters if args.fresh_slices_iters
            else (3 if args.tiny else None)), seed=args.seed, log=log)
    seconds = time.monotonic() - started
    quality = {
        "quality_steal_pct": "%.2f" % context.steal_percent(cpu0, context.cpu_times()),
        "quality_load_start": load0,
        "quality_load_end": "%.2f %.2f %.2f" % os.getloadavg(),
        "quality_governor": context.sysfs_choice(
            "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
        "quality_busy_processes": context.busy_processes(
            procs0, context.process_ticks(), seconds),
        "quality_run_seconds": "%.0f" % seconds,
    }
    log("py_bench.py: %d benchmarks in %.1f s" % (total, seconds))
    result = {"context": context.make_context(
        np, lib, args.preset, "tiny" if args.tiny else "normal", quality, overhead),
        "benchmarks": rows.rows}
    def to_stdout():
        import json
        json.dump(result, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    return emit(args.out, lambda path: gbjson.write_json_atomic(path, result),
                to_stdout)
