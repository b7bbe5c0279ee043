#!/usr/bin/python3
"""Python peer benchmark: NumPy's six ReLU formulations, Numba and PyTorch, in Google Benchmark JSON.

Usage:
  scripts/py_bench.py [--preset quick|full|so] [--out FILE] [--filter REGEX]
                      [--replay | --no-replay] [--quiet] [--list]

Presets:
  quick  NumPy, Numba and PyTorch under the fair protocol at 256 KiB and 4 MiB
         (f32, f64), and NumPy at the StackOverflow shape 5000x5000 (f64); 3
         repetitions; no replays. Under 30 s.
  full   The fair protocol over the C++ sweep's sizes (input bytes 2^k and
         1.5*2^k) from 256 KiB up to 256 MiB, capped at n <= 2^25 elements,
         for f32 and f64, plus 5000x5000 for both; no replays unless --replay.
  so     The StackOverflow reproduction: every answer's own method replayed as
         written (protocol:replay-<answer id>), plus the fair protocol for
         every peer at 5000x5000, f64 and f32.

The lower bound of 256 KiB is where one call takes about ten microseconds or
more, so Python's call and timer overhead (about 0.1-0.3 us) stays below a few
percent; smaller sizes are the C++ suite's job.

Protocols (named in every benchmark name):
  protocol:fair  Every timed call sees pristine input: uniform in [-0.5, 0.5)
    (half negative) as the StackOverflow data. In-place variants get their
    input restored from a pristine copy with np.copyto before each call; the
    restore is never timed. Out-of-place NumPy inputs are marked read-only, so
    a formulation that wrote its input would fail instead of skewing the data.
    Only the call is timed (time.perf_counter_ns; cpu_time is that time
    scaled by the thread's CPU share over the repetition);
    the result is released after the clock stops. Warm-up calls first. One
    repetition is k calls, k chosen from the warm-up so a repetition lasts at
    least a few milliseconds (k = 1 for large arrays); real_time is the mean
    per call; _mean, _median, _stddev and _cv aggregate the repetitions as
    Google Benchmark 1.7.1 does. The repetitions of one size's cases run
    interleaved in random order, each case prepared afresh for each one, so
    drift on a shared machine spreads over every case. The garbage
    collector is off while timing.
    out:fresh is the formulation as written (NumPy allocates the output and
    temporaries per call); out:reuse writes into a preallocated, pre-faulted
    output with out=; out:inplace is the input itself.
  protocol:replay-<answer id>  The answer's own method as written, on its own
    data: IPython's %timeit -n10 reproduced with timeit (best of 3, or mean of
    7 runs), one x reused by every statement in the answer's order (so an
    in-place statement rectifies x on its first call and every later call sees
    no negatives), generation inside the timing for
    generation-included-answer, and fresh slices x[i] of a (20, 5000, 5000)
    array timed with time.time() for fresh-slices-answer. Iteration rows keep
    the raw repeats (per-loop times); the row label says which figure the
    answer reported: "reported:min" (the _min aggregate, best of 3),
    "reported:mean" (the _mean aggregate) or "reported:row" (the iteration row
    itself). Counters neg_pct_at_start and neg_pct_last_call are the
    percentages of negatives in the input of the statement's first and last
    timed calls (after an in-place statement on a reused x, the last is 0).

Counters, as the C++ suite sets them: ws_bytes is one call's working set,
input + output (+ the zeros array; float32 zeros for the Numba seed), the
input alone for in-place variants, the generated array for generation;
bytes_per_second is ws_bytes per call over real_time; items_per_second counts
elements.

Numba and PyTorch are optional: when one cannot be imported it is skipped with
a message on stderr and the context says "not installed". Everything runs on
one thread.
"""

import os

# Single-threaded everywhere: set before NumPy, Numba or PyTorch is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import ast
import atexit
import datetime
import functools
import gc
import importlib.metadata
import importlib.util
import json
import math
import platform
import random
import re
import shutil
import socket
import sys
import tempfile
import time
import timeit

try:
    import numpy as np
except ImportError:  # main() reports it; tests skip.
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
CLAIMS_PATH = os.path.join(HERE, "so-claims.json")

KiB = 1024
MiB = 1024 * KiB
SO_SHAPE = (5000, 5000)
DTYPES = {"f32": "float32", "f64": "float64"}

# Variants in the project's order, and how each one writes its result.
VARIANT_OUT = {
    "maximum": "fresh",
    "maximum_inplace": "inplace",
    "multiply": "fresh",
    "abs": "fresh",
    "masked_assign": "inplace",
    "broadcast_zeros": "fresh",
}
REUSE_VARIANTS = ("maximum", "multiply", "abs", "broadcast_zeros")


# --------------------------------------------------------------------------
# Output and logging

class Log:
    quiet = False

    @classmethod
    def info(cls, msg):
        if not cls.quiet:
            print(msg, file=sys.stderr, flush=True)

    @staticmethod
    def error(msg):
        print(msg, file=sys.stderr, flush=True)


