"""Tests of scripts/py_bench.py: the JSON it writes, the fair and replay protocols, compare.py, atomic writes.

Run from the repository root with /usr/bin/python3 -m unittest discover -s tests/python.
Tiny arrays only (the hidden --tiny option): the whole file takes about 20 s.
"""

import gc
import importlib.util
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import datetime

try:
    import numpy
except ImportError:
    numpy = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "py_bench.py")
CLAIMS = os.path.join(ROOT, "scripts", "so-claims.json")
COMPARE = "/usr/share/benchmark/compare.py"
SHARED = "/work/shared"  # the project's shared inputs, where present

_module = None


def py_bench():
    """scripts/py_bench.py imported as a module (once)."""
    global _module
    if _module is None:
        # By name from scripts/, as numpy_semantics.py imports it: one module
        # instance per process (PyTorch's thread settings are process-wide).
        scripts = os.path.dirname(SCRIPT)
        if scripts not in sys.path:
            sys.path.insert(0, scripts)
        import py_bench as module
        _module = module
        _module.Log.quiet = True
    return _module


def run_script(*args, env=None, timeout=240):
    full_env = dict(os.environ)
    full_env["PYTHONDONTWRITEBYTECODE"] = "1"
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, SCRIPT] + list(args), cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


# The README's name grammar, written independently of py_bench.bench_name.
# "fn" is py_bench's extension for PyTorch rows (which function computed it).
KEY_ORDER = ["n", "shape", "out", "cache", "neg", "harness", "protocol", "fn"]
KEY_VALUE = {
    "n": r"[0-9]+",
    "shape": r"[0-9]+(x[0-9]+)+",
    "out": r"reuse|fresh|inplace",
    "cache": r"hot|cold",
    "neg": r"0|50|100",
    "harness": r"ring|bare|python",
    "protocol": r"fair|replay-[a-z0-9_-]+",
    "fn": r"[a-z_]+",
}
VARIANTS = {"maximum", "maximum_inplace", "multiply", "abs", "masked_assign",
            "broadcast_zeros"}
PY_FORMS = {"numpy", "numba", "torch"}
# Our kernels, called through kernels/relu_c_api.cc: always harness:python.
OUR_FORMS = {"scalar", "eigen", "highway"}


def parse_name(name):
    """(family, op, form, dtype, {key: value}); raises AssertionError if it breaks the grammar."""
    segs = name.split("/")
    assert len(segs) >= 4, name
    family, op, form, dtype = segs[:4]
    assert family in ("relu", "gen"), name
    if family == "relu":
        assert op in VARIANTS, name
    else:
        assert op == "random", name
    assert form in PY_FORMS | OUR_FORMS, name
    assert dtype in ("f32", "f64"), name
    keys = {}
    last = -1
    for seg in segs[4:]:
        key, sep, value = seg.partition(":")
        assert sep and key in KEY_VALUE, "unknown segment %r in %s" % (seg, name)
        assert re.fullmatch(KEY_VALUE[key], value), "bad value %r in %s" % (seg, name)
        idx = KEY_ORDER.index(key)
        assert idx > last, "key %r out of order in %s" % (key, name)
        last = idx
        keys[key] = value
    assert "n" in keys and "protocol" in keys, name
    assert (form in OUR_FORMS) == (keys.get("harness") == "python"), name
    if "shape" in keys:
        assert math.prod(int(d) for d in keys["shape"].split("x")) == int(keys["n"]), name
    return family, op, form, dtype, keys


def gb_median(v):
    return statistics.median(v)


STATS = {
    "mean": statistics.mean,
    "median": gb_median,
    "stddev": lambda v: statistics.stdev(v) if len(v) > 1 else 0.0,
    "cv": lambda v: statistics.stdev(v) / statistics.mean(v) if len(v) > 1 else 0.0,
    "min": min,
}
ROW_KEYS = ["name", "family_index", "per_family_instance_index", "run_name", "run_type",
            "repetitions", "threads", "iterations", "real_time", "cpu_time", "time_unit"]
COUNTERS = ["bytes_per_second", "items_per_second", "ws_bytes"]


