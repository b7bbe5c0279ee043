"""Tests of scripts/py_bench.py and scripts/relu/: the JSON, the paired rounds on the suite's rings, the statistics against scipy, the replays, the command line.

Run from the repository root with /usr/bin/python3 -m unittest discover -s tests/python.
Tiny arrays only (the hidden --tiny option). RELU_KERNELS_LIB names librelu_capi
(ctest sets it); without it the build/ default is used.
"""

import gc
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unittest

try:
    import numpy
except ImportError:
    numpy = None

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "py_bench.py")
COMPARE = "/usr/share/benchmark/compare.py"
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from relu import capi, gbjson, harness, peers, replays, vocab  # noqa: E402

LIB_PATH = os.environ.get("RELU_KERNELS_LIB") or capi.DEFAULT_PATH
HAVE_LIB = os.path.exists(LIB_PATH)


def run_script(*args, timeout=240):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", RELU_KERNELS_LIB=LIB_PATH)
    return subprocess.run([sys.executable, SCRIPT] + list(args), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


# The README's name grammar, from the vocabulary's key list but parsed here
# independently of the code that builds names.
KEY_ORDER = [k["name"] for k in vocab.keys()]
KEY_VALUE = {
    "count": r"[0-9]+", "shape": r"[0-9]+(x[0-9]+)+", "number": r"-?[0-9.e+-]+",
    "text": r"[A-Za-z0-9_.-]+",
}


def parse_name(name):
    """(family, op, form, dtype, {key: value}); AssertionError when it breaks the grammar."""
    segs = name.split("/")
    assert len(segs) >= 4, name
    family, op, form, dtype = segs[:4]
    assert family in ("relu", "gen", "copy"), name
    if family == "relu":
        assert op in vocab.variant_names(), name
    assert dtype in ("f32", "f64"), name
    keys, last = {}, -1
    for seg in segs[4:]:
        key, sep, value = seg.partition(":")
        assert sep and key in KEY_ORDER, "unknown segment %r in %s" % (seg, name)
        k = vocab.key(key)
        pattern = ("|".join(k["values"]) if k["kind"] == "choice"
                   else KEY_VALUE[k["kind"]])
        if key == "protocol":
            pattern = r"fair|replay-[a-z0-9-]+"
        assert re.fullmatch(pattern, value), "bad value %r in %s" % (seg, name)
        assert KEY_ORDER.index(key) > last, "key %r out of order in %s" % (key, name)
        last = KEY_ORDER.index(key)
        keys[key] = value
    assert "n" in keys and "protocol" in keys, name
    if "shape" in keys:
        assert math.prod(int(d) for d in keys["shape"].split("x")) == int(keys["n"]), name
    return family, op, form, dtype, keys


@unittest.skipIf(numpy is None or not HAVE_LIB, "needs NumPy and librelu_capi")
class OutputTest(unittest.TestCase):
    """The JSON of a tiny 'so' run (every row kind and every replay)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="py_bench_test.")
        cls.path = os.path.join(cls.tmp, "so.json")
        r = run_script("--tiny", "--preset", "so", "--out", cls.path,
                       "--fresh-slices-iters", "3")
        if r.returncode != 0:
            raise AssertionError("py_bench.py failed:\n" + r.stderr)
        cls.stderr = r.stderr
        with open(cls.path) as f:
            cls.doc = json.load(f)
        cls.rows = cls.doc["benchmarks"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_context_records_the_machine_and_the_harness_overhead(self):
        ctx = self.doc["context"]
        for key in ("date", "host_name", "num_cpus", "caches", "numpy_version",
                    "protocol", "hwy_target", "quality_steal_pct",
                    "quality_busy_processes", "harness_ctypes_overhead_ns",
                    "harness_loop_overhead_ns"):
            self.assertIn(key, ctx)
        self.assertGreater(float(ctx["harness_ctypes_overhead_ns"]), 0)
        self.assertLess(float(ctx["harness_ctypes_overhead_ns"]), 20000)

    def test_no_row_errored(self):
        errors = [r["name"] + ": " + r["error_message"] for r in self.rows
                  if r.get("error_occurred")]
        self.assertEqual(errors, [])

    def test_every_round_is_a_row_and_the_aggregates_match(self):
        by_name = {}
        for r in self.rows:
            by_name.setdefault(r["run_name"], []).append(r)
        checked = 0
        for name, rows in by_name.items():
            its = [r for r in rows if r["run_type"] == "iteration"]
            aggs = {r["aggregate_name"]: r for r in rows if r["run_type"] == "aggregate"}
            if "/protocol:fair" not in name:
                continue
            self.assertEqual([r["repetition_index"] for r in its], list(range(len(its))))
            self.assertTrue(all(r["repetitions"] == len(its) for r in its))
            t = [r["real_time"] for r in its]
            self.assertAlmostEqual(aggs["median"]["real_time"], statistics.median(t),
                                   delta=1e-9 * max(t))
            self.assertAlmostEqual(aggs["mean"]["real_time"], statistics.mean(t),
                                   delta=1e-9 * max(t))
            self.assertEqual(aggs["cv"]["aggregate_unit"], "percentage")
            for r in its:
                self.assertGreater(r["bytes_per_second"], 0)
                self.assertIn("group_widest_pct", r)
                self.assertIn("harness_overhead_ns", r)
            checked += 1
        self.assertGreater(checked, 50)

    def test_groups_with_two_thread_rows_record_the_core_round_trip(self):
        if len(os.sched_getaffinity(0)) < 2:
            self.skipTest("one CPU: nothing to measure")
        its = [r for r in self.rows if r["run_type"] == "iteration"
               and "/protocol:fair" in r["run_name"]]
        groups = {}
        for r in its:
            # A group: one dtype, size, state and share of negatives (prelu
            # rows name a rows x channels shape within their size's group).
            name = r["run_name"]
            key = "/".join([name.split("/")[3]] + re.findall(
                r"/((?:n|state|neg):[^/]*)", name))
            groups.setdefault(key, []).append(r)
        with_two = 0
        for key, rows in groups.items():
            two = any("/threads:2" in r["run_name"] for r in rows)
            rtts = {r.get("group_core_rtt_ns") for r in rows}
            # Each round's own, the same for every row of that round.
            by_round = {}
            for r in rows:
                by_round.setdefault(r["repetition_index"], set()).add(
                    (r.get("round_core_rtt_ns"), r.get("round_core_rtt_end_ns")))
            if two:
                with_two += 1
                self.assertEqual(len(rtts), 1, key)
                self.assertGreater(rtts.pop(), 0, key)
                for i, values in by_round.items():
                    self.assertEqual(len(values), 1, (key, i))
                    start, end = values.pop()
                    self.assertGreater(start, 0, (key, i))
                    self.assertGreater(end, 0, (key, i))
            else:
                self.assertEqual(rtts, {None}, key)
                self.assertEqual(set().union(*by_round.values()),
                                 {(None, None)}, key)
        self.assertGreater(with_two, 0)

    def test_names_parse_by_the_grammar_and_are_unique(self):
        names = {r["run_name"] for r in self.rows}
        for name in names:
            parse_name(name)
        iteration_names = [r["name"] for r in self.rows if r["run_type"] == "iteration"
                           and r.get("repetition_index", 0) == 0]
        self.assertEqual(len(iteration_names), len(set(iteration_names)))

    def test_rows_cover_every_variant_form_and_copy(self):
        names = {r["run_name"] for r in self.rows if "/protocol:fair" in r["run_name"]}
        parsed = [parse_name(n) for n in names]
        for v in vocab.variants():
            numpy_outs = {k["out"] for f, op, form, d, k in parsed
                          if op == v["name"] and form == "numpy"}
            want = {"inplace" if vocab.in_place(v) else "fresh"}
            if v["numpy_out"]:
                want.add("reuse")
            self.assertEqual(numpy_outs, want, v["name"])
            self.assertTrue(any(op == v["name"] and form == "highway"
                                and k.get("harness") == "python"
                                for f, op, form, d, k in parsed), v["name"])
        for c in vocab.copies():
            self.assertTrue(any(f == "copy" and op == c["method"] for f, op, *_ in parsed))
        threads = {k["threads"] for *_, k in parsed}
        self.assertEqual(threads, {"1", "2"})

    def test_peers_are_present_when_importable(self):
        forms = {parse_name(r["run_name"])[2] for r in self.rows}
        for p in peers.PEERS:
            if p.installed():
                self.assertIn(p.form, forms)

    def test_every_answer_is_replayed_with_what_it_reported(self):
        claims = replays.load_claims()
        for a in claims["answers"]:
            rows = [r for r in self.rows if "protocol:replay-" + a["id"] in r["run_name"]]
            self.assertTrue(rows, a["id"])
            self.assertTrue(all(r["label"] == "reported:" + a["replay"]["reported"]
                                for r in rows))

    def test_compare_py_reads_the_output(self):
        if not os.path.exists(COMPARE):
            self.skipTest(COMPARE + " not installed (libbenchmark-tools)")
        r = subprocess.run(["/usr/bin/python3", COMPARE, "benchmarks", self.path,
                            self.path], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("relu/maximum/numpy/f64", r.stdout)
        self.assertIn("U Test", r.stdout)


class RecordingRow:
    """What a probe call saw: the share of negatives in its input."""
    seen = []
    order = []


@unittest.skipIf(numpy is None or not HAVE_LIB, "needs NumPy and librelu_capi")
class HarnessTest(unittest.TestCase):
    """The paired rounds in process, on the suite's rings, with probe rows."""

    @classmethod
    def setUpClass(cls):
        cls.lib = capi.Lib(LIB_PATH)

    def group(self, n=4096, state="producer"):
        return harness.Group(numpy, self.lib, "f64", (n,), state)

    def probe_row(self, g, variant, tag, wrong=False, writes_input=False):
        v = vocab.variant(variant)
        out = "inplace" if vocab.in_place(v) else "reuse"

        def make(slot):
            x = slot.x
            if not vocab.in_place(v):
                x = slot.x.view()
                x.flags.writeable = False

            def call():
                RecordingRow.seen.append(float(numpy.mean(x < 0)))
                RecordingRow.order.append(tag)
                if vocab.in_place(v):
                    numpy.maximum(x, 0, x)
                    if wrong:
                        x[0] = -1.0
                else:
                    if writes_input:
                        x[0] = 0.0
                    numpy.maximum(x, 0, out=slot.out)
            return call
        name = "relu/%s/numpy/f64/n:%d/out:%s/state:%s/neg:50/threads:1/protocol:fair/fn:%s" % (
            variant, g.n, out, g.state, tag)
        desc = "relu|%s|numpy|%s|1||python|%s||0|%d" % (variant, out, tag,
                                                       1 if vocab.in_place(v) else 0)
        return harness.Row(name, desc, ("relu", variant), v, out, 1, make, "numpy")

    def run_group(self, g, rounds=4):
        RecordingRow.seen = []
        RecordingRow.order = []
        g.run(harness.Budget(min_rounds=rounds, max_rounds=rounds, max_seconds=30,
                             sample_seconds=2e-5), seed=3)

    def test_every_timed_inplace_call_sees_pristine_input(self):
        g = self.group()
        g.rows = [self.probe_row(g, "maximum_inplace", "a")]
        self.run_group(g, rounds=10)
        self.assertEqual(g.rows[0].error, "")
        self.assertGreater(len(RecordingRow.seen), 10)
        for f in RecordingRow.seen:
            self.assertTrue(0.45 < f < 0.55, f)

    def test_a_wrong_result_is_an_error(self):
        g = self.group()
        g.rows = [self.probe_row(g, "maximum_inplace", "a", wrong=True)]
        self.run_group(g)
        self.assertIn("differs from the scalar reference", g.rows[0].error)

    def test_an_out_of_place_call_that_writes_its_input_fails(self):
        g = self.group()
        g.rows = [self.probe_row(g, "maximum", "a", writes_input=True)]
        self.run_group(g)
        self.assertIn("read-only", g.rows[0].error)

    def test_rounds_are_shuffled_and_every_row_sampled_each_round(self):
        g = self.group(n=1 << 17)  # one slot: one call per sample
        g.rows = [self.probe_row(g, "maximum", t) for t in "abc"]
        self.run_group(g, rounds=10)
        for r in g.rows:
            self.assertEqual(len(r.samples), 10)
        calls = g.rows[0].batches  # calls per sample of each row (one slot)
        timed = RecordingRow.order[-(3 * 10 + 3):-3]  # drop warm-up and checks
        firsts = {timed[i] for i in range(0, len(timed), 3 * calls)}
        self.assertGreater(len(firsts), 1)

    def test_one_thread_rows_take_turns_batch_by_batch(self):
        # bench/rounds.cc: producer and dram rows take turns within the
        # round; resident rows keep their samples whole.
        for state in ("producer", "dram", "resident"):
            g = self.group(n=1 << 12, state=state)
            g.rows = [self.probe_row(g, "maximum", t) for t in "ab"]
            RecordingRow.order = []
            g.run(harness.Budget(min_rounds=4, max_rounds=4, max_seconds=30,
                                 sample_seconds=2e-3), seed=3)
            b = min(r.batches for r in g.rows)
            self.assertGreaterEqual(b, 4, state)
            for r in g.rows:
                self.assertEqual(len(r.samples), 4)
            o = RecordingRow.order
            switches = sum(1 for i in range(1, len(o)) if o[i] != o[i - 1])
            if state == "resident":
                self.assertLessEqual(switches, 2 * 4 + 6, state)
            else:
                self.assertGreaterEqual(switches, 4 * b // 2, state)

    def test_rows_that_allocate_or_run_on_two_threads_keep_samples_whole(self):
        # bench/rounds.cc, TakesTurns.
        g = self.group()
        row = self.probe_row(g, "maximum", "a")
        self.assertTrue(g._takes_turns(row))
        row.out = "fresh"
        self.assertFalse(g._takes_turns(row))
        row.out, row.threads = "reuse", 2
        self.assertFalse(g._takes_turns(row))
        self.assertFalse(self.group(state="resident")._takes_turns(
            self.probe_row(g, "maximum", "b")))

    def test_a_sample_is_the_median_of_its_batches(self):
        # One held-up batch of four does not move the sample.
        self.assertEqual(harness.sample_of([100, 104, 5000, 102], 2), 51.5)
        self.assertEqual(harness.sample_of([7], 7), 1)

    def test_resident_refuses_in_place_rows(self):
        g = self.group(state="resident")
        g.rows = [self.probe_row(g, "maximum_inplace", "a")]
        self.run_group(g)
        self.assertIn("cannot be prepared", g.rows[0].error)

    def test_rows_checked_against_c_timed_twins_get_a_floor_from_the_rounds(self):
        from relu import groups
        g = self.group(n=1 << 15)
        numpy_row = self.probe_row(g, "maximum", "a")
        ours = groups.our_rows(g, vocab.variant("maximum"),
                               ["highway", "scalar"], (1,))
        ctimed = groups.ctimed_row(g, ours[0])
        g.rows = [numpy_row] + ours + [ctimed]
        self.run_group(g, rounds=6)
        for r in g.rows:
            self.assertEqual(r.error, "", r.name)
        # Only the checked row (Highway, with its C-timed twin) has one.
        self.assertIsNone(numpy_row.floor_ns)
        self.assertIsNone(ours[1].floor_ns)
        self.assertIsNone(ctimed.floor_ns)
        self.assertGreater(ours[0].floor_ns, 0)
        # The floor runs the kernel but takes off the time inside it: at
        # 256 KiB the kernel is most of the row, so the floor is well below
        # it (without the subtraction it would be the row's time).
        self.assertLess(ours[0].floor_ns, 0.5 * harness._median(ours[0].samples))

    def test_a_c_timed_row_runs_in_the_rounds_beside_its_twin(self):
        from relu import groups
        g = self.group(n=1 << 15)
        ours = groups.our_rows(g, vocab.variant("maximum_inplace"),
                               ["highway"], (1,))
        ctimed = groups.ctimed_row(g, ours[0])
        self.assertIn("/harness:ctimed/", ctimed.name)
        parse_name(ctimed.name)
        g.rows = ours + [ctimed]
        self.run_group(g, rounds=5)
        self.assertEqual(ctimed.error, "")  # verified: it rectified the ring
        self.assertEqual(ctimed.batches, ours[0].batches)
        self.assertEqual(len(ctimed.samples), 5)
        self.assertTrue(all(t > 0 for t in ctimed.samples))
        self.assertIsNone(ctimed.floor_ns)  # its clock is read in C

    def test_a_c_timed_row_runs_beside_its_twin_each_round(self):
        class R:
            def __init__(self, name, twin=None):
                self.name = name
                self.twin = twin
        rows = [R(n) for n in "abcde"]
        c = R("c-timed", twin=rows[2])
        rng = random.Random(5)
        for r in range(6):
            order = rows + [c]
            rng.shuffle(order)
            out = harness.beside_twins(order, r)
            self.assertEqual(sorted(x.name for x in out),
                             sorted(x.name for x in order))
            i = out.index(rows[2])
            if r % 2:
                self.assertIs(out[i - 1], c)
            else:
                self.assertIs(out[i + 1], c)
            # The others keep their shuffled order.
            self.assertEqual([x for x in out if x.name in "abde"],
                             [x for x in order if x.name in "abde"])

    def test_a_c_timed_row_without_its_twin_is_left_out(self):
        r = run_script("--tiny", "--preset", "so", "--list",
                       "--filter", "harness:ctimed")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [])
        r = run_script("--tiny", "--preset", "so", "--list",
                       "--filter", "maximum_inplace/highway/f64")
        self.assertEqual(r.returncode, 0, r.stderr)
        harnesses = [n.split("/harness:")[1].split("/")[0]
                     for n in r.stdout.split() if "/threads:1/" in n]
        self.assertGreater(len(harnesses), 0)
        self.assertEqual(harnesses.count("ctimed"), harnesses.count("python"))

    def test_a_c_timed_batch_runs_the_calls_on_the_ring(self):
        ring = self.lib.ring("relu", "maximum_inplace", "f64", 4096, 0, 50)
        h = self.lib.call_handle("maximum_inplace", "highway", "f64")
        try:
            seconds = self.lib.lib.relu_ring_time_batch(ring, h, b"producer")
            self.assertGreater(seconds, 0)
            x = numpy.frombuffer((__import__("ctypes").c_double * 4096).from_address(
                self.lib.lib.relu_ring_in(ring, 0)), dtype=numpy.float64)
            self.assertEqual(int((x < 0).sum()), 0)  # the calls rectified it
            self.assertLess(self.lib.lib.relu_ring_time_batch(ring, h, b"resident"), 0)
        finally:
            self.lib.lib.relu_call_release(h)
            self.lib.lib.relu_ring_release(ring)

    def test_the_harness_measures_its_own_overhead(self):
        g = self.group()
        best = g.measure_overhead()
        self.assertGreater(best["ctypes"], 0)
        self.assertGreater(best["loop"], 0)
        self.assertLess(best["loop"], 10000)


@unittest.skipIf(numpy is None or not HAVE_LIB, "needs NumPy and librelu_capi")
class StatsAgainstScipyTest(unittest.TestCase):
    """stats/stats.cc through the C interface, against scipy on the same samples."""

    @classmethod
    def setUpClass(cls):
        try:
            import scipy.stats  # noqa: F401
        except ImportError:
            raise unittest.SkipTest("no scipy")
        cls.lib = capi.Lib(LIB_PATH)

    def samples(self, seed, n, shift=1.0, spread=0.05):
        rng = random.Random(seed)
        a = [math.exp(rng.gauss(0, spread)) * shift for _ in range(n)]
        b = [math.exp(rng.gauss(0, spread)) for _ in range(n)]
        return a, b

    def test_hodges_lehmann_estimate_is_the_median_of_walsh_averages(self):
        a, b = self.samples(1, 25, 1.1)
        d = [math.log(x / y) for x, y in zip(a, b)]
        walsh = [(d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d))]
        est, lo, hi, ok = self.lib.paired_ratio(a, b)
        self.assertTrue(ok)
        self.assertAlmostEqual(math.log(est), statistics.median(walsh), places=12)
        self.assertLess(lo, est)
        self.assertGreater(hi, est)

    def test_paired_interval_is_where_wilcoxon_stops_rejecting(self):
        from scipy.stats import wilcoxon
        for seed, n in ((2, 12), (3, 30), (4, 45)):
            a, b = self.samples(seed, n, 1.03)
            d = sorted(math.log(x / y) for x, y in zip(a, b))
            walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
            est, lo, hi, ok = self.lib.paired_ratio(a, b)
            k = walsh.index(min(walsh, key=lambda w: abs(w - math.log(lo))))
            m = len(walsh) - 1 - walsh[::-1].index(
                min(walsh, key=lambda w: abs(w - math.log(hi))))

            def p(shift):
                return wilcoxon([x - shift for x in d], method="exact").pvalue
            # Just inside the bounds the exact test does not reject at 5%,
            # just outside it does.
            self.assertGreater(p((walsh[k] + walsh[k + 1]) / 2), 0.05, (seed, n))
            self.assertLessEqual(p((walsh[k - 1] + walsh[k]) / 2), 0.05, (seed, n))
            self.assertGreater(p((walsh[m - 1] + walsh[m]) / 2), 0.05, (seed, n))
            self.assertLessEqual(p((walsh[m] + walsh[m + 1]) / 2), 0.05, (seed, n))

    def test_unpaired_interval_is_where_mann_whitney_stops_rejecting(self):
        from scipy.stats import mannwhitneyu
        a, b = self.samples(5, 20, 1.05)
        b = b[:15]
        la, lb = [math.log(x) for x in a], [math.log(y) for y in b]
        diffs = sorted(x - y for x in la for y in lb)
        est, lo, hi, ok = self.lib.unpaired_ratio(a, b)
        self.assertTrue(ok)
        self.assertAlmostEqual(math.log(est), statistics.median(diffs), places=12)
        k = diffs.index(min(diffs, key=lambda w: abs(w - math.log(lo))))

        def p(shift):
            return mannwhitneyu([x - shift for x in la], lb, method="exact").pvalue
        self.assertGreater(p((diffs[k] + diffs[k + 1]) / 2), 0.05)
        self.assertLessEqual(p((diffs[k - 1] + diffs[k]) / 2), 0.05)

    def test_median_interval_from_binomial_order_statistics(self):
        from scipy.stats import binom
        x = [float(i) for i in range(1, 31)]
        est, lo, hi, ok = self.lib.median(x)
        j = int(lo) - 1  # lo is the (j+1)-th smallest
        self.assertLessEqual(binom.cdf(j, 30, 0.5), 0.025)
        self.assertGreater(binom.cdf(j + 1, 30, 0.5), 0.025)
        self.assertEqual(hi, 31 - lo)

    def test_plan_names_pairs_of_the_group(self):
        rows = ["copy|loadstore|highway|reuse|1||python|||0|0",
                "relu|maximum|numpy|fresh|1||python|||0|0",
                "relu|maximum|highway|reuse|1||python|||1|0"]
        pairs = self.lib.plan(rows, [1.0, 3.0, 1.1])
        self.assertIn((2, 0), pairs)  # our kernel against the copy
        with self.assertRaises(ValueError):
            self.lib.plan(["bad"], [1.0])