def write_json_atomic(path, data):
    """Writes data as JSON to path through a temporary file and a rename.

    On any error the temporary file is removed and path is left as it was.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=2, allow_nan=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --------------------------------------------------------------------------
# Claims and formulations

def load_claims(path=CLAIMS_PATH):
    with open(path) as f:
        return json.load(f)


def compile_formulation(variant, source, namespace=None):
    """A function relu(x) running the NumPy formulation `source` verbatim.

    An expression ("np.maximum(x, 0)") is returned; a statement
    ("x[x < 0] = 0") runs and x is returned. `namespace` supplies np (the
    replay tests pass an instrumented one).
    """
    try:
        ast.parse(source, mode="eval")
        body = "    return " + source + "\n"
    except SyntaxError:
        ast.parse(source, mode="exec")
        body = "    " + source + "\n    return x\n"
    ns = {"np": np} if namespace is None else dict(namespace)
    name = "relu_" + variant
    exec(compile("def " + name + "(x):\n" + body, "<so-claims:" + variant + ">",
                 "exec"), ns)
    fn = ns[name]
    fn.relu_source = source
    return fn


def numpy_formulations(claims):
    """{variant: relu(x)} for the six variants as written in so-claims.json."""
    forms = {}
    for variant in VARIANT_OUT:
        forms[variant] = compile_formulation(variant, claims["variants"][variant])
    return forms


# out= forms: the formulation writing into a preallocated output o.
def reuse_maximum(x, o):
    return np.maximum(x, 0, out=o)


def reuse_multiply(x, o):
    return np.multiply(x, x > 0, out=o)


def reuse_abs(x, o):
    np.abs(x, out=o)
    np.add(o, x, out=o)
    return np.divide(o, 2, out=o)


def reuse_broadcast_zeros(x, o, zeros):
    return np.maximum(zeros, x, out=o)


REUSE_FORMS = {
    "maximum": reuse_maximum,
    "multiply": reuse_multiply,
    "abs": reuse_abs,
    "broadcast_zeros": reuse_broadcast_zeros,
}


# --------------------------------------------------------------------------
# Optional peers

_numba = None
_numba_error = None
_numba_funcs = None
_torch = None
_torch_error = None


def numba_seed_relu(x):
    # Seed 001_9b9605c083d7a6ca.txt, "ReLU NUMBA implementation", verbatim
    # body; compiled with @njit(cache=True, fastmath=True). The zeros are
    # float32 whatever x is, so f64 input gives f64 output through promotion.
    # Broadcasting seems expensive compared to TF and PyTorch
    # return np.maximum(0.,x)
    a = np.zeros(x.shape,dtype=np.float32)
    return np.maximum(a,x)


def numba_loop_maximum(x):
    # A plain element loop with np.maximum(x, 0)'s result: NaN stays NaN,
    # -0 becomes +0, negatives become 0. Fresh output, as NumPy's.
    out = np.empty_like(x)
    xf = x.reshape(x.size)
    of = out.reshape(out.size)
    for i in range(xf.size):
        v = xf[i]
        if v <= 0:
            of[i] = 0
        else:
            of[i] = v
    return out


def numba_loop_maximum_out(x, out):
    # The same loop as numba_loop_maximum, kept separate on purpose: that one
    # allocates inside Numba (its allocator and page faults are what
    # out:fresh measures), and a nopython function cannot call this plain one.
    xf = x.reshape(x.size)
    of = out.reshape(out.size)
    for i in range(xf.size):
        v = xf[i]
        if v <= 0:
            of[i] = 0
        else:
            of[i] = v
    return out


def numba_loop_maximum_inplace(x):
    xf = x.reshape(x.size)
    for i in range(xf.size):
        if xf[i] <= 0:
            xf[i] = 0
    return x


def load_numba():
    """The compiled Numba functions, or None (with the reason kept) when Numba is missing."""
    global _numba, _numba_error, _numba_funcs
    if _numba_funcs is not None or _numba_error is not None:
        return _numba_funcs
    if "NUMBA_CACHE_DIR" not in os.environ or "numba" not in sys.modules:
        # cache=True writes next to the source unless told otherwise: keep the
        # repository clean by caching in a temporary directory.
        cache_dir = tempfile.mkdtemp(prefix="relu-numba-cache-")
        atexit.register(shutil.rmtree, cache_dir, True)
        os.environ["NUMBA_CACHE_DIR"] = cache_dir
    try:
        import numba
    except Exception as e:  # ImportError, or a broken installation
        _numba_error = "%s: %s" % (type(e).__name__, e)
        return None
    _numba = numba
    _numba_funcs = {
        "seed": numba.njit(cache=True, fastmath=True)(numba_seed_relu),
        "loop": numba.njit(numba_loop_maximum),
        "loop_out": numba.njit(numba_loop_maximum_out),
        "loop_inplace": numba.njit(numba_loop_maximum_inplace),
    }
    return _numba_funcs


def load_torch():
    global _torch, _torch_error
    if _torch is not None or _torch_error is not None:
        return _torch
    try:
        import torch
    except Exception as e:
        _torch_error = "%s: %s" % (type(e).__name__, e)
        return None
    if not getattr(torch, "_relu_bench_single_threaded", False):
        # Once per process: a second set_num_interop_threads aborts it.
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass  # parallel work already started
        torch._relu_bench_single_threaded = True
    _torch = torch
    return torch


def peer_version(module):
    """The loaded peer's version; "not installed" when its import failed;
    the installed distribution's version when this run did not need it."""
    loaded = {"numba": _numba, "torch": _torch}[module]
    if loaded is not None:
        return loaded.__version__
    if {"numba": _numba_error, "torch": _torch_error}[module] is not None:
        return "not installed"
    if not installed(module):
        return "not installed"
    try:
        return importlib.metadata.version(module)
    except Exception:
        return "not loaded"


# --------------------------------------------------------------------------
# Names

def bench_name(family, op, form, dtype, n, shape=None, out=None, cache=None,
               neg=None, harness=None, protocol=None, fn=None):
    """A name by the README grammar; keys in README order, then fn."""
    parts = [family, op, form, dtype, "n:%d" % n]
    if shape is not None and len(shape) > 1:
        parts.append("shape:" + "x".join(str(d) for d in shape))
    for key, value in (("out", out), ("cache", cache), ("neg", neg),
                       ("harness", harness), ("protocol", protocol), ("fn", fn)):
        if value is not None:
            parts.append("%s:%s" % (key, value))
    return "/".join(parts)


# --------------------------------------------------------------------------
# Google Benchmark rows

def _mean(v):
    return sum(v) / len(v)


def _median(v):
    # Google Benchmark's StatisticsMedian: the mean below three samples.
    if len(v) < 3:
        return _mean(v)
    s = sorted(v)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2.0


def _stddev(v):
    # Google Benchmark's StatisticsStdDev: sample standard deviation.
    if len(v) < 2:
        return 0.0
    m = _mean(v)
    avg_sq = sum(x * x for x in v) / len(v)
    return math.sqrt(max(0.0, len(v) / (len(v) - 1.0) * (avg_sq - m * m)))


def _cv(v):
    if len(v) < 2:
        return 0.0
    m = _mean(v)
    return _stddev(v) / m if m else 0.0


STATISTICS = {"mean": _mean, "median": _median, "stddev": _stddev, "cv": _cv,
              "min": min}