class RecordingNumpy:
    """NumPy as the replayed answers see it, recording what the calls see.

    Delegates everything to numpy; records the fraction of negatives the
    first argument of every np.maximum call holds, and counts np.random.random.
    """

    def __init__(self):
        self.maximum_seen = []  # (inplace, negative fraction)
        self.random_calls = 0
        outer = self

        class Random:
            def __getattr__(self, name):
                return getattr(numpy.random, name)

            def random(self, *a, **k):
                outer.random_calls += 1
                return numpy.random.random(*a, **k)
        self.random = Random()

    def __getattr__(self, name):
        return getattr(numpy, name)

    def maximum(self, *args, **kwargs):
        x = args[0]
        inplace = len(args) == 3 and args[2] is x
        self.maximum_seen.append((inplace, float(numpy.mean(x < 0))))
        return numpy.maximum(*args, **kwargs)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class OutputTest(unittest.TestCase):
    """The JSON of a tiny 'so' run (fair rows of every peer, every replay) and a tiny 'quick' run."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="py_bench_test.")
        cls.so_path = os.path.join(cls.tmp, "so.json")
        cls.quick_path = os.path.join(cls.tmp, "quick.json")
        r = run_script("--preset", "so", "--tiny", "--out", cls.so_path)
        if r.returncode != 0:
            raise AssertionError("py_bench --preset so --tiny failed:\n" + r.stderr)
        cls.so_stderr = r.stderr
        # NumPy rows only: the so run above already covers the peers.
        r = run_script("--preset", "quick", "--tiny", "--quiet", "--filter", "/numpy/",
                       "--out", cls.quick_path)
        if r.returncode != 0:
            raise AssertionError("py_bench --preset quick --tiny failed:\n" + r.stderr)
        cls.quick_stderr = r.stderr
        with open(cls.so_path) as f:
            cls.so = json.load(f)
        with open(cls.quick_path) as f:
            cls.quick = json.load(f)
        with open(CLAIMS) as f:
            cls.claims = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def docs(self):
        return [("so", self.so), ("quick", self.quick)]

    def rows_by_run(self, doc):
        runs = {}
        for row in doc["benchmarks"]:
            runs.setdefault(row["run_name"], []).append(row)
        return runs

    def test_context_has_google_benchmark_keys_with_real_values(self):
        for label, doc in self.docs():
            ctx = doc["context"]
            with self.subTest(doc=label):
                datetime.fromisoformat(ctx["date"])
                self.assertEqual(ctx["host_name"], socket.gethostname())
                self.assertTrue(ctx["executable"].endswith("py_bench.py"))
                self.assertEqual(ctx["num_cpus"], os.cpu_count())
                self.assertIsInstance(ctx["mhz_per_cpu"], int)
                self.assertIsInstance(ctx["cpu_scaling_enabled"], bool)
                self.assertIsInstance(ctx["caches"], list)
                for cache in ctx["caches"]:
                    self.assertEqual(set(cache), {"type", "level", "size", "num_sharing"})
                self.assertEqual(len(ctx["load_avg"]), 3)
                self.assertEqual(ctx["library_build_type"], "release")
                self.assertEqual(ctx["numpy_version"], numpy.__version__)
                self.assertEqual(ctx["python_version"], ".".join(map(str, sys.version_info[:3])))
                for peer in ("numba_version", "torch_version"):
                    self.assertIsInstance(ctx[peer], str)
                    self.assertTrue(ctx[peer])
                self.assertIn("protocol:fair", ctx["protocol"])
                self.assertEqual(ctx["relu_preset"], label)
                self.assertIn(ctx["thp"], ("always", "madvise", "never", "unknown"))
                self.assertIn(ctx["numpy_madvise_hugepage"], ("on", "off", "unknown"))

    def test_every_row_has_the_google_benchmark_keys(self):
        for label, doc in self.docs():
            self.assertTrue(doc["benchmarks"])
            for row in doc["benchmarks"]:
                with self.subTest(doc=label, name=row["name"]):
                    for key in ROW_KEYS + COUNTERS:
                        self.assertIn(key, row)
                    self.assertEqual(row["threads"], 1)
                    self.assertEqual(row["time_unit"], "ns")
                    self.assertGreater(row["iterations"], 0)
                    if row["run_type"] == "iteration":
                        self.assertEqual(row["name"], row["run_name"])
                        self.assertIn("repetition_index", row)
                        self.assertGreater(row["real_time"], 0)
                        self.assertGreater(row["cpu_time"], 0)
                        # As the C++ suite: the working set per call over real time.
                        self.assertTrue(math.isclose(
                            row["bytes_per_second"], row["ws_bytes"] / row["real_time"] * 1e9,
                            rel_tol=1e-9))
                        n = int(parse_name(row["run_name"])[4]["n"])
                        self.assertTrue(math.isclose(
                            row["items_per_second"], n / row["real_time"] * 1e9, rel_tol=1e-9))
                    else:
                        self.assertEqual(row["run_type"], "aggregate")
                        self.assertNotIn("repetition_index", row)
                        self.assertEqual(row["name"],
                                         row["run_name"] + "_" + row["aggregate_name"])
                        self.assertEqual(row["aggregate_unit"],
                                         "percentage" if row["aggregate_name"] == "cv"
                                         else "time")

    def test_aggregates_match_the_repetitions(self):
        for label, doc in self.docs():
            for run_name, rows in self.rows_by_run(doc).items():
                with self.subTest(doc=label, run=run_name):
                    its = [r for r in rows if r["run_type"] == "iteration"]
                    aggs = {r["aggregate_name"]: r for r in rows if r["run_type"] == "aggregate"}
                    reps = its[0]["repetitions"]
                    self.assertEqual(len(its), reps)
                    self.assertEqual([r["repetition_index"] for r in its], list(range(reps)))
                    self.assertEqual(len({r["family_index"] for r in rows}), 1)
                    if reps < 2:
                        self.assertEqual(aggs, {})
                        continue
                    self.assertLessEqual({"mean", "median", "stddev", "cv"}, set(aggs))
                    for stat, agg in aggs.items():
                        self.assertEqual(agg["repetitions"], reps)
                        self.assertEqual(agg["iterations"], reps)
                        for key in ["real_time", "cpu_time"] + COUNTERS:
                            want = STATS[stat]([r[key] for r in its])
                            # A stddev of near-equal values loses digits to
                            # cancellation (1.2e-9 relative seen); a wrong
                            # aggregate is off by far more than 1e-6.
                            self.assertTrue(math.isclose(agg[key], want, rel_tol=1e-6,
                                                         abs_tol=1e-12),
                                            "%s %s: %r vs %r" % (stat, key, agg[key], want))
                    # cv is a fraction of the mean, not a time.
                    self.assertTrue(math.isclose(
                        aggs["cv"]["real_time"],
                        aggs["stddev"]["real_time"] / aggs["mean"]["real_time"], rel_tol=1e-9))

    def test_names_parse_by_the_grammar_and_are_unique(self):
        for label, doc in self.docs():
            seen = set()
            for row in doc["benchmarks"]:
                if row["run_type"] != "iteration":
                    continue
                with self.subTest(doc=label, name=row["name"]):
                    parse_name(row["name"])
                    key = (row["name"], row["repetition_index"])
                    self.assertNotIn(key, seen)
                    seen.add(key)

    def test_fair_rows_cover_every_variant_and_output_policy(self):
        for label, doc in self.docs():
            fair = {}
            for row in doc["benchmarks"]:
                family, op, form, dtype, keys = parse_name(row["run_name"])
                if keys["protocol"] != "fair":
                    continue
                with self.subTest(doc=label, name=row["run_name"]):
                    self.assertEqual(keys["cache"], "hot")
                    self.assertEqual(keys["neg"], "50")
                    if op in ("maximum_inplace", "masked_assign"):
                        self.assertEqual(keys["out"], "inplace")
                    else:
                        self.assertIn(keys["out"], ("fresh", "reuse"))
                    size = int(keys["n"]) * (4 if dtype == "f32" else 8)
                    ws = {"maximum_inplace": size, "masked_assign": size,
                          "broadcast_zeros": 3 * size}.get(op, 2 * size)
                    if form == "numba" and op == "broadcast_zeros":
                        ws = 2 * size + 4 * int(keys["n"])  # the seed's float32 zeros
                    if row["run_type"] == "iteration":
                        self.assertEqual(row["ws_bytes"], ws)
                    if form == "torch":
                        self.assertIn(keys.get("fn"), ("relu", "clamp_min"))
                    else:
                        self.assertNotIn("fn", keys)
                fair.setdefault((form, dtype, keys["n"]), set()).add((op, keys["out"]))
            numpy_sets = [v for (form, _, _), v in fair.items() if form == "numpy"]
            self.assertTrue(numpy_sets)
            for ops in numpy_sets:
                self.assertEqual(ops, {
                    ("maximum", "fresh"), ("maximum", "reuse"), ("maximum_inplace", "inplace"),
                    ("multiply", "fresh"), ("multiply", "reuse"), ("abs", "fresh"),
                    ("abs", "reuse"), ("masked_assign", "inplace"),
                    ("broadcast_zeros", "fresh"), ("broadcast_zeros", "reuse")})
        dtypes = {dtype for (form, dtype, n) in fair}
        self.assertEqual(dtypes, {"f32", "f64"})

    def test_our_kernels_run_under_this_harness(self):
        ours = [parse_name(r["run_name"]) for r in self.so["benchmarks"]
                if parse_name(r["run_name"])[2] in OUR_FORMS]
        self.assertTrue(self.so["context"]["relu_capi"].endswith("librelu_capi.so"),
                        self.so["context"]["relu_capi"])
        self.assertEqual({(op, form, keys["out"]) for _, op, form, _, keys in ours},
                         {(op, form, out) for form in OUR_FORMS
                          for op, out in (("maximum", "reuse"),
                                          ("maximum_inplace", "inplace"))})

    def test_peers_are_present_when_importable(self):
        for module, form in (("numba", "numba"), ("torch", "torch")):
            have = importlib.util.find_spec(module) is not None
            forms = {parse_name(r["run_name"])[2] for r in self.so["benchmarks"]}
            with self.subTest(peer=module):
                if have and self.so["context"][module + "_version"] != "not installed":
                    self.assertIn(form, forms)
                else:
                    self.assertNotIn(form, forms)

    def test_every_answer_is_replayed_with_what_it_reported(self):
        runs = self.rows_by_run(self.so)
        by_answer = {}
        for run_name, rows in runs.items():
            keys = parse_name(run_name)[4]
            if keys["protocol"].startswith("replay-"):
                by_answer.setdefault(keys["protocol"][len("replay-"):], []).append(rows)
        ids = [a["id"] for a in self.claims["answers"]]
        self.assertEqual(set(by_answer), set(ids))
        for answer in self.claims["answers"]:
            claimed = set(answer["timings_ms"]) - {"baseline_generation"}
            got = {parse_name(rows[0]["run_name"])[1] for rows in by_answer[answer["id"]]
                   if rows[0]["run_name"].startswith("relu/")}
            with self.subTest(answer=answer["id"]):
                self.assertEqual(got, claimed)
                for rows in by_answer[answer["id"]]:
                    its = [r for r in rows if r["run_type"] == "iteration"]
                    stat = its[0]["label"].split(":", 1)[1]
                    if stat == "row":
                        self.assertEqual(len(its), 1)
                        self.assertIn("n_iter", its[0])
                        continue
                    # %timeit -n10: 3 repeats (best of 3) or 7 (mean of 7).
                    self.assertEqual(its[0]["iterations"], 10)
                    self.assertEqual(len(its), 3 if stat == "min" else 7)
                    agg = [r for r in rows if r.get("aggregate_name") == stat]
                    self.assertEqual(len(agg), 1)
                    want = (min if stat == "min" else statistics.mean)(
                        [r["real_time"] for r in its])
                    self.assertTrue(math.isclose(agg[0]["real_time"], want, rel_tol=1e-12))
        gen = [n for n in runs if n.startswith("gen/random/numpy/f64/")]
        self.assertEqual(len(gen), 1)
        self.assertIn("protocol:replay-generation-included-answer", gen[0])

    def test_replays_keep_the_answers_statement_order_on_one_x(self):
        neg = {}
        last = {}
        for row in self.so["benchmarks"]:
            if row["run_type"] == "iteration" and "neg_pct_at_start" in row:
                _, op, _, _, keys = parse_name(row["run_name"])
                neg[(keys["protocol"], op)] = row["neg_pct_at_start"]
                last[(keys["protocol"], op)] = row["neg_pct_last_call"]
        # What the last timed call saw: nothing to rectify once an in-place
        # statement has run on the reused x.
        self.assertAlmostEqual(last[("replay-fancy-index-answer", "maximum")], 50, delta=10)
        for op in ("maximum_inplace", "multiply", "abs", "masked_assign"):
            self.assertEqual(last[("replay-fancy-index-answer", op)], 0, op)
        for op in ("maximum", "multiply", "abs"):
            self.assertAlmostEqual(last[("replay-inplace-answer", op)], 50, delta=10)
            self.assertAlmostEqual(last[("replay-first-answer", op)], 50, delta=10)
        self.assertEqual(last[("replay-inplace-answer", "maximum_inplace")], 0)
        for op in ("maximum", "maximum_inplace", "multiply", "abs", "masked_assign"):
            self.assertAlmostEqual(last[("replay-fresh-slices-answer", op)], 50, delta=10)
        # fancy-index-answer: max, in-place max, mul, abs, fancy index on one x.
        p = "replay-fancy-index-answer"
        self.assertAlmostEqual(neg[(p, "maximum")], 50, delta=10)
        self.assertAlmostEqual(neg[(p, "maximum_inplace")], 50, delta=10)
        for op in ("multiply", "abs", "masked_assign"):
            self.assertEqual(neg[(p, op)], 0, op)
        # inplace-answer: the in-place method comes last.
        p = "replay-inplace-answer"
        for op in ("maximum", "multiply", "abs", "maximum_inplace"):
            self.assertAlmostEqual(neg[(p, op)], 50, delta=10, msg=op)
        # fresh-slices-answer: every method starts from new data.
        for op in ("maximum", "maximum_inplace", "multiply", "abs", "masked_assign"):
            self.assertAlmostEqual(neg[("replay-fresh-slices-answer", op)], 50, delta=10)

    def test_quiet_prints_nothing(self):
        self.assertEqual(self.quick_stderr, "")
        self.assertIn("replay fancy-index-answer", self.so_stderr)

    def test_compare_py_reads_the_output(self):
        if not os.path.exists(COMPARE):
            self.skipTest(COMPARE + " not installed (libbenchmark-tools)")
        if importlib.util.find_spec("scipy") is None:
            self.skipTest("compare.py needs SciPy")
        r = subprocess.run([sys.executable, COMPARE, "benchmarks", self.quick_path,
                            self.so_path], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Rows both runs have (5000x5000 at test scale, f64 NumPy) are compared.
        common = "relu/maximum/numpy/f64/n:2000/shape:40x50/out:fresh/cache:hot/neg:50/protocol:fair"
        self.assertIn(common, r.stdout)
        self.assertIn(common + "_median", r.stdout)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class FairProtocolTest(unittest.TestCase):
    """In-process: what every timed call of the fair protocol sees."""

    def setUp(self):
        self.pb = py_bench()
        self.forms = self.pb.numpy_formulations(self.pb.load_claims())

    def cases(self, dtype, n, shape):
        peers = {m for m in ("numba", "torch") if importlib.util.find_spec(m) is not None}
        if self.pb.load_ours(self.pb.DEFAULT_KERNELS_LIB) is not None:
            peers.add("ours")
        cases = self.pb.group_cases(self.forms, dtype, n, shape, peers)
        usable = []
        for c in cases:
            if c.form == "numba" and self.pb.load_numba() is None:
                continue
            if c.form == "torch" and self.pb.load_torch() is None:
                continue
            usable.append(c)
        return usable

    def instrument(self, prep):
        """Wraps prep.call to record the fraction of negatives in its input at each call."""
        seen = []
        inner = prep.call
        x = prep.x

        def call():
            seen.append(float(numpy.mean(x < 0)))
            return inner()
        prep.call = call
        return seen

    def test_every_timed_inplace_call_sees_half_negatives(self):
        rng = numpy.random.default_rng(7)
        checked = set()
        for dtype in ("f32", "f64"):
            for shape in ((4096,), (40, 50)):
                n = math.prod(shape)
                base = self.pb.make_input(rng, dtype, shape)
                for case in self.cases(dtype, n, shape):
                    if not case.inplace:
                        continue
                    with self.subTest(case=case.name):
                        prep = self.pb.prepare(case, base)
                        seen = self.instrument(prep)
                        samples = self.pb.measure(prep, repetitions=3, warmup=2,
                                                  min_rep_ns=1)
                        # Two warm-up calls, or three when they are short.
                        timed = sum(s[2] for s in samples)
                        self.assertIn(len(seen) - timed, (2, 3))
                        for frac in seen:
                            self.assertGreater(frac, 0.4)
                            self.assertLess(frac, 0.6)
                        # The call really rectified its input: the restore matters.
                        self.assertEqual(int(numpy.count_nonzero(prep.x < 0)), 0)
                        checked.add((case.op, case.form))
        self.assertIn(("maximum_inplace", "numpy"), checked)
        self.assertIn(("masked_assign", "numpy"), checked)
        if self.pb.load_ours(self.pb.DEFAULT_KERNELS_LIB) is not None:
            self.assertIn(("maximum_inplace", "highway"), checked)

    def test_our_kernels_are_checked_after_timing(self):
        if self.pb.load_ours(self.pb.DEFAULT_KERNELS_LIB) is None:
            self.skipTest("our kernels' library is not built: %s" % self.pb._ours["error"])
        rng = numpy.random.default_rng(11)
        seen_forms = set()
        for dtype in ("f32", "f64"):
            base = self.pb.make_input(rng, dtype, (1000,))
            for case in self.pb.our_cases(dtype, 1000, (1000,)):
                with self.subTest(case=case.name):
                    self.assertIn("/harness:python/protocol:fair", case.name)
                    prep = self.pb.prepare(case, base)
                    self.pb.measure(prep, repetitions=2, warmup=1, min_rep_ns=1)
                    self.assertEqual(self.pb.check_ours(prep), "")
                    # A wrong element in the result is found and named.
                    x, o = prep.call.arrays
                    o[17] = -1.0
                    self.assertIn("element 17", self.pb.check_ours(prep))
                    seen_forms.add(case.form)
        self.assertEqual(seen_forms, {"scalar", "eigen", "highway"})

    def test_without_the_restore_the_check_would_fail(self):
        # The same instrumentation on the replayed answers' method (reused x,
        # no restore): every call after the first sees no negatives.
        rng = numpy.random.default_rng(8)
        base = self.pb.make_input(rng, "f64", (4096,))
        case = [c for c in self.cases("f64", 4096, (4096,))
                if c.op == "maximum_inplace" and c.form == "numpy"][0]
        prep = self.pb.prepare(case, base)
        prep.pristine = None
        seen = self.instrument(prep)
        self.pb.measure(prep, repetitions=2, warmup=1, min_rep_ns=1)
        self.assertGreater(seen[0], 0.4)
        self.assertEqual(set(seen[1:]), {0.0})

    def test_out_of_place_inputs_stay_pristine(self):
        rng = numpy.random.default_rng(9)
        for dtype in ("f32", "f64"):
            base = self.pb.make_input(rng, dtype, (3000,))
            before = base.copy()
            for case in self.cases(dtype, 3000, (3000,)):
                if case.inplace:
                    continue
                with self.subTest(case=case.name):
                    prep = self.pb.prepare(case, base)
                    self.assertIsNone(prep.pristine)
                    if case.form == "numpy":
                        self.assertFalse(prep.x.flags.writeable)
                    arrays = getattr(prep.call, "arrays", None)  # ours: (x, out)
                    seen = self.instrument(prep)
                    self.pb.measure(prep, repetitions=2, warmup=1, min_rep_ns=1)
                    self.assertTrue(all(0.4 < f < 0.6 for f in seen))
                    numpy.testing.assert_array_equal(prep.x, before)
                    result = numpy.asarray(prep.call())
                    if case.form in OUR_FORMS:  # C kernels write into out
                        result = arrays[1]
                    self.assertEqual(result.shape, (3000,))

    def test_group_repetitions_are_interleaved_and_slow_cases_capped(self):
        import random
        log = []

        def case(tag, sleep_ns=0):
            def build(x):
                def call():
                    log.append(tag)
                    if sleep_ns:
                        t = time.perf_counter_ns() + sleep_ns
                        while time.perf_counter_ns() < t:
                            pass
                return call
            return self.pb.Case("maximum", "numpy", "f64", 100, (100,), "reuse",
                                build, 2)
        cases = [case("a"), case("b"), case("slow", sleep_ns=2000000)]
        cases[1].name += "/b"  # distinct names for the results
        cases[2].name += "/slow"
        base = self.pb.make_input(numpy.random.default_rng(3), "f64", (100,))
        results = self.pb.run_group(cases, base, repetitions=6, warmup=1,
                                    min_rep_ns=1, max_case_ns=3e6,
                                    order_rng=random.Random(5))
        self.assertEqual(len(results[cases[0].name][0]), 6)
        self.assertEqual(len(results[cases[1].name][0]), 6)
        # 2 ms a call against a 3 ms budget: cut to the minimum of 3.
        self.assertEqual(len(results[cases[2].name][0]), 3)
        # Interleaved: "a" and "b" alternate in runs, not six in a row.
        fast = [t for t in log if t != "slow"]
        runs = sum(1 for i in range(1, len(fast)) if fast[i] != fast[i - 1]) + 1
        self.assertGreater(runs, 4)

    def test_measure_returns_per_call_times(self):
        rng = numpy.random.default_rng(10)
        base = self.pb.make_input(rng, "f64", (1000,))
        case = [c for c in self.cases("f64", 1000, (1000,))
                if c.op == "maximum" and c.form == "numpy" and c.out == "fresh"][0]
        prep = self.pb.prepare(case, base)
        samples = self.pb.measure(prep, repetitions=4, warmup=1, min_rep_ns=200000)
        self.assertEqual(len(samples), 4)
        for real, cpu, k in samples:
            self.assertGreater(k, 1)  # 1000 doubles take far less than 0.2 ms
            self.assertGreater(real, 0)
            self.assertLess(real, 200000)
            self.assertGreater(cpu, 0)
        # Slow cases are capped by max_case_ns but keep min_repetitions.
        samples = self.pb.measure(prep, repetitions=10, warmup=1, min_rep_ns=1,
                                  max_case_ns=1, min_repetitions=3)
        self.assertEqual(len(samples), 3)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class ReplayTest(unittest.TestCase):
    """In-process replays at 40x50 with an instrumented NumPy."""

    def setUp(self):
        self.pb = py_bench()

    def replay(self, answer_id, **kw):
        rec = RecordingNumpy()
        rows = self.pb.Rows()
        self.pb.run_replay(answer_id, rows, (40, 50), lambda name: True,
                           numpy_module=rec, **kw)
        gc.collect()
        return rec, rows.rows

    def test_inplace_answer_rectifies_x_on_its_first_call(self):
        rec, rows = self.replay("inplace-answer")
        inplace = [f for ip, f in rec.maximum_seen if ip]
        self.assertEqual(len(inplace), 3 * 10)
        self.assertGreater(inplace[0], 0.4)
        self.assertEqual(set(inplace[1:]), {0.0})
        # np.maximum(x, 0) ran before it, 30 times on the untouched x.
        out_of_place = [f for ip, f in rec.maximum_seen if not ip]
        self.assertEqual(len(out_of_place), 30)
        self.assertTrue(all(0.4 < f < 0.6 for f in out_of_place))

    def test_fancy_index_answer_times_later_methods_on_rectified_x(self):
        rec, rows = self.replay("fancy-index-answer")
        seen = rec.maximum_seen
        self.assertEqual(len(seen), 2 * 7 * 10)
        self.assertTrue(all(not ip and 0.4 < f < 0.6 for ip, f in seen[:70]))
        self.assertTrue(all(ip for ip, _ in seen[70:]))
        self.assertGreater(seen[70][1], 0.4)
        self.assertEqual({f for _, f in seen[71:]}, {0.0})
        names = [r["run_name"] for r in rows if r["run_type"] == "iteration"]
        ops = []
        for name in names:
            op = parse_name(name)[1]
            if op not in ops:
                ops.append(op)
        self.assertEqual(ops, ["maximum", "maximum_inplace", "multiply", "abs", "masked_assign"])

    def test_generation_included_answer_generates_inside_every_timed_call(self):
        rec, rows = self.replay("generation-included-answer")
        # 4 functions x 3 repeats x 10 loops, each generating its own x.
        self.assertEqual(rec.random_calls, 4 * 3 * 10)
        inplace = [f for ip, f in rec.maximum_seen if ip]
        self.assertEqual(len(inplace), 30)
        self.assertTrue(all(0.4 < f < 0.6 for f in inplace))

    def test_fresh_slices_answer_gives_every_call_new_data(self):
        rec, rows = self.replay("fresh-slices-answer", n_iter=4)
        self.assertEqual(rec.random_calls, 5)  # one array per method
        inplace = [f for ip, f in rec.maximum_seen if ip]
        self.assertEqual(len(inplace), 4)
        self.assertTrue(all(0.4 < f < 0.6 for f in inplace))
        self.assertTrue(all(r["n_iter"] == 4 for r in rows))

    def test_filter_runs_the_statements_before_a_wanted_one(self):
        # Only masked_assign wanted: the in-place statements before it still
        # run (as written), so it starts from a rectified x.
        rows = self.pb.Rows()
        rec = RecordingNumpy()
        self.pb.run_replay("fancy-index-answer", rows, (40, 50),
                           lambda name: "/masked_assign/" in name, numpy_module=rec)
        names = {r["run_name"] for r in rows.rows}
        self.assertEqual(len(names), 1)
        self.assertIn("/masked_assign/", names.pop())
        self.assertEqual(rows.rows[0]["neg_pct_at_start"], 0.0)
        self.assertEqual(len(rec.maximum_seen), 140)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class FormulationTest(unittest.TestCase):

    def setUp(self):
        self.pb = py_bench()
        self.claims = self.pb.load_claims()
        self.forms = self.pb.numpy_formulations(self.claims)

    def data(self, dtype):
        rng = numpy.random.default_rng(3)
        x = (rng.random(1003) - 0.5).astype(dtype)
        edge = numpy.array([numpy.nan, -numpy.nan, 0.0, -0.0, numpy.inf, -numpy.inf, 1, -1,
                            numpy.finfo(dtype).max, -numpy.finfo(dtype).max,
                            numpy.finfo(dtype).smallest_subnormal,
                            -numpy.finfo(dtype).smallest_subnormal,
                            numpy.finfo(dtype).max / 2,
                            numpy.nextafter(numpy.finfo(dtype).max / 2, numpy.inf)],
                           dtype=dtype)
        return numpy.concatenate([x, edge, x[:7]])

    @staticmethod
    def same(a, b):
        both_nan = numpy.isnan(a) & numpy.isnan(b)
        bits = a.view(numpy.uint8).reshape(a.size, -1) == b.view(numpy.uint8).reshape(b.size, -1)
        return bool(numpy.all(both_nan | bits.all(axis=1)))

    def test_formulations_are_the_claims_text(self):
        self.assertEqual(set(self.claims["variants"]), set(self.pb.VARIANT_OUT))
        for variant, fn in self.forms.items():
            self.assertEqual(fn.relu_source, self.claims["variants"][variant])

    def test_formulations_compute_relu(self):
        # Independent spellings of the same six formulations.
        expected = {
            "maximum": lambda x: numpy.maximum(x, 0),
            "maximum_inplace": lambda x: numpy.maximum(x, 0),
            "multiply": lambda x: x * (x > 0),
            "abs": lambda x: (numpy.abs(x) + x) / 2,
            "masked_assign": lambda x: numpy.where(x < 0, numpy.zeros_like(x), x),
            "broadcast_zeros": lambda x: numpy.maximum(numpy.zeros_like(x), x),
        }
        with numpy.errstate(all="ignore"):
            for dtype in (numpy.float32, numpy.float64):
                for variant, fn in self.forms.items():
                    with self.subTest(variant=variant, dtype=dtype.__name__):
                        x = self.data(dtype)
                        want = expected[variant](x.copy())
                        y = x.copy()
                        got = numpy.asarray(fn(y))
                        self.assertEqual(got.dtype, dtype)
                        self.assertTrue(self.same(got, want))
                        if self.pb.VARIANT_OUT[variant] == "inplace":
                            self.assertIs(got, y)
                        else:
                            self.assertTrue(self.same(y, x))  # input untouched

    def test_reuse_forms_equal_the_formulations_bit_for_bit(self):
        with numpy.errstate(all="ignore"):
            for dtype in (numpy.float32, numpy.float64):
                for variant, g in self.pb.REUSE_FORMS.items():
                    with self.subTest(variant=variant, dtype=dtype.__name__):
                        x = self.data(dtype)
                        o = numpy.full_like(x, 7)
                        args = (x, o) + ((numpy.zeros_like(x),)
                                         if variant == "broadcast_zeros" else ())
                        got = g(*args)
                        self.assertIs(got, o)
                        self.assertTrue(self.same(o, self.forms[variant](x.copy())))


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class CommandLineTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="py_bench_cli.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_atomic_write_keeps_the_old_file_on_error(self):
        pb = py_bench()
        path = os.path.join(self.tmp, "out.json")
        with open(path, "w") as f:
            f.write("old")
        with self.assertRaises(TypeError):
            pb.write_json_atomic(path, {"benchmarks": [1, 2, object()]})
        with self.assertRaises(ValueError):
            pb.write_json_atomic(path, {"real_time": float("nan")})
        with open(path) as f:
            self.assertEqual(f.read(), "old")
        self.assertEqual(os.listdir(self.tmp), ["out.json"])
        pb.write_json_atomic(path, {"ok": 1})
        with open(path) as f:
            self.assertEqual(json.load(f), {"ok": 1})
        self.assertEqual(os.listdir(self.tmp), ["out.json"])

    def test_filter_selects_rows_and_an_empty_selection_writes_nothing(self):
        path = os.path.join(self.tmp, "f.json")
        r = run_script("--preset", "quick", "--tiny", "--filter", r"^relu/maximum_inplace/numpy/",
                       "--out", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(path) as f:
            doc = json.load(f)
        names = {row["run_name"] for row in doc["benchmarks"]}
        self.assertTrue(names)
        self.assertTrue(all(n.startswith("relu/maximum_inplace/numpy/") for n in names))
        before = os.stat(path)
        r = run_script("--preset", "quick", "--tiny", "--filter", "no-such-benchmark",
                       "--out", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("no benchmark matches", r.stderr)
        self.assertEqual(os.stat(path).st_mtime_ns, before.st_mtime_ns)
        with open(path) as f:
            self.assertEqual(json.load(f), doc)

    def test_unwritable_output_is_an_error_and_leaves_nothing(self):
        path = os.path.join(self.tmp, "missing-dir", "x.json")
        r = run_script("--preset", "quick", "--tiny", "--quiet", "--filter",
                       r"^relu/maximum/numpy/f64/n:1024/out:fresh", "--out", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot write", r.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(path)))

    def test_missing_peers_are_skipped_with_a_message(self):
        fake = os.path.join(self.tmp, "fake")
        os.mkdir(fake)
        for module in ("numba", "torch"):
            with open(os.path.join(fake, module + ".py"), "w") as f:
                f.write("raise ImportError('%s hidden by the test')\n" % module)
        path = os.path.join(self.tmp, "p.json")
        missing_lib = os.path.join(self.tmp, "no-such-lib.so")
        r = run_script("--preset", "quick", "--tiny", "--filter", "/f64/n:1024/",
                       "--out", path, "--kernels-lib", missing_lib,
                       env={"PYTHONPATH": fake})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("skipping Numba (ImportError: numba hidden by the test)", r.stderr)
        self.assertIn("skipping PyTorch (ImportError: torch hidden by the test)", r.stderr)
        self.assertIn("skipping our kernels (%s not found" % missing_lib, r.stderr)
        with open(path) as f:
            doc = json.load(f)
        self.assertEqual(doc["context"]["numba_version"], "not installed")
        self.assertEqual(doc["context"]["torch_version"], "not installed")
        forms = {row["run_name"].split("/")[2] for row in doc["benchmarks"]}
        self.assertEqual(forms, {"numpy"})

    def test_presets_sizes_follow_the_cpp_sweep(self):
        pb = py_bench()
        groups = pb.fair_groups("full", tiny=False)
        for dtype in ("f32", "f64"):
            size = 4 if dtype == "f32" else 8
            ns = sorted(n for d, n, shape, _ in groups if d == dtype and len(shape) == 1)
            # 2^k and 1.5 * 2^k bytes from 256 KiB, at most 256 MiB and 2^25 elements.
            want = sorted(b // size for b in
                          [1 << k for k in range(18, 29)] + [3 << (k - 1) for k in range(18, 28)]
                          if b // size <= 1 << 25)
            self.assertEqual(ns, want)
            self.assertIn((dtype, 25000000, (5000, 5000), True), groups)
        so = pb.fair_groups("so", tiny=False)
        self.assertEqual({(d, shape) for d, _, shape, _ in so},
                         {("f64", (5000, 5000)), ("f32", (5000, 5000))})

    def test_list_names_parse(self):
        for preset in ("quick", "full", "so"):
            r = run_script("--preset", preset, "--list")
            self.assertEqual(r.returncode, 0, r.stderr)
            names = r.stdout.split()
            self.assertTrue(names)
            self.assertEqual(len(names), len(set(names)))
            for name in names:
                parse_name(name)
            if preset == "so":
                self.assertIn("gen/random/numpy/f64/n:25000000/shape:5000x5000/"
                              "protocol:replay-generation-included-answer", names)
                self.assertIn("relu/maximum/numpy/f64/n:25000000/shape:5000x5000/out:fresh/"
                              "cache:hot/neg:50/protocol:fair", names)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class SourcesTest(unittest.TestCase):
    """The replays are the answers' code: checked against the seeds where they are present."""

    def test_claims_are_a_verbatim_copy(self):
        shared = os.path.join(SHARED, "so-claims.json")
        if not os.path.exists(shared):
            self.skipTest(shared + " not present (outside the project's workspace)")
        with open(shared, "rb") as a, open(CLAIMS, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_replayed_code_appears_in_the_seeds(self):
        seeds = os.path.join(SHARED, "seeds")
        if not os.path.isdir(seeds):
            self.skipTest(seeds + " not present (outside the project's workspace)")
        text = ""
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), encoding="utf-8") as f:
                text += f.read() + "\n"
        pb = py_bench()
        self.assertEqual(set(pb.REPLAYS), {a["id"] for a in pb.load_claims()["answers"]})
        for answer_id, spec in pb.REPLAYS.items():
            with self.subTest(answer=answer_id):
                pieces = []
                if "setup" in spec:
                    pieces.append(spec["setup"])
                if "code" in spec:
                    pieces += [blk for blk in spec["code"].strip().split("\n\n") if blk.strip()]
                for op, stmt in spec.get("statements", []):
                    pieces.append(stmt)
                    # The inplace-answer showed only its timings; its
                    # statement is in its text, not after %timeit.
                    if spec["kind"] != "slices" and (answer_id, op) != (
                            "inplace-answer", "maximum_inplace"):
                        pieces.append("%timeit -n10 " + stmt)
                for piece in pieces:
                    self.assertIn(piece.strip(), text)


if __name__ == "__main__":
    unittest.main()