class RecordingNumpy:
    """NumPy as the replayed answers see it, recording what the calls see."""

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
class ReplayTest(unittest.TestCase):
    """In-process replays at 40x50 with an instrumented NumPy."""

    def replay(self, answer_id, **kw):
        answer = next(a for a in replays.load_claims()["answers"] if a["id"] == answer_id)
        rec = RecordingNumpy()
        rows = gbjson.Rows()
        replays.run_replay(numpy, answer, rows, (40, 50), lambda name: True,
                           numpy_module=rec, **kw)
        gc.collect()
        return rec, rows.rows

    def test_inplace_answer_rectifies_x_on_its_first_call(self):
        rec, rows = self.replay("inplace-answer")
        inplace = [f for ip, f in rec.maximum_seen if ip]
        self.assertEqual(len(inplace), 3 * 10)
        self.assertGreater(inplace[0], 0.4)
        self.assertEqual(set(inplace[1:]), {0.0})

    def test_fancy_index_answer_times_later_methods_on_rectified_x(self):
        rec, rows = self.replay("fancy-index-answer")
        seen = rec.maximum_seen
        self.assertEqual(len(seen), 2 * 7 * 10)
        self.assertTrue(all(not ip and 0.4 < f < 0.6 for ip, f in seen[:70]))
        self.assertGreater(seen[70][1], 0.4)
        self.assertEqual({f for _, f in seen[71:]}, {0.0})
        ops = []
        for r in rows:
            op = parse_name(r["run_name"])[1]
            if op not in ops:
                ops.append(op)
        self.assertEqual(ops, ["maximum", "maximum_inplace", "multiply", "abs",
                               "masked_assign"])

    def test_generation_included_answer_generates_inside_every_timed_call(self):
        rec, rows = self.replay("generation-included-answer")
        self.assertEqual(rec.random_calls, 4 * 3 * 10)

    def test_fresh_slices_answer_gives_every_call_new_data(self):
        rec, rows = self.replay("fresh-slices-answer", n_iter=4)
        self.assertEqual(rec.random_calls, 5)
        inplace = [f for ip, f in rec.maximum_seen if ip]
        self.assertTrue(all(0.4 < f < 0.6 for f in inplace))
        self.assertTrue(all(r["n_iter"] == 4 for r in rows))


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class VocabularyTest(unittest.TestCase):

    def test_names_follow_the_vocabularys_key_order(self):
        name = vocab.bench_name("relu", "leaky", "numpy", "f32",
                                {"fn": "x", "n": 8, "alpha": 0.01, "out": "fresh"})
        self.assertEqual(name, "relu/leaky/numpy/f32/n:8/out:fresh/alpha:0.01/fn:x")
        with self.assertRaises(KeyError):
            vocab.bench_name("relu", "leaky", "numpy", "f32", {"cache": "hot"})

    def test_claims_formulas_are_the_vocabularys(self):
        # so-claims.json stays a verbatim copy of the shared claims; its
        # formulas must say what the vocabulary says.
        with open(replays.CLAIMS_PATH) as f:
            claims = json.load(f)
        for name, formula in claims["variants"].items():
            self.assertEqual(vocab.variant(name)["numpy"], formula, name)

    @unittest.skipIf(not HAVE_LIB, "needs librelu_capi")
    def test_every_variant_and_form_has_a_kernel_in_the_library(self):
        lib = capi.Lib(LIB_PATH)
        for v in vocab.variants():
            for form in ("scalar", "eigen", "highway"):
                for dtype in ("f32", "f64"):
                    lib.lib.relu_call_release(lib.call_handle(v["name"], form, dtype, 1))
        with self.assertRaises(capi.CapiError):
            lib.call_handle("no_such_variant", "scalar", "f32")


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class CommandLineTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="py_bench_cli.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_atomic_write_keeps_the_old_file_on_error(self):
        path = os.path.join(self.tmp, "out.json")
        with open(path, "w") as f:
            f.write("old")
        with self.assertRaises(ValueError):
            gbjson.write_json_atomic(path, {"x": float("nan")})
        with open(path) as f:
            self.assertEqual(f.read(), "old")
        self.assertEqual(os.listdir(self.tmp), ["out.json"])

    def test_a_missing_library_is_named(self):
        r = run_script("--kernels-lib", os.path.join(self.tmp, "nope.so"), "--tiny")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--kernels-lib", r.stderr)
        self.assertIn("nope.so not found", r.stderr)

    @unittest.skipIf(not HAVE_LIB, "needs librelu_capi")
    def test_an_unwritable_output_is_refused_before_any_timing(self):
        r = run_script("--tiny", "--out", "/nonexistent/dir/x.json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot write --out", r.stderr)
        self.assertNotIn("[1/", r.stderr)

    @unittest.skipIf(not HAVE_LIB, "needs librelu_capi")
    def test_filter_errors_and_empty_selections_write_nothing(self):
        out = os.path.join(self.tmp, "x.json")
        r = run_script("--tiny", "--filter", "[", "--out", out)
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad --filter", r.stderr)
        r = run_script("--tiny", "--filter", "no-such-row", "--out", out)
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(out))

    @unittest.skipIf(numpy is None or not HAVE_LIB, "needs NumPy and librelu_capi")
    def test_the_harness_probe_writes_its_table(self):
        out = os.path.join(self.tmp, "probe_py.md")
        r = run_script("--probe-harness", "--tiny", "--probe-seconds", "0.2",
                       "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            rows = [l for l in f.read().splitlines() if l.startswith("| max")]
        self.assertEqual(len(rows), 4)  # two kernels, two sizes
        for row in rows:
            cells = [c.strip() for c in row.strip("|").split("|")]
            self.assertEqual(len(cells), 11, row)
            for ratio in cells[7:10]:
                self.assertRegex(ratio, r"^[0-9.]+ \([0-9.]+–[0-9.]+\)$")
            # The Python-timed batch holds the kernel and the floor: it is
            # slower than the C-timed one.
            self.assertGreater(float(cells[7].split()[0]), 1.0, row)

    @unittest.skipIf(not HAVE_LIB, "needs librelu_capi")
    def test_list_names_parse(self):
        r = run_script("--tiny", "--preset", "so", "--list")
        self.assertEqual(r.returncode, 0, r.stderr)
        names = r.stdout.split()
        self.assertGreater(len(names), 50)
        for name in names:
            parse_name(name)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class SourcesTest(unittest.TestCase):
    """The replays are the answers' code: checked against the seeds where they are present."""

    def test_claims_are_a_verbatim_copy(self):
        shared = os.path.join(SHARED, "so-claims.json")
        if not os.path.exists(shared):
            self.skipTest(shared + " not present (outside the project's workspace)")
        with open(shared, "rb") as a, open(replays.CLAIMS_PATH, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_replayed_code_appears_in_the_seeds(self):
        seeds = os.path.join(SHARED, "seeds")
        if not os.path.isdir(seeds):
            self.skipTest(seeds + " not present (outside the project's workspace)")
        text = ""
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), encoding="utf-8") as f:
                text += f.read() + "\n"
        for answer in replays.load_claims()["answers"]:
            spec = answer["replay"]
            with self.subTest(answer=answer["id"]):
                pieces = []
                if "setup" in spec:
                    pieces.append(spec["setup"])
                if "code" in spec:
                    pieces += [b for b in spec["code"].strip().split("\n\n") if b.strip()]
                for s in spec.get("statements", []):
                    pieces.append(s["statement"])
                    if spec["kind"] != "slices" and (answer["id"], s["variant"]) != (
                            "inplace-answer", "maximum_inplace"):
                        pieces.append("%timeit -n10 " + s["statement"])
                for piece in pieces:
                    self.assertIn(piece.strip(), text)


if __name__ == "__main__":
    unittest.main()