class Rows:
    """Collects benchmark rows in Google Benchmark 1.7.1's JSON layout."""

    def __init__(self):
        self.rows = []
        self._family = 0

    def add_error(self, name, message):
        """One errored row, as Google Benchmark writes a SkipWithError run."""
        self.rows.append({
            "name": name, "family_index": self._family,
            "per_family_instance_index": 0, "run_name": name,
            "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
            "threads": 1, "iterations": 0, "real_time": 0.0, "cpu_time": 0.0,
            "time_unit": "ns", "error_occurred": True, "error_message": message,
        })
        self._family += 1

    def add(self, name, samples, counters_fn, extra_stats=(), label=None):
        """samples: [(real_ns_per_iter, cpu_ns_per_iter, iterations)], one per repetition.

        counters_fn(real_ns) -> {counter: value} for one repetition.
        Aggregates (mean, median, stddev, cv, then extra_stats) follow when
        there are two repetitions or more, as Google Benchmark does.
        """
        family = self._family
        self._family += 1
        reps = len(samples)
        per_rep_counters = []
        for i, (real, cpu, iters) in enumerate(samples):
            counters = counters_fn(real)
            per_rep_counters.append(counters)
            row = {
                "name": name,
                "family_index": family,
                "per_family_instance_index": 0,
                "run_name": name,
                "run_type": "iteration",
                "repetitions": reps,
                "repetition_index": i,
                "threads": 1,
                "iterations": int(iters),
                "real_time": float(real),
                "cpu_time": float(cpu),
                "time_unit": "ns",
            }
            row.update(sorted(counters.items()))
            if label:
                row["label"] = label
            self.rows.append(row)
        if reps < 2:
            return
        reals = [s[0] for s in samples]
        cpus = [s[1] for s in samples]
        for stat in ("mean", "median", "stddev", "cv") + tuple(extra_stats):
            f = STATISTICS[stat]
            row = {
                "name": name + "_" + stat,
                "family_index": family,
                "per_family_instance_index": 0,
                "run_name": name,
                "run_type": "aggregate",
                "repetitions": reps,
                "threads": 1,
                "aggregate_name": stat,
                "aggregate_unit": "percentage" if stat == "cv" else "time",
                "iterations": reps,
                "real_time": float(f(reals)),
                "cpu_time": float(f(cpus)),
                "time_unit": "ns",
            }
            for key in sorted(per_rep_counters[0]):
                row[key] = float(f([c[key] for c in per_rep_counters]))
            if label:
                row["label"] = label
            self.rows.append(row)


def relu_counters(n, ws_bytes):
    """bytes_per_second counts one call's working set, as the C++ suite does."""
    def counters(real_ns):
        secs = real_ns * 1e-9
        return {
            "bytes_per_second": ws_bytes / secs if secs > 0 else 0.0,
            "items_per_second": n / secs if secs > 0 else 0.0,
            "ws_bytes": float(ws_bytes),
        }
    return counters


# --------------------------------------------------------------------------
# Context

def _cpu_mhz():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("cpu mhz"):
                    return int(float(line.split(":", 1)[1]))
    except (OSError, ValueError):
        pass
    return 0


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _scaling_enabled():
    # Google Benchmark: scaling is on unless cpu0's governor is "performance".
    try:
        with open("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor") as f:
            return f.read().strip() != "performance"
    except OSError:
        return False


def _caches():
    caches = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        entries = sorted(e for e in os.listdir(base) if e.startswith("index"))
    except OSError:
        return caches

    def read(index, name):
        with open(os.path.join(base, index, name)) as f:
            return f.read().strip()
    for index in entries:
        try:
            size = read(index, "size")
            mult = {"K": KiB, "M": MiB, "G": 1024 * MiB}.get(size[-1:], 1)
            size_bytes = int(size.rstrip("KMG")) * mult
            shared = read(index, "shared_cpu_map").replace(",", "")
            caches.append({
                "type": read(index, "type"),
                "level": int(read(index, "level")),
                "size": size_bytes,
                "num_sharing": bin(int(shared, 16)).count("1"),
            })
        except (OSError, ValueError):
            continue
    return caches


