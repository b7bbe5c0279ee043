#!/usr/bin/env python3
"""Writes the hand-made report samples (sample_cpp.json, sample_py.json, sample_semantics_*.json).

The numbers are synthetic, from a small bandwidth model, and chosen to
exercise every branch of the report: all size classes, repetitions with
aggregates, a noisy row, errored and skipped rows, unit conversion, every
condition key, Python rows without ws_bytes or bytes_per_second, the
StackOverflow replays, and names that need Markdown escaping. Rerun after
changing it, then regenerate the goldens (RELU_UPDATE_GOLDEN=1).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
L1, L2, LLC = 32768, 1048576, 33554432
GBPS = {"L1": 60.0, "L2": 40.0, "LLC": 25.0, "DRAM": 12.0}
ELEM = {"f32": 4, "f64": 8}
VARIANTS = ["maximum", "maximum_inplace", "multiply", "abs", "masked_assign", "broadcast_zeros"]
INPLACE = {"maximum_inplace", "masked_assign"}
# Time factor of each form over the bandwidth limit, per variant.
FORM_FACTOR = {
    "scalar": {"maximum": 1.30, "maximum_inplace": 1.25, "multiply": 2.00, "abs": 1.60,
               "masked_assign": 2.40, "broadcast_zeros": 1.35},
    "eigen": {"maximum": 1.10, "maximum_inplace": 1.08, "multiply": 1.20, "abs": 1.15,
              "masked_assign": 1.30, "broadcast_zeros": 1.12},
    "highway": {"maximum": 1.02, "maximum_inplace": 1.01, "multiply": 1.04, "abs": 1.05,
                "masked_assign": 1.06, "broadcast_zeros": 1.03},
}


def size_class(ws):
    return "L1" if ws <= L1 else "L2" if ws <= L2 else "LLC" if ws <= LLC else "DRAM"


def buffers(variant, out):
    if variant == "broadcast_zeros":
        return 3
    return 1 if out == "inplace" else 2


def bytes_moved(variant, n, dtype):
    return (3 if variant == "broadcast_zeros" else 2) * n * ELEM[dtype]


def base_ns(variant, n, dtype, ws):
    return bytes_moved(variant, n, dtype) / GBPS[size_class(ws)] + 20.0


def row(name, ns, n, dtype, moved, ws, unit="ns", **extra):
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[unit]
    r = {"name": name, "family_index": 0, "per_family_instance_index": 0,
         "run_name": name, "run_type": "iteration", "repetitions": 1,
         "repetition_index": 0, "threads": 1, "iterations": max(1, int(1e9 / ns)),
         "real_time": ns / scale, "cpu_time": ns / scale * 1.01, "time_unit": unit}
    if moved is not None:
        r["bytes_per_second"] = moved / (ns / 1e9)
    r["items_per_second"] = n / (ns / 1e9)
    if ws is not None:
        r["ws_bytes"] = ws
    r.update(extra)
    return r


def repeated(name, times, n, dtype, moved, ws, cv_override=None):
    """Three repetitions plus GB's mean/median/stddev/cv aggregates."""
    rows = []
    for i, t in enumerate(times):
        r = row(name, t, n, dtype, moved, ws)
        r["repetitions"] = len(times)
        r["repetition_index"] = i
        rows.append(r)
    mean = sum(times) / len(times)
    median = sorted(times)[len(times) // 2]
    sd = (sum((t - mean) ** 2 for t in times) / (len(times) - 1)) ** 0.5
    for agg, value in (("mean", mean), ("median", median), ("stddev", sd),
                       ("cv", cv_override if cv_override is not None else sd / mean)):
        r = row(name, value if agg != "cv" else 1.0, n, dtype, moved, ws)
        r.update({"name": f"{name}_{agg}", "run_type": "aggregate",
                  "repetitions": len(times), "aggregate_name": agg,
                  "aggregate_unit": "percentage" if agg == "cv" else "time",
                  "real_time": value, "cpu_time": value})
        del r["repetition_index"]
        if agg in ("stddev", "cv"):
            r["bytes_per_second"] = 0.0
            r["items_per_second"] = 0.0
        rows.append(r)
    return rows


def cpp_sample():
    sizes = {"f32": [1024, 65536, 1048576, 16777216], "f64": [1024, 32768, 1048576, 4194304]}
    rows = []
    for dtype, ns_list in sizes.items():
        for n in ns_list:
            for variant in VARIANTS:
                out = "inplace" if variant in INPLACE else "reuse"
                ws = buffers(variant, out) * n * ELEM[dtype]
                unit = "us" if size_class(ws) == "DRAM" else "ns"
                for form, factors in FORM_FACTOR.items():
                    name = (f"relu/{variant}/{form}/{dtype}/n:{n}/out:{out}/cache:hot/"
                            f"neg:50/manual_time")
                    t = base_ns(variant, n, dtype, ws) * factors[variant]
                    if dtype == "f32" and n == 65536 and variant == "maximum":
                        cv = 0.12 if form == "scalar" else None
                        rows += repeated(name, [t * 0.99, t, t * 1.03], n, dtype,
                                         bytes_moved(variant, n, dtype), ws, cv)
                    else:
                        rows.append(row(name, t, n, dtype, bytes_moved(variant, n, dtype), ws,
                                        unit=unit))
            ws2 = 2 * n * ELEM[dtype]
            base = base_ns("maximum", n, dtype, ws2)
            peers = [("xnnpack", "maximum", 1.05), ("onednn", "maximum", 1.20)]
            if dtype == "f32":
                peers.append(("xnnpack", "maximum_inplace", 1.03))
            for form, variant, f in peers:
                out = "inplace" if variant in INPLACE else "reuse"
                ws = buffers(variant, out) * n * ELEM[dtype]
                name = f"relu/{variant}/{form}/{dtype}/n:{n}/out:{out}/cache:hot/neg:50/manual_time"
                if form == "onednn" and dtype == "f64" and n == 1024:
                    rows.append({"name": name, "run_name": name, "run_type": "iteration",
                                 "repetitions": 1, "repetition_index": 0, "threads": 1,
                                 "error_occurred": True,
                                 "error_message": "oneDNN: f64 eltwise primitive not supported",
                                 "iterations": 0, "real_time": 0, "cpu_time": 0,
                                 "time_unit": "ns"})
                    continue
                t = base_ns(variant, n, dtype, ws) * f + 150.0
                if form == "xnnpack" and variant == "maximum_inplace" and n == 65536:
                    # Within 8% noise of our best: the targets call it a tie.
                    rows += repeated(name, [t * 0.95, t, t * 1.1], n, dtype,
                                     bytes_moved(variant, n, dtype), ws, 0.08)
                    continue
                rows.append(row(name, t, n, dtype, bytes_moved(variant, n, dtype), ws))
            for method, form, f in (("memcpy", "libc", 0.97), ("loadstore", "highway", 1.0),
                                    ("stream", "highway", 0.85 if ws2 > LLC else 1.4)):
                name = f"copy/{method}/{form}/{dtype}/n:{n}/out:reuse/cache:hot/manual_time"
                rows.append(row(name, (base - 20.0) * f + 20.0, n, dtype, 2 * n * ELEM[dtype], ws2))
            # Protocol overhead: the bare per-call time, with the A/B counter
            # (over 2% at 256 KiB to miss the target once); f64 n=1024 has
            # no counter, as an older suite wrote it, to show the fallback.
            ws = 2 * n * ELEM[dtype]
            name = f"relu/maximum/highway/{dtype}/n:{n}/out:reuse/cache:hot/neg:50/harness:bare/manual_time"
            extra = {}
            if not (dtype == "f64" and n == 1024):
                extra["protocol_overhead_pct"] = (
                    6.5 if n * ELEM[dtype] < 65536 else 3.5 if n == 65536 else 0.8)
            rows.append(row(name, base * 1.02 * 0.96, n, dtype, 2 * n * ELEM[dtype], ws, **extra))
    # Output policy: allocation and page faults per call.
    for n in (1048576, 16777216):
        ws = 2 * n * 4
        for form in ("scalar", "highway"):
            t = base_ns("maximum", n, "f32", ws) * FORM_FACTOR[form]["maximum"]
            name = f"relu/maximum/{form}/f32/n:{n}/out:fresh/cache:hot/neg:50/manual_time"
            rows.append(row(name, t * 1.8, n, "f32", 2 * n * 4, ws))
    # Cache state: cold runs stream from DRAM.
    n = 65536
    ws = 2 * n * 4
    t_cold = bytes_moved("maximum", n, "f32") / GBPS["DRAM"] + 20
    rows.append(row(f"relu/maximum/highway/f32/n:{n}/out:reuse/cache:cold/neg:50/manual_time",
                    t_cold * 1.02, n, "f32", 2 * n * 4, ws))
    rows.append(row(f"copy/memcpy/libc/f32/n:{n}/out:reuse/cache:cold/manual_time",
                    t_cold * 0.97, n, "f32", 2 * n * 4, ws))
    # Input signs at the L1 size, every variant and form: the scalar
    # maximum branches (neg:50 30% slower than both ends); eigen abs is as
    # slow at neg:50 but its neg:0 row is too noisy to say; the rest are flat.
    # The f64 rows are repeated and noisy, so the Warnings have more than
    # fifteen noisy rows to list.
    for dtype in ("f32", "f64"):
        n1 = 1024
        for i, variant in enumerate(VARIANTS):
            out = "inplace" if variant in INPLACE else "reuse"
            ws = buffers(variant, out) * n1 * ELEM[dtype]
            for j, (form, factors) in enumerate(FORM_FACTOR.items()):
                t50 = base_ns(variant, n1, dtype, ws) * factors[variant]
                for neg in ("0", "100"):
                    name = (f"relu/{variant}/{form}/{dtype}/n:{n1}/out:{out}/cache:hot/"
                            f"neg:{neg}/manual_time")
                    if dtype == "f64":
                        cv = 0.06 + 0.01 * (i * 6 + j * 2 + (neg == "100"))
                        t = t50 * (0.98 if neg == "0" else 1.01)
                        rows += repeated(name, [t * 0.97, t, t * 1.04], n1, dtype,
                                         bytes_moved(variant, n1, dtype), ws, cv)
                    elif variant == "abs" and form == "eigen" and neg == "0":
                        t = t50 / 1.3
                        rows += repeated(name, [t * 0.7, t, t * 1.5], n1, dtype,
                                         bytes_moved(variant, n1, dtype), ws, 0.4)
                    else:
                        slow = (variant == "maximum" and form == "scalar") or (
                            variant == "abs" and form == "eigen")
                        t = t50 / 1.3 if slow else t50 * (1.0 if neg == "0" else 1.02)
                        rows.append(row(name, t, n1, dtype, bytes_moved(variant, n1, dtype), ws))
    # Input signs: masked assignment writes only the negatives.
    for neg, f in (("0", 0.55), ("100", 1.45)):
        t = base_ns("masked_assign", n, "f32", n * 4) * FORM_FACTOR["scalar"]["masked_assign"]
        rows.append(row(f"relu/masked_assign/scalar/f32/n:{n}/out:inplace/cache:hot/neg:{neg}/manual_time",
                        t * f, n, "f32", 2 * n * 4, n * 4))
    # The StackOverflow size, f64 5000x5000 as 25M elements.
    n = 25000000
    ws = 2 * n * 8
    for form in FORM_FACTOR:
        for variant in ("maximum", "maximum_inplace", "multiply", "abs"):
            out = "inplace" if variant in INPLACE else "reuse"
            wsv = buffers(variant, out) * n * 8
            rows.append(row(f"relu/{variant}/{form}/f64/n:{n}/out:{out}/cache:hot/neg:50/manual_time",
                            base_ns(variant, n, "f64", wsv) * FORM_FACTOR[form][variant], n, "f64",
                            bytes_moved(variant, n, "f64"), wsv, unit="ms"))
    rows.append(row(f"relu/maximum/onednn/f64/n:{n}/out:reuse/cache:hot/neg:50/manual_time",
                    base_ns("maximum", n, "f64", ws) * 1.2, n, "f64", 2 * n * 8, ws, unit="ms"))
    rows.append(row(f"copy/memcpy/libc/f64/n:{n}/out:reuse/cache:hot/manual_time",
                    base_ns("maximum", n, "f64", ws) * 0.97, n, "f64", 2 * n * 8, ws, unit="ms"))
    # A newer GB's skipped row, and rows outside the grammar.
    rows.append({"name": "relu/abs/highway/f32/n:3/out:reuse/cache:hot/neg:50/manual_time",
                 "run_name": "relu/abs/highway/f32/n:3/out:reuse/cache:hot/neg:50/manual_time",
                 "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
                 "threads": 1, "skipped": True,
                 "skip_message": "n below one vector | not timed"})
    rows.append(row("BM_legacy|pipe`tick`/8", 12.5, 8, "f32", None, None))
    rows.append(row("relu/maximum/highway/f16/n:1024/manual_time", 40.0, 1024, "f16", None, None))
    rows.append(row("relu/maximum/highway/f32/n:1024/mode:turbo/manual_time", 40.0, 1024, "f32",
                    None, None))
    context = {
        "date": "2024-05-01T10:00:00+00:00", "host_name": "bench-host",
        "executable": "./build/bench/relu_bench", "num_cpus": 8, "mhz_per_cpu": 3000,
        "cpu_scaling_enabled": True,
        "caches": [{"type": "Data", "level": 1, "size": L1, "num_sharing": 2},
                   {"type": "Instruction", "level": 1, "size": 32768, "num_sharing": 2},
                   {"type": "Unified", "level": 2, "size": L2, "num_sharing": 2},
                   {"type": "Unified", "level": 3, "size": LLC, "num_sharing": 16}],
        "load_avg": [1.25, 0.8, 0.5], "library_build_type": "debug",
        "relu_preset": "quick", "hwy_target": "AVX2", "compiler": "GNU 12.2.0",
        "cxx_flags": "-O3 -DNDEBUG", "build_type": "Release", "cache_l1d": str(L1),
        "cache_l2": str(L2), "cache_llc": str(LLC), "cache_source": "sysfs",
        "thp": "madvise", "git_commit": "0123abc", "protocol": "fair",
    }
    return {"context": context, "benchmarks": rows}


def py_sample():
    rows = []
    # NumPy: every variant, with temporaries and passes the fused C++ avoids.
    passes = {"maximum": 1.3, "maximum_inplace": 1.1, "multiply": 3.2, "abs": 3.6,
              "masked_assign": 4.0, "broadcast_zeros": 2.2}
    for dtype, ns_list in {"f32": [65536, 1048576], "f64": [32768, 1048576, 4194304]}.items():
        for n in ns_list:
            for variant in VARIANTS:
                out = "inplace" if variant in INPLACE else "reuse"
                ws = buffers(variant, out) * n * ELEM[dtype]
                t = base_ns(variant, n, dtype, ws) * passes[variant] + 900.0
                name = f"relu/{variant}/numpy/{dtype}/n:{n}/out:{out}/cache:hot/neg:50/protocol:fair"
                # Python rows carry neither ws_bytes nor bytes_per_second.
                r = row(name, t, n, dtype, None, None, unit="us")
                rows.append(r)
    for form, f in (("numba", 1.15), ("torch", 1.25)):
        n = 1048576
        ws = 2 * n * 4
        rows.append(row(f"relu/maximum/{form}/f32/n:{n}/out:reuse/cache:hot/neg:50/protocol:fair",
                        base_ns("maximum", n, "f32", ws) * f + 3000.0, n, "f32", None, None,
                        unit="us"))
    # The StackOverflow size: fair rows, allocation per call, and replays.
    n = 25000000
    shape = "5000x5000"
    ws = 2 * n * 8
    fair = {}
    for variant in VARIANTS:
        out = "inplace" if variant in INPLACE else "reuse"
        wsv = buffers(variant, out) * n * 8
        t = base_ns(variant, n, "f64", wsv) * passes[variant]
        fair[variant] = t
        rows.append(row(f"relu/{variant}/numpy/f64/n:{n}/shape:{shape}/out:{out}/cache:hot/neg:50/protocol:fair",
                        t, n, "f64", None, None, unit="ms"))
        if variant not in INPLACE:
            rows.append(row(f"relu/{variant}/numpy/f64/n:{n}/shape:{shape}/out:fresh/cache:hot/neg:50/protocol:fair",
                            t * 2.1, n, "f64", None, None, unit="ms"))
    gen = 95e6
    replays = {
        "first-answer": {"maximum": 2.1, "multiply": 2.0, "abs": 2.05},
        "inplace-answer": {"maximum": 2.1, "multiply": 2.0, "abs": 2.05, "maximum_inplace": 0.55},
        "fancy-index-answer": {"maximum": 2.1, "maximum_inplace": 0.9, "multiply": 2.0,
                               "abs": 2.05, "masked_assign": 0.18},
        "fresh-slices-answer": {"maximum": 1.3, "maximum_inplace": 1.1, "multiply": 1.25,
                                "abs": 1.2, "masked_assign": 1.4},
    }
    # Replays as py_bench.py writes them: raw repeats, aggregates plus the
    # "min" statistic, and a label naming the figure the answer reported.
    def replay(name, t, reported, neg_pct=None, neg_last=None):
        times = [t * 1.04, t, t * 1.02]
        extra = {"label": "reported:" + reported}
        if neg_pct is not None:
            extra["neg_pct_at_start"] = neg_pct
            extra["neg_pct_last_call"] = neg_last
        if reported == "row":
            return [row(name, t, n, "f64", None, None, unit="ms", **extra)]
        rows_ = repeated(name, times, n, "f64", None, None)
        rows_.append(dict(rows_[-1], name=name + "_min", aggregate_name="min",
                          aggregate_unit="time", real_time=min(times), cpu_time=min(times)))
        for r in rows_:
            r.update(extra)
            r.pop("items_per_second", None)
        return rows_

    for answer, factors in replays.items():
        reported = "row" if answer == "fresh-slices-answer" else "min"
        for variant, f in factors.items():
            out = "inplace" if variant in INPLACE else "fresh"
            # Before its first call: masked assignment after in-place maximum
            # finds x already rectified; every other first call sees 50%.
            # The last timed call on a reused x finds it rectified; fresh
            # slices give every call its own negatives.
            neg = neg_last = None
            if variant in INPLACE:
                neg = 0.0 if (answer == "fancy-index-answer" and variant == "masked_assign") else 50.0
                neg_last = 50.0 if answer == "fresh-slices-answer" else 0.0
            rows.extend(replay(f"relu/{variant}/numpy/f64/n:{n}/shape:{shape}/out:{out}/protocol:replay-{answer}",
                               fair[variant] * f, reported, neg, neg_last))
    for variant, f in (("multiply", 2.0), ("maximum", 2.1), ("maximum_inplace", 1.0)):
        out = "inplace" if variant in INPLACE else "fresh"
        rows.extend(replay(f"relu/{variant}/numpy/f64/n:{n}/shape:{shape}/out:{out}/protocol:replay-generation-included-answer",
                           gen + fair[variant] * f, "min", 50.0 if variant in INPLACE else None,
                           50.0 if variant in INPLACE else None))
    rows.extend(replay(f"gen/random/numpy/f64/n:{n}/shape:{shape}/protocol:replay-generation-included-answer",
                       gen, "min"))
    # PyTorch: two library calls of one form, told apart by fn.
    for fn, f in (("relu", 1.3), ("clamp_min", 1.2)):
        n2 = 1048576
        rows.append(row(f"relu/maximum/torch/f64/n:{n2}/out:reuse/cache:hot/neg:50/protocol:fair/fn:{fn}",
                        base_ns("maximum", n2, "f64", 2 * n2 * 8) * f + 3000.0, n2, "f64",
                        2 * n2 * 8, 2 * n2 * 8, unit="us"))
    context = {"date": "2024-05-01T10:05:00+00:00", "host_name": "bench-host",
               "executable": "scripts/py_bench.py", "num_cpus": 8,
               "numpy_version": "1.24.2", "python_version": "3.11.2", "protocol": "fair"}
    return {"context": context, "benchmarks": rows}


def bits32(label):
    return {"nan": "0x7fc00000", "-nan": "0xffc00000", "inf": "0x7f800000",
            "-inf": "0xff800000", "0": "0x00000000", "-0": "0x80000000",
            "denorm": "0x00000001", "-denorm": "0x80000001", "1.5": "0x3fc00000",
            "-1.5": "0xbfc00000"}[label]


def bits64(label):
    return {"nan": "0x7ff8000000000000", "-nan": "0xfff8000000000000",
            "inf": "0x7ff0000000000000", "-inf": "0xfff0000000000000",
            "0": "0x0000000000000000", "-0": "0x8000000000000000",
            "denorm": "0x0000000000000001", "-denorm": "0x8000000000000001",
            "1.5": "0x3ff8000000000000", "-1.5": "0xbff8000000000000"}[label]


LABELS = ["nan", "-nan", "inf", "-inf", "0", "-0", "denorm", "-denorm", "1.5", "-1.5"]
ZERO = {"f32": "0x00000000", "f64": "0x0000000000000000"}
NZERO = {"f32": "0x80000000", "f64": "0x8000000000000000"}


def numpy_output(variant, label, dtype):
    """What NumPy returns: maximum propagates NaN; x*(x>0) gives -0 for -0 and NaN*0=NaN."""
    b = bits32 if dtype == "f32" else bits64
    x = b(label)
    negative = label.startswith("-") and label not in ("-nan",)
    if label in ("nan", "-nan"):
        if variant == "masked_assign":
            return x, label  # NaN < 0 is false: left alone
        if variant == "multiply":
            return x, label  # NaN * False = NaN
        return x, label
    if variant == "multiply":
        if label == "-inf":
            return b("nan"), "nan"  # -inf * 0 = NaN
        if negative or label == "-0":
            return NZERO[dtype], "-0"
        if label == "0":
            return ZERO[dtype], "0"
        return x, label
    if variant == "abs":
        if label == "-inf":
            return b("nan"), "nan"  # (inf + -inf) / 2 = NaN
        if label == "-0":
            return ZERO[dtype], "0"
        if negative:
            return ZERO[dtype], "0"
        if label == "denorm":
            return x, label  # (d + d) / 2 == d exactly
        return x, label
    if variant == "masked_assign":
        if negative:
            return ZERO[dtype], "0"
        return x, label  # -0 < 0 is false: stays -0
    # maximum, maximum_inplace, broadcast_zeros: maximum(-0, 0) returns the first.
    if label == "-0":
        return (NZERO[dtype], "-0") if variant != "broadcast_zeros" else (ZERO[dtype], "0")
    if negative:
        return ZERO[dtype], "0"
    return x, label


def semantics(forms, peer_rows):
    inputs = [{"label": l, "f32": bits32(l), "f64": bits64(l)} for l in LABELS]
    rows = []
    for dtype in ("f32", "f64"):
        for variant in VARIANTS:
            for form in forms:
                outs = []
                for l in LABELS:
                    bits, text = numpy_output(variant, l, dtype)
                    outs.append({"bits": bits, "text": text})
                rows.append({"variant": variant, "form": form, "dtype": dtype, "outputs": outs})
    rows += peer_rows
    return {"inputs": inputs, "rows": rows}


def main():
    with open(os.path.join(HERE, "sample_cpp.json"), "w") as f:
        json.dump(cpp_sample(), f, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "sample_py.json"), "w") as f:
        json.dump(py_sample(), f, indent=2)
        f.write("\n")
    # XNNPACK's ReLU clamps, so NaN becomes 0: a peer that is not a correct ReLU.
    xnn = []
    for variant in ("maximum", "maximum_inplace"):
        outs = []
        for l in LABELS:
            bits, text = numpy_output(variant, l, "f32")
            if l in ("nan", "-nan"):
                bits, text = ZERO["f32"], "0"
            outs.append({"bits": bits, "text": text})
        xnn.append({"variant": variant, "form": "xnnpack", "dtype": "f32", "outputs": outs})
    # A deliberately wrong scalar row would hide in the C++ file; instead the
    # "fast" eigen multiply returns +0 for -0, which is a correct ReLU but
    # differs from NumPy bit for bit.
    cpp = semantics(["scalar", "eigen", "highway"], xnn)
    for r in cpp["rows"]:
        if r["variant"] == "multiply" and r["form"] == "eigen" and r["dtype"] == "f32":
            r["outputs"][LABELS.index("-0")] = {"bits": ZERO["f32"], "text": "0"}
    with open(os.path.join(HERE, "sample_semantics_cpp.json"), "w") as f:
        json.dump(cpp, f, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "sample_semantics_numpy.json"), "w") as f:
        json.dump(semantics(["numpy"], []), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