def _thp():
    """The bracketed choice of transparent_hugepage/enabled, as the C++ suite reports it."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            text = f.readline().strip()
    except OSError:
        return "unknown"
    m = re.search(r"\[(\w+)\]", text)
    return m.group(1) if m else (text or "unknown")


def _numpy_hugepage():
    """Whether NumPy madvises huge pages for large arrays. It decides out:fresh
    here: with THP on "madvise", a 200 MB output takes 4 KiB page faults
    without it (Numba's and PyTorch's allocators do not ask)."""
    try:
        setter = np.core.multiarray._set_madvise_hugepage
    except AttributeError:
        return "unknown"
    current = setter(True)
    setter(current)
    return "on" if current else "off"


PROTOCOL_TEXT = (
    "Python peers (scripts/py_bench.py). protocol:fair: pristine input for "
    "every timed call (uniform [-0.5, 0.5), half negative; in-place inputs "
    "restored with np.copyto before each call, untimed), only the call timed "
    "with time.perf_counter_ns, result released after the clock stops, "
    "warm-up first, gc off, k calls per repetition, repetitions of one "
    "size's cases interleaved in random order, median and cv over "
    "repetitions. protocol:replay-<id>: the StackOverflow answer's own "
    "method as written (%timeit -n10 via timeit, reused x in the answer's "
    "order, or generation inside the timing, or fresh slices); the label "
    "says which figure the answer reported (reported:min, reported:mean, "
    "reported:row). Single-threaded."
)


def make_context(preset, scale):
    ctx = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else sys.executable,
        "num_cpus": os.cpu_count() or 1,
        "mhz_per_cpu": _cpu_mhz(),
        "cpu_scaling_enabled": _scaling_enabled(),
        "caches": _caches(),
        "load_avg": list(os.getloadavg()),
        "library_build_type": "release",
        "python_version": platform.python_version(),
        "python_executable": sys.executable,
        "numpy_version": np.__version__,
        "numba_version": peer_version("numba"),
        "torch_version": peer_version("torch"),
        "protocol": PROTOCOL_TEXT,
        "relu_preset": preset,
        "cpu_model": _cpu_model(),
        "thp": _thp(),
        "numpy_madvise_hugepage": _numpy_hugepage(),
    }
    lib = _ours["lib"]
    if lib is not None:
        ctx["relu_capi"] = _ours["path"]
        ctx["hwy_target"] = lib.relu_highway_target().decode()
        ctx["stream_threshold_bytes"] = int(lib.relu_stream_threshold_bytes())
        ctx["narrow_vector_threshold_bytes"] = int(
            lib.relu_narrow_vector_threshold_bytes())
    else:
        ctx["relu_capi"] = "not loaded: %s" % (_ours["error"] or "no case used it")
    if scale != "normal":
        ctx["py_bench_scale"] = scale
    return ctx


# --------------------------------------------------------------------------
# The fair protocol

class Case:
    """One fair-protocol benchmark: a name and how to build its call."""

    def __init__(self, op, form, dtype, n, shape, out, build, ws_factor,
                 fn=None, label=None, zeros_itemsize=None, harness=None):
        self.op = op
        self.form = form
        self.dtype = dtype
        self.n = n
        self.shape = shape
        self.out = out
        self.build = build  # build(x) -> call() ; x is the case's input array
        self.ws_factor = ws_factor  # arrays of x's size in the working set
        self.zeros_itemsize = zeros_itemsize
        self.fn = fn
        self.label = label
        self.name = bench_name("relu", op, form, dtype, n, shape, out=out,
                               cache="hot", neg=50, harness=harness,
                               protocol="fair", fn=fn)

    @property
    def itemsize(self):
        return 4 if self.dtype == "f32" else 8

    @property
    def inplace(self):
        return self.out == "inplace"

    def ws_bytes(self):
        ws = self.ws_factor * self.n * self.itemsize
        if self.zeros_itemsize:
            ws += self.n * self.zeros_itemsize
        return ws


class Prepared:
    """A case bound to its arrays. call() is exactly what is timed."""

    def __init__(self, case, call, x, pristine, keep):
        self.case = case
        self.call = call
        self.x = x
        self.pristine = pristine  # None for out-of-place cases
        self.keep = keep  # arrays the call needs alive


def numpy_cases(forms, dtype, n, shape):
    cases = []
    for variant, out in VARIANT_OUT.items():
        f = forms[variant]
        ws = 1 if out == "inplace" else 2
        if variant == "broadcast_zeros":
            cases.append(Case(variant, "numpy", dtype, n, shape, out,
                              lambda x, f=f: functools.partial(f, x), 2,
                              zeros_itemsize=4 if dtype == "f32" else 8))
        else:
            cases.append(Case(variant, "numpy", dtype, n, shape, out,
                              lambda x, f=f: functools.partial(f, x), ws))
        if variant in REUSE_FORMS:
            g = REUSE_FORMS[variant]
            if variant == "broadcast_zeros":
                def build(x, g=g):
                    o = np.ones_like(x)  # pre-faulted
                    zeros = np.zeros(x.shape, dtype=x.dtype)
                    zeros[...] = 0  # pre-faulted, not calloc's lazy pages
                    return functools.partial(g, x, o, zeros)
                cases.append(Case(variant, "numpy", dtype, n, shape, "reuse",
                                  build, 2, zeros_itemsize=4 if dtype == "f32" else 8))
            else:
                def build(x, g=g):
                    o = np.ones_like(x)
                    return functools.partial(g, x, o)
                cases.append(Case(variant, "numpy", dtype, n, shape, "reuse",
                                  build, 2))
    return cases


def numba_cases(dtype, n, shape):
    # The builds load Numba only when a case is prepared.
    def seed(x):
        funcs = load_numba()
        return functools.partial(funcs["seed"], x)

    def loop(x):
        funcs = load_numba()
        return functools.partial(funcs["loop"], x)

    def loop_out(x):
        funcs = load_numba()
        return functools.partial(funcs["loop_out"], x, np.ones_like(x))

    def loop_inplace(x):
        funcs = load_numba()
        return functools.partial(funcs["loop_inplace"], x)
    return [
        Case("broadcast_zeros", "numba", dtype, n, shape, "fresh", seed, 2,
             zeros_itemsize=4,
             label="seed 001: @njit(cache=True, fastmath=True), float32 zeros"),
        Case("maximum", "numba", dtype, n, shape, "fresh", loop, 2,
             label="plain @njit element loop"),
        Case("maximum", "numba", dtype, n, shape, "reuse", loop_out, 2,
             label="plain @njit element loop"),
        Case("maximum_inplace", "numba", dtype, n, shape, "inplace",
             loop_inplace, 1, label="plain @njit element loop"),
    ]


def torch_cases(dtype, n, shape):
    # The builds load PyTorch only when a case is prepared.
    def relu(x):
        torch = load_torch()
        return functools.partial(torch.relu, torch.from_numpy(x))

    def clamp_min(x):
        torch = load_torch()
        return functools.partial(torch.clamp_min, torch.from_numpy(x), 0)

    def clamp_min_out(x):
        torch = load_torch()
        o = torch.from_numpy(np.ones_like(x))
        return functools.partial(torch.clamp_min, torch.from_numpy(x), 0, out=o)

    def relu_(x):
        torch = load_torch()
        return functools.partial(torch.relu_, torch.from_numpy(x))
    return [
        Case("maximum", "torch", dtype, n, shape, "fresh", relu, 2, fn="relu"),
        Case("maximum", "torch", dtype, n, shape, "fresh", clamp_min, 2,
             fn="clamp_min"),
        Case("maximum", "torch", dtype, n, shape, "reuse", clamp_min_out, 2,
             fn="clamp_min"),
        Case("maximum_inplace", "torch", dtype, n, shape, "inplace", relu_, 1,
             fn="relu"),
    ]


# Our kernels, called through the C interface (kernels/relu_c_api.cc), so
# they run under this harness exactly as the Python peers do: the C++ ring
# and this protocol leave the caches in different states, and comparing a
# peer timed here with our kernel timed there would measure the harnesses.
OUR_FORMS = ("scalar", "eigen", "highway")
# The variants the Python peers implement natively (Numba and PyTorch have
# maximum and maximum_inplace); the rest are compared through NumPy alone.
OUR_VARIANTS = ("maximum", "maximum_inplace")
DEFAULT_KERNELS_LIB = os.environ.get("RELU_KERNELS_LIB") or os.path.join(
    os.path.dirname(HERE), "build", "kernels", "librelu_capi.so")
_ours = {"lib": None, "error": None, "path": None}


def load_ours(path):
    """The ctypes library of our kernels, or None (and why, in _ours)."""
    if _ours["lib"] is not None or _ours["error"] is not None:
        return _ours["lib"]
    import ctypes
    _ours["path"] = path
    if not os.path.exists(path):
        _ours["error"] = "%s not found (build it: cmake --build build --target relu_capi)" % path
        return None
    try:
        lib = ctypes.CDLL(path)
        lib.relu_kernel.restype = ctypes.c_void_p
        lib.relu_kernel.argtypes = [ctypes.c_char_p] * 3
        lib.relu_highway_target.restype = ctypes.c_char_p
        lib.relu_stream_threshold_bytes.restype = ctypes.c_size_t
        lib.relu_narrow_vector_threshold_bytes.restype = ctypes.c_size_t
    except (OSError, AttributeError) as e:
        _ours["error"] = "cannot load %s: %s" % (path, e)
        return None
    # PYFUNCTYPE keeps the GIL across the call: cheaper than CFUNCTYPE's
    # release and re-acquire, and nothing else runs in this process.
    _ours["fntype"] = ctypes.PYFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p,
                                        ctypes.c_void_p, ctypes.c_size_t)
    _ours["lib"] = lib
    return lib


def our_kernel(variant, form, dtype):
    lib = load_ours(_ours["path"] or DEFAULT_KERNELS_LIB)
    address = lib.relu_kernel(variant.encode(), form.encode(), dtype.encode())
    if not address:
        raise LookupError("%s has no kernel %s/%s/%s" % (_ours["path"], variant,
                                                         form, dtype))
    return _ours["fntype"](address)


def our_cases(dtype, n, shape):
    """maximum (out:reuse) and maximum_inplace in every form, harness:python."""
    cases = []
    for variant in OUR_VARIANTS:
        inplace = VARIANT_OUT[variant] == "inplace"
        for form in OUR_FORMS:
            def build(x, variant=variant, form=form, inplace=inplace):
                fn = our_kernel(variant, form, dtype)
                o = x if inplace else np.ones_like(x)  # pre-faulted
                call = functools.partial(fn, x.ctypes.data, None, o.ctypes.data,
                                         x.size)
                call.arrays = (x, o)  # alive as long as the call
                return call
            cases.append(Case(variant, form, dtype, n, shape,
                              "inplace" if inplace else "reuse", build,
                              1 if inplace else 2, harness="python",
                              label="via ctypes (kernels/relu_c_api.cc)"))
    return cases


def check_ours(prep):
    """Empty when our kernel's last result is max(x, 0) of its pristine input."""
    call = prep.call
    x, o = call.arrays
    if prep.pristine is not None:  # in-place: x holds the last call's result
        want = np.maximum(prep.pristine, 0)
        got = x
    else:
        want = np.maximum(x, 0)
        got = o
    bad = np.flatnonzero(got != want)
    if bad.size:
        i = int(bad[0])
        return "result differs from np.maximum(x, 0) at element %d: got %r, want %r" % (
            i, float(got.flat[i]), float(want.flat[i]))
    return ""


def make_input(rng, dtype, shape):
    """Uniform in [-0.5, 0.5) like the StackOverflow data, read-only."""
    if dtype == "f64":
        x = rng.random(shape) - 0.5
    else:
        x = rng.random(shape, dtype=np.float32) - np.float32(0.5)
    x.flags.writeable = False
    return x


def prepare(case, base):
    """Binds a case to its own arrays; base is the pristine, read-only input."""
    if case.inplace:
        x = base.copy()
        pristine = base
    elif case.form == "numpy":
        # Read-only: an out-of-place formulation that wrote x would raise.
        x = base
        pristine = None
    else:
        # Numba and PyTorch get a writeable array of the same data (PyTorch
        # warns on read-only NumPy arrays); out-of-place, they never write it.
        x = base.copy()
        pristine = None
    call = case.build(x)
    if case.form == "numba":
        # Compile for this signature (dtype, ndim, layout) on a small copy,
        # so compilation never lands in a warm-up used for calibration.
        small = np.ascontiguousarray(base[(slice(0, 2),) * base.ndim])
        case.build(small.copy())()
    return Prepared(case, call, x, pristine, keep=(x,))


def fitting_repetitions(repetitions, min_repetitions, max_case_ns, rep_ns):
    """How many repetitions of rep_ns each fit max_case_ns: at most
    `repetitions`, never fewer than min_repetitions (or `repetitions` if
    that is smaller)."""
    return max(min(min_repetitions, repetitions),
               min(repetitions, int(max_case_ns // max(1.0, rep_ns))))


def measure(prep, repetitions, warmup, min_rep_ns, max_case_ns=None,
            min_repetitions=3, max_calls_per_rep=100000):
    """Times prep.call under the fair protocol.

    k calls per repetition, k from the fastest warm-up call so a repetition
    lasts at least min_rep_ns. With max_case_ns, slow cases run fewer
    repetitions (never fewer than min_repetitions) so that one case's timed
    calls stay near max_case_ns.
    Returns [(real_ns_per_call, cpu_ns_per_call, calls)], one per repetition.
    """
    call = prep.call
    x = prep.x
    pristine = prep.pristine
    copyto = np.copyto
    pc = time.perf_counter_ns
    tt = time.thread_time_ns
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        warm = []
        # The first call pays one-time costs (a cold cache, lazy binding), so
        # calibrating k on it alone made k far too small for fast calls:
        # short calls get up to three warm-up calls, long ones `warmup`.
        while len(warm) < max(1, warmup) or (len(warm) < 3 and sum(warm) < 2e6):
            if pristine is not None:
                copyto(x, pristine)
            t0 = pc()
            r = call()
            t1 = pc()
            r = None
            warm.append(t1 - t0)
        per_call = max(1, min(warm))
        k = max(1, min(max_calls_per_rep, -(-int(min_rep_ns) // per_call)))
        if max_case_ns:
            repetitions = fitting_repetitions(repetitions, min_repetitions,
                                              max_case_ns, k * per_call)
        samples = []
        for _ in range(repetitions):
            real = 0
            c0 = tt()
            w0 = pc()
            for _ in range(k):
                if pristine is not None:
                    copyto(x, pristine)
                t0 = pc()
                r = call()
                t1 = pc()
                r = None
                real += t1 - t0
            w1 = pc()
            c1 = tt()
            # Reading the thread's CPU clock costs about a microsecond here
            # (a system call), more than a small call: rather than per call,
            # cpu_time is the call's real time scaled by the thread's share of
            # the CPU over the whole repetition (calls and restores).
            share = (c1 - c0) / (w1 - w0) if w1 > w0 else 1.0
            samples.append((real / k, real / k * share, k))
        return samples
    finally:
        if gc_was_enabled:
            gc.enable()


def run_group(cases, base, repetitions, warmup, min_rep_ns, max_case_ns,
              order_rng, min_repetitions=3):
    """The repetitions of one size's cases, interleaved in random order.

    Each round runs one repetition of every case still due, in a new random
    order, so the machine's drift (this one is shared) spreads over all
    cases instead of striking one case's consecutive repetitions. A case is
    prepared afresh for each repetition and released after it, so only one
    case's arrays exist at a time. After the first round, slow cases are
    cut to the repetitions that fit max_case_ns (never fewer than
    min_repetitions), as measure() does. Our kernels are checked after
    their first repetition.
    Returns {case name: ([(real_ns, cpu_ns, calls)], error message or "")}.
    """
    samples = {c.name: [] for c in cases}
    wrong = {c.name: "" for c in cases}
    due = {c.name: repetitions for c in cases}
    order = list(cases)
    for _ in range(repetitions):
        order_rng.shuffle(order)
        for case in order:
            if len(samples[case.name]) >= due[case.name] or wrong[case.name]:
                continue
            prep = prepare(case, base)
            sample = measure(prep, 1, warmup, min_rep_ns)[0]
            if case.form in OUR_FORMS and not samples[case.name]:
                wrong[case.name] = check_ours(prep)
            del prep
            samples[case.name].append(sample)
            if max_case_ns and len(samples[case.name]) == 1:
                real, _, calls = sample
                due[case.name] = fitting_repetitions(
                    repetitions, min_repetitions, max_case_ns, real * calls)
    return {name: (samples[name], wrong[name]) for name in samples}


# --------------------------------------------------------------------------
# Replays of the StackOverflow answers

# The answers' own code, as in the seeds (000_7029a2aa95faa116.txt and
# 002_b09e6958c6ce60e7.txt). "(5000, 5000)" is replaced only at a test scale.
REPLAYS = {
    "first-answer": {
        "kind": "timeit", "number": 10, "repeat": 3, "reported": "min",
        "setup": "x = np.random.random((5000, 5000)) - 0.5",
        "statements": [
            ("maximum", "np.maximum(x, 0)"),
            ("multiply", "x * (x > 0)"),
            ("abs", "(abs(x) + x) / 2"),
        ],
    },
    "inplace-answer": {
        "kind": "timeit", "number": 10, "repeat": 3, "reported": "min",
        "setup": "x = np.random.random((5000, 5000)) - 0.5",
        "statements": [
            ("maximum", "np.maximum(x, 0)"),
            ("multiply", "x * (x > 0)"),
            ("abs", "(abs(x) + x) / 2"),
            ("maximum_inplace", "np.maximum(x, 0, x)"),
        ],
    },
    "fancy-index-answer": {
        "kind": "timeit", "number": 10, "repeat": 7, "reported": "mean",
        "setup": "x = np.random.random((5000, 5000)) - 0.5",
        "statements": [
            ("maximum", "np.maximum(x, 0)"),
            ("maximum_inplace", "np.maximum(x, 0,x)"),
            ("multiply", "x * (x > 0)"),
            ("abs", "(abs(x) + x) / 2"),
            ("masked_assign", "x[x<0] =0"),
        ],
    },
    "generation-included-answer": {
        "kind": "generation", "number": 10, "repeat": 3, "reported": "min",
        "code": '''
def baseline():
    x = np.random.random((5000, 5000)) - 0.5
    return x

def relu_mul():
    x = np.random.random((5000, 5000)) - 0.5
    out = x * (x > 0)
    return out

def relu_max():
    x = np.random.random((5000, 5000)) - 0.5
    out = np.maximum(x, 0)
    return out

def relu_max_inplace():
    x = np.random.random((5000, 5000)) - 0.5
    np.maximum(x, 0, x)
    return x
''',
        "statements": [
            (None, "baseline()"),  # generation alone: gen/random/numpy
            ("multiply", "relu_mul()"),
            ("maximum", "relu_max()"),
            ("maximum_inplace", "relu_max_inplace()"),
        ],
    },
    "fresh-slices-answer": {
        "kind": "slices", "n_iter": 20, "reported": "row",
        "code": '''
def fancy_index_relu(m):
    m[m < 0] = 0


relus = {
    "max": lambda x: np.maximum(x, 0),
    "in-place max": lambda x: np.maximum(x, 0, x),
    "mul": lambda x: x * (x > 0),
    "abs": lambda x: (abs(x) + x) / 2,
    "fancy index": fancy_index_relu,
}
''',
        "methods": [
            ("maximum", "max"),
            ("maximum_inplace", "in-place max"),
            ("multiply", "mul"),
            ("abs", "abs"),
            ("masked_assign", "fancy index"),
        ],
    },
}

SO_SHAPE_TEXT = "(5000, 5000)"


def _scaled(code, shape):
    if shape == SO_SHAPE:
        return code
    assert SO_SHAPE_TEXT in code, code
    return code.replace(SO_SHAPE_TEXT, repr(tuple(shape)))


def replay_names(answer_id, shape):
    """[(op or None, name)] of an answer's rows, in the answer's order."""
    spec = REPLAYS[answer_id]
    n = int(np.prod(shape))
    protocol = "replay-" + answer_id
    ops = ([op for op, _ in spec["statements"]] if "statements" in spec
           else [op for op, _ in spec["methods"]])
    names = []
    for op in ops:
        if op is None:
            names.append((op, bench_name("gen", "random", "numpy", "f64", n, shape,
                                         protocol=protocol)))
        else:
            names.append((op, bench_name("relu", op, "numpy", "f64", n, shape,
                                         out=VARIANT_OUT[op], protocol=protocol)))
    return names


def _neg_pct(x):
    return float(np.count_nonzero(x < 0)) * 100.0 / x.size


def run_replay(answer_id, rows, shape, wanted, numpy_module=None, n_iter=None,
               seed=0):
    """Replays one answer; adds rows whose names `wanted` accepts.

    numpy_module stands in for np inside the answer's code (tests pass an
    instrumented NumPy). Statements of an answer that reuses x run in order
    up to the last wanted one even when not wanted themselves, because they
    change x for the statements after them.
    """
    spec = REPLAYS[answer_id]
    npm = np if numpy_module is None else numpy_module
    n = int(np.prod(shape))
    names = replay_names(answer_id, shape)
    want = [wanted(name) for _, name in names]
    if not any(want):
        return
    last = max(i for i, w in enumerate(want) if w)
    reported = spec["reported"]
    label = "reported:" + reported
    extra = (reported,) if reported not in ("mean", "row") else ()
    np.random.seed(seed)
    tt = time.thread_time_ns

    if spec["kind"] in ("timeit", "generation"):
        ns = {"np": npm}
        if spec["kind"] == "timeit":
            exec(_scaled(spec["setup"], shape), ns)
        else:
            exec(_scaled(spec["code"], shape), ns)
        for i, (op, stmt) in enumerate(spec["statements"][:last + 1]):
            name = names[i][1]
            Log.info("  %s  %%timeit -n%d (%s of %d)" % (
                name, spec["number"], "best" if reported == "min" else "mean",
                spec["repeat"]))
            neg = _neg_pct(ns["x"]) if "x" in ns else None
            timer = timeit.Timer(stmt, globals=ns)
            samples = []
            for _ in range(spec["repeat"]):
                c0 = tt()
                total = timer.timeit(number=spec["number"])
                c1 = tt()
                samples.append((total * 1e9 / spec["number"],
                                (c1 - c0) / spec["number"], spec["number"]))
            # The statements are idempotent, so x now holds what every call
            # after the first saw (and the last call saw exactly this).
            neg_last = _neg_pct(ns["x"]) if "x" in ns else None
            if not want[i]:
                continue
            if op is None:
                counters = relu_counters(n, n * 8)  # the generated array
            else:
                ws = n * 8 * (1 if VARIANT_OUT[op] == "inplace" else 2)
                counters = relu_counters(n, ws)
            if neg is not None:
                base_counters = counters

                def counters(real, base_counters=base_counters, neg=neg,
                             neg_last=neg_last):
                    c = base_counters(real)
                    c["neg_pct_at_start"] = neg
                    c["neg_pct_last_call"] = neg_last
                    return c
            rows.add(name, samples, counters, extra_stats=extra, label=label)
        ns.clear()
        gc.collect()
        return

    # fresh-slices-answer: its script, one method at a time.
    n_iter = spec["n_iter"] if n_iter is None else n_iter
    ns = {"np": npm}
    exec(spec["code"], ns)
    relus = ns["relus"]
    for i, (op, key) in enumerate(spec["methods"]):
        if not want[i]:
            continue
        name = names[i][1]
        Log.info("  %s  %d fresh slices" % (name, n_iter))
        relu = relus[key]
        # The answer wrote x = np.random.random((n_iter, 5000, 5000)) - 0.5;
        # subtracting in place gives the same values with half the peak
        # memory, and x is freed before the next method allocates its own.
        x = npm.random.random((n_iter,) + tuple(shape))
        x -= 0.5
        neg = _neg_pct(x[0])
        neg_last = _neg_pct(x[n_iter - 1])
        gc.collect()
        c0 = tt()
        t1 = time.time()
        for j in range(n_iter):
            relu(x[j])
        t2 = time.time()
        c1 = tt()
        del x
        gc.collect()
        ws = n * 8 * (1 if VARIANT_OUT[op] == "inplace" else 2)
        base_counters = relu_counters(n, ws)

        def counters(real, base_counters=base_counters, neg=neg, neg_last=neg_last):
            c = base_counters(real)
            c["n_iter"] = float(n_iter)
            c["neg_pct_at_start"] = neg
            c["neg_pct_last_call"] = neg_last
            return c
        rows.add(name, [((t2 - t1) * 1e9 / n_iter, (c1 - c0) / n_iter, n_iter)],
                 counters, label=label)
    ns.clear()


# --------------------------------------------------------------------------
# Presets

def sweep_bytes(lo, hi):
    """The C++ sweep's input sizes (2^k and 1.5*2^k bytes) within [lo, hi]."""
    sizes = set()
    k = 10
    while (1 << k) <= hi:
        for b in (1 << k, 3 << (k - 1)):
            if lo <= b <= hi:
                sizes.add(b)
        k += 1
    return sorted(sizes)


PRESETS = {
    # so_peers: whether Numba and PyTorch also run at 5000x5000 (their fresh
    # outputs page-fault 4 KiB pages there: about a second per call here).
    "quick": {
        "sizes": [256 * KiB, 4 * MiB], "size_dtypes": ("f32", "f64"),
        "so_dtypes": ("f64",), "so_peers": False, "repetitions": 3,
        "warmup": 1, "min_rep_ns": 2e6, "max_case_ns": 1e9, "replay": False,
    },
    "full": {
        "sizes": sweep_bytes(256 * KiB, 256 * MiB), "size_dtypes": ("f32", "f64"),
        "so_dtypes": ("f64", "f32"), "so_peers": True, "repetitions": 7,
        "warmup": 1, "min_rep_ns": 5e6, "max_case_ns": 1.5e9, "replay": False,
    },
    "so": {
        "sizes": [], "size_dtypes": (),
        "so_dtypes": ("f64", "f32"), "so_peers": True, "repetitions": 10,
        "warmup": 2, "min_rep_ns": 5e6, "max_case_ns": 6e9, "replay": True,
    },
}
MAX_ELEMENTS = 1 << 25


def fair_groups(preset, tiny):
    """[(dtype, n, shape, with_peers)] of the fair protocol, in run order."""
    p = PRESETS[preset]
    groups = []
    sizes = [8 * KiB] if tiny and p["sizes"] else p["sizes"]
    for dtype in p["size_dtypes"]:
        itemsize = 4 if dtype == "f32" else 8
        for b in sizes:
            n = b // itemsize
            if n <= MAX_ELEMENTS:
                groups.append((dtype, n, (n,), True))
    so_shape = (40, 50) if tiny else SO_SHAPE
    for dtype in p["so_dtypes"]:
        groups.append((dtype, so_shape[0] * so_shape[1], so_shape, p["so_peers"]))
    return groups


def group_cases(forms, dtype, n, shape, peers):
    """Cases of one size; peers: the optional forms to include ("numba",
    "torch", "ours")."""
    cases = numpy_cases(forms, dtype, n, shape)
    if "ours" in peers:
        cases += our_cases(dtype, n, shape)
    if "numba" in peers:
        cases += numba_cases(dtype, n, shape)
    if "torch" in peers:
        cases += torch_cases(dtype, n, shape)
    return cases


def installed(module):
    """Whether `module` can be found (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


# --------------------------------------------------------------------------
# Main

def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Python peer benchmark (NumPy, Numba, PyTorch) in Google Benchmark JSON.",
        epilog="Protocols and presets: see the module docstring.")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="full")
    ap.add_argument("--out", metavar="FILE",
                    help="write the JSON here (atomically); default stdout")
    ap.add_argument("--filter", metavar="REGEX", default=None,
                    help="run only benchmarks whose name matches (re.search)")
    rp = ap.add_mutually_exclusive_group()
    rp.add_argument("--replay", dest="replay", action="store_true", default=None,
                    help="include the StackOverflow replays (default only for --preset so)")
    rp.add_argument("--no-replay", dest="replay", action="store_false")
    ap.add_argument("--fresh-slices-iters", type=int, default=None, metavar="N",
                    help="n_iter of fresh-slices-answer (default 20, as written; "
                         "the rows record it in counter n_iter)")
    ap.add_argument("--repetitions", type=int, default=None,
                    help="override the preset's repetitions of fair rows")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kernels-lib", metavar="PATH", default=DEFAULT_KERNELS_LIB,
                    help="our kernels' C interface (default %(default)s); their "
                         "harness:python rows are skipped when it is missing")
    ap.add_argument("--list", action="store_true",
                    help="print the benchmark names and exit")
    ap.add_argument("--quiet", action="store_true", help="print nothing but errors")
    # Test-only: tiny arrays (8 KiB, 40x50) so the whole preset runs in seconds.
    ap.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.fresh_slices_iters is not None and args.fresh_slices_iters < 1:
        ap.error("--fresh-slices-iters must be >= 1")
    if args.repetitions is not None and args.repetitions < 1:
        ap.error("--repetitions must be >= 1")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    Log.quiet = args.quiet
    if np is None:
        Log.error("py_bench.py: NumPy is not importable by %s; run it with "
                  "/usr/bin/python3 (Debian's python3-numpy)" % sys.executable)
        return 1
    try:
        pattern = re.compile(args.filter) if args.filter else None
    except re.error as e:
        Log.error("py_bench.py: bad --filter: %s" % e)
        return 2
    wanted = (lambda name: True) if pattern is None else (lambda name: bool(pattern.search(name)))

    claims = load_claims()
    missing = {a["id"] for a in claims["answers"]} ^ set(REPLAYS)
    if missing:
        Log.error("py_bench.py: answers in so-claims.json and REPLAYS differ: %s"
                  % sorted(missing))
        return 1
    forms = numpy_formulations(claims)
    preset = PRESETS[args.preset]
    replay = preset["replay"] if args.replay is None else args.replay
    repetitions = args.repetitions or (3 if args.tiny else preset["repetitions"])
    scale = "tiny" if args.tiny else "normal"
    so_shape = (40, 50) if args.tiny else SO_SHAPE

    peers = {"ours"}
    for module, label in (("numba", "Numba"), ("torch", "PyTorch")):
        if installed(module):
            peers.add(module)
        else:
            Log.info("py_bench.py: skipping %s (module %s not found)" % (label, module))

    groups = fair_groups(args.preset, args.tiny)
    plan = []  # (dtype, n, shape, [cases])
    for dtype, n, shape, with_peers in groups:
        cases = [c for c in group_cases(forms, dtype, n, shape,
                                        peers if with_peers else set())
                 if wanted(c.name)]
        if cases:
            plan.append((dtype, n, shape, cases))
    # Import the peers the selected cases need; skip them if that fails.
    needed = {c.form for *_, cases in plan for c in cases} & {"numba", "torch"}
    unavailable = set()
    if any(c.form in OUR_FORMS for *_, cases in plan for c in cases) and \
            not args.list and load_ours(args.kernels_lib) is None:
        Log.info("py_bench.py: skipping our kernels (%s)" % _ours["error"])
        unavailable.update(OUR_FORMS)
    if "numba" in needed and not args.list and load_numba() is None:
        Log.info("py_bench.py: skipping Numba (%s)" % _numba_error)
        unavailable.add("numba")
    if "torch" in needed and not args.list and load_torch() is None:
        Log.info("py_bench.py: skipping PyTorch (%s)" % _torch_error)
        unavailable.add("torch")
    if unavailable:
        plan = [(d, n, sh, [c for c in cases if c.form not in unavailable])
                for d, n, sh, cases in plan]
        plan = [p for p in plan if p[3]]
    replay_plan = []
    if replay:
        for answer in claims["answers"]:
            names = [nm for _, nm in replay_names(answer["id"], so_shape) if wanted(nm)]
            if names:
                replay_plan.append((answer["id"], names))

    if args.list:
        for _, _, _, cases in plan:
            for c in cases:
                print(c.name)
        for _, names in replay_plan:
            for nm in names:
                print(nm)
        return 0
    total = sum(len(c) for *_, c in plan) + sum(len(nm) for _, nm in replay_plan)
    if total == 0:
        Log.error("py_bench.py: no benchmark matches --filter %r" % args.filter)
        return 2

    # Everything imported so far lives on: keep the collector, which runs
    # before each case, from scanning it again and again (30 ms a time with
    # PyTorch loaded).
    gc.collect()
    gc.freeze()
    rows = Rows()
    started = time.monotonic()
    rng = np.random.default_rng(args.seed)
    order_rng = random.Random(args.seed)
    done = 0
    for dtype, n, shape, cases in plan:
        base = make_input(rng, dtype, shape)
        results = run_group(cases, base, repetitions, preset["warmup"],
                            1e5 if args.tiny else preset["min_rep_ns"],
                            None if args.repetitions else preset["max_case_ns"],
                            order_rng)
        for case in cases:
            done += 1
            samples, wrong = results[case.name]
            if wrong:
                rows.add_error(case.name, wrong)
                Log.error("py_bench.py: %s: %s" % (case.name, wrong))
                continue
            rows.add(case.name, samples, relu_counters(n, case.ws_bytes()),
                     label=case.label)
            reals = [s[0] for s in samples]
            Log.info("[%d/%d] %-90s median %10.1f us  cv %5.1f%%  (%d x %d calls)" % (
                done, total, case.name, _median(reals) / 1e3, 100 * _cv(reals),
                len(samples), samples[0][2]))
        del base
        gc.collect()
    for answer_id, names in replay_plan:
        Log.info("replay %s" % answer_id)
        run_replay(answer_id, rows, so_shape, wanted, n_iter=(
            args.fresh_slices_iters if args.fresh_slices_iters
            else (3 if args.tiny else None)), seed=args.seed)
        done += len(names)
    Log.info("py_bench.py: %d benchmarks in %.1f s" % (done, time.monotonic() - started))

    result = {"context": make_context(args.preset, scale), "benchmarks": rows.rows}
    if args.out:
        try:
            write_json_atomic(args.out, result)
        except OSError as e:
            Log.error("py_bench.py: cannot write %s: %s" % (args.out, e))
            return 1
    else:
        json.dump(result, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
