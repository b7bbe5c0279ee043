"""Tests of scripts/numpy_semantics.py: schema, known IEEE facts of the formulations, the SIMD-versus-tail check.

Run from the repository root with /usr/bin/python3 -m unittest discover -s tests/python.
"""

import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

try:
    import numpy
except ImportError:
    numpy = None

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "numpy_semantics.py")
INPUTS = os.path.join(HERE, "semantics_inputs.json")

_module = None


def semantics_module():
    global _module
    if _module is None:
        spec = importlib.util.spec_from_file_location("numpy_semantics", SCRIPT)
        _module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_module)
    return _module


def run_script(*args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, SCRIPT] + list(args), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def f32(bits_hex):
    return struct.unpack("<f", struct.pack("<I", int(bits_hex, 16)))[0]


def f64(bits_hex):
    return struct.unpack("<d", struct.pack("<Q", int(bits_hex, 16)))[0]


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class SemanticsOutputTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="numpy_semantics_test.")
        cls.out_path = os.path.join(cls.tmp, "sem.json")
        r = run_script(INPUTS, "--out", cls.out_path)
        if r.returncode != 0:
            raise AssertionError("numpy_semantics.py failed:\n" + r.stderr)
        with open(cls.out_path) as f:
            cls.doc = json.load(f)
        with open(INPUTS) as f:
            cls.inputs = json.load(f)["inputs"]
        cls.labels = [i["label"] for i in cls.inputs]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def row(self, variant, dtype, form="numpy", fn=None):
        rows = [r for r in self.doc["rows"] if r["variant"] == variant and r["form"] == form
                and r["dtype"] == dtype and (fn is None or r.get("fn") == fn)]
        self.assertEqual(len(rows), 1, (variant, dtype, form, fn))
        return rows[0]

    def out(self, variant, dtype, label, **kw):
        return self.row(variant, dtype, **kw)["outputs"][self.labels.index(label)]

    def test_schema(self):
        self.assertEqual(self.doc["inputs"], self.inputs)
        numpy_rows = {(r["variant"], r["dtype"]) for r in self.doc["rows"] if r["form"] == "numpy"}
        variants = semantics_module().vocab.variant_names()
        self.assertIn("backward_where", variants)
        self.assertEqual(numpy_rows, {(v, d) for v in variants for d in ("f32", "f64")})
        keys_seen = set()
        for r in self.doc["rows"]:
            with self.subTest(row=(r["variant"], r["form"], r["dtype"], r.get("fn"))):
                self.assertIn(r["form"], ("numpy", "numba", "torch"))
                self.assertEqual(len(r["outputs"]), len(self.inputs))
                digits = 8 if r.get("out_dtype", r["dtype"]) == "f32" else 16
                for o in r["outputs"]:
                    self.assertRegex(o["bits"], r"^0x[0-9a-f]{%d}$" % digits)
                    self.assertTrue(o["text"])
                key = (r["variant"], r["form"], r["dtype"], r.get("fn"))
                self.assertNotIn(key, keys_seen)
                keys_seen.add(key)
                if r["form"] == "numpy":
                    self.assertNotIn("fn", r)
                else:
                    self.assertIn("fn", r)

    def test_text_matches_bits(self):
        for r in self.doc["rows"]:
            out = r.get("out_dtype", r["dtype"])
            conv = f32 if out == "f32" else f64
            ftype = numpy.float32 if out == "f32" else numpy.float64
            for o in r["outputs"]:
                v = conv(o["bits"])
                if o["text"] in ("nan", "-nan"):
                    self.assertNotEqual(v, v)
                    self.assertEqual(o["text"] == "-nan", int(o["bits"], 16) >> (
                        31 if out == "f32" else 63) == 1, o)
                    continue
                # The text reads back (in the row's precision) to the same value.
                self.assertEqual(ftype(o["text"]), ftype(v), o)
                self.assertEqual(o["text"].startswith("-"), str(v).startswith("-"), o)

    def test_known_ieee_facts_of_the_formulations(self):
        for dtype in ("f32", "f64"):
            zero = "0x" + "0" * (8 if dtype == "f32" else 16)
            neg_zero = "0x8" + "0" * (7 if dtype == "f32" else 15)
            inf = "0x7f800000" if dtype == "f32" else "0x7ff0000000000000"
            with self.subTest(dtype=dtype):
                # Negative values become +0, except in x * (x > 0): -x * 0 is -0.
                for variant in ("maximum", "maximum_inplace", "abs", "masked_assign",
                                "broadcast_zeros"):
                    self.assertEqual(self.out(variant, dtype, "-1")["bits"], zero, variant)
                self.assertEqual(self.out("multiply", dtype, "-1")["bits"], neg_zero)
                # x * (x > 0): -inf * 0 is NaN; (abs(x) + x) / 2: inf - inf is NaN.
                self.assertEqual(self.out("multiply", dtype, "-inf")["text"][-3:], "nan")
                self.assertEqual(self.out("abs", dtype, "-inf")["text"][-3:], "nan")
                # (abs(x) + x) / 2 overflows just above max / 2; the others return x.
                self.assertEqual(self.out("abs", dtype, "+half_max")["bits"],
                                 self.inputs[self.labels.index("+half_max")][dtype])
                self.assertEqual(self.out("abs", dtype, "+half_max_next")["bits"], inf)
                self.assertEqual(self.out("maximum", dtype, "+half_max_next")["bits"],
                                 self.inputs[self.labels.index("+half_max_next")][dtype])
                # x[x < 0] = 0 leaves NaN and -0 alone.
                self.assertEqual(self.out("masked_assign", dtype, "-0")["bits"], neg_zero)
                self.assertIn("nan", self.out("masked_assign", dtype, "nan")["text"])
                # np.maximum propagates NaN.
                self.assertIn("nan", self.out("maximum", dtype, "nan")["text"])
                # Denormals are not flushed.
                self.assertEqual(self.out("maximum", dtype, "+denorm_min")["bits"],
                                 self.inputs[self.labels.index("+denorm_min")][dtype])

    def test_output_types_follow_numpy(self):
        # NumPy's type rules, as vocabulary.json records them.
        self.assertEqual(self.row("grad_greater", "f64").get("out_dtype"), "f32")
        self.assertEqual(self.row("grad_multiply", "f32").get("out_dtype"), "f64")
        self.assertNotIn("out_dtype", self.row("leaky", "f32"))
        self.assertEqual(self.out("maximum_zero_first", "f64", "-0")["text"], "-0")
        self.assertTrue(self.out("three_param", "f32", "+inf")["text"].endswith("nan"))
        self.assertEqual(self.out("abs_multiply", "f64", "-1")["text"], "0")
        self.assertEqual(self.out("backward_where", "f32", "nan")["text"], "0")

    def test_texts(self):
        self.assertEqual(self.out("maximum", "f32", "+denorm_min")["text"], "1e-45")
        self.assertEqual(self.out("maximum", "f64", "+denorm_min")["text"], "5e-324")
        self.assertEqual(self.out("multiply", "f32", "-1")["text"], "-0")
        self.assertEqual(self.out("maximum", "f64", "+1")["text"], "1")
        self.assertEqual(self.out("abs", "f32", "+half_max_next")["text"], "inf")
        self.assertEqual(self.out("maximum", "f32", "+0.25")["text"], "0.25")

    def test_peer_rows_when_importable(self):
        forms = {r["form"] for r in self.doc["rows"]}
        for module in ("numba", "torch"):
            spec = importlib.util.find_spec(module)
            with self.subTest(peer=module):
                if spec is None:
                    self.assertNotIn(module, forms)
                    continue
                self.assertIn(module, forms)
        if "torch" in forms:
            self.row("maximum", "f64", form="torch", fn="relu")
            self.row("maximum", "f64", form="torch", fn="clamp_min")
            self.row("maximum_inplace", "f32", form="torch", fn="relu_")
            self.row("backward_where", "f64", form="torch", fn="threshold_backward")
        if "numba" in forms:
            self.row("broadcast_zeros", "f32", form="numba", fn="seed")
            loop = self.row("maximum", "f64", form="numba", fn="loop")
            # The plain loop is written to give np.maximum's result.
            mine = loop["outputs"]
            ref = self.row("maximum", "f64")["outputs"]
            for label, a, b in zip(self.labels, mine, ref):
                if "nan" in a["text"] and "nan" in b["text"]:
                    continue
                self.assertEqual(a["bits"], b["bits"], label)

    def test_stdout_equals_out_file(self):
        r = run_script(INPUTS, "--no-peers")
        self.assertEqual(r.returncode, 0, r.stderr)
        numpy_rows = [row for row in self.doc["rows"] if row["form"] == "numpy"]
        got = json.loads(r.stdout)
        self.assertEqual(got["inputs"], self.inputs)
        # NaN bits may differ between runs (NumPy's path depends on the
        # arrays' alignment); any NaN matches any NaN.
        def canon(rows):
            return [(row["variant"], row["dtype"],
                     ["nan" if o["text"].endswith("nan") else o["bits"] for o in row["outputs"]])
                    for row in rows]
        self.assertEqual(canon(got["rows"]), canon(numpy_rows))

    def test_a_failed_run_leaves_the_old_out_file(self):
        tmp = tempfile.mkdtemp(prefix="numpy_semantics_out.")
        try:
            out = os.path.join(tmp, "sem.json")
            with open(out, "w") as f:
                f.write("old")
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                json.dump({"inputs": [{"label": "x", "f32": "0xzz", "f64": "0x0"}]}, f)
            r = run_script(bad, "--out", out)
            self.assertEqual(r.returncode, 2)
            with open(out) as f:
                self.assertEqual(f.read(), "old")
            self.assertEqual(sorted(os.listdir(tmp)), ["bad.json", "sem.json"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@unittest.skipIf(numpy is None, "NumPy is not importable by this interpreter")
class SemanticsCheckTest(unittest.TestCase):

    def setUp(self):
        self.m = semantics_module()
        with open(INPUTS) as f:
            self.data = json.load(f)
        self.inputs = self.m.parse_inputs(self.data)

    def values(self, dtype):
        return numpy.concatenate([v[dtype] for _, v in self.inputs])

    def case(self, fn, variant="maximum"):
        """fn(x) as the script's Case of a variant without a second input."""
        return self.m.Case(self.m.vocab.variant(variant), lambda x, s: fn(x), {})

    def test_position_check_catches_a_tail_that_differs(self):
        # A ReLU whose last element goes through a different path (as a
        # scalar tail would): -0 there stays -0 instead of becoming +0.
        def tail_differs(x):
            out = numpy.maximum(x, 0)
            if x.size > 1 and x[-1] == 0:
                out[-1] = x[-1]
            return out
        vals = self.values("f32")
        ref = numpy.maximum(vals, 0)
        bad = self.m.check_positions(self.case(tail_differs), vals, ref, "f32")
        labels = {self.inputs[i][0] for i, *_ in bad}
        self.assertEqual(labels, {"-0"})
        self.assertTrue(all(pos == length - 1 for _, length, pos, _, _ in bad))
        self.assertEqual(self.m.check_positions(
            self.case(lambda x: numpy.maximum(x, 0)), vals, ref, "f32"), [])

    def test_exact_nan_check_sees_the_nan_sign(self):
        # A ReLU that flips the NaN sign only in its last element passes the
        # contract check but not the bit-exact one.
        def nan_sign_in_tail(x):
            out = numpy.maximum(x, 0)
            if x.size > 1 and numpy.isnan(x[-1]):
                out[-1] = -out[-1]
            return out
        vals = self.values("f64")
        ref = numpy.maximum(vals, 0)
        case = self.case(nan_sign_in_tail)
        self.assertEqual(self.m.check_positions(case, vals, ref, "f64"), [])
        bad = self.m.check_positions(case, vals, ref, "f64", exact_nan=True)
        self.assertEqual({self.inputs[i][0] for i, *_ in bad}, {"nan", "-nan"})

    def test_position_check_catches_a_dtype_change(self):
        vals = self.values("f32")
        bad = self.m.check_positions(
            self.case(lambda x: numpy.maximum(numpy.zeros(x.shape), x)),
            vals, numpy.maximum(vals, 0), "f32")
        self.assertTrue(bad)
        self.assertTrue(all(b[4] == "dtype float64" for b in bad))

    def test_a_disagreement_fails_the_run(self):
        # The spelling np.zeros(x.shape) (float64 zeros) would turn f32 input
        # into f64 output, against vocabulary.json's out_dtype "same": the
        # script must refuse it.
        entry = self.m.vocab.variant("broadcast_zeros")
        saved = entry["numpy"]
        entry["numpy"] = "np.maximum(np.zeros(x.shape), x)"
        try:
            doc, fatal = self.m.semantics(self.data, with_peers=False)
        finally:
            entry["numpy"] = saved
        self.assertTrue(any("broadcast_zeros/numpy/f32 returns float64" in f for f in fatal),
                        fatal)

    def test_fastmath_seed_gradient_is_flagged(self):
        # The post's @njit(fastmath=True) ReLU_grad lets LLVM assume no NaN:
        # NaN > 0 then depends on the code path. The script must say so.
        if importlib.util.find_spec("numba") is None:
            self.skipTest("no Numba")
        r = run_script(INPUTS)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("numba grad_greater (seed) depends on the position", r.stderr)

    def test_nan_matches_nan_only(self):
        nan = numpy.float32("nan")
        self.assertTrue(self.m.same_result(nan, -nan))
        self.assertFalse(self.m.same_result(nan, numpy.float32(0)))
        self.assertFalse(self.m.same_result(numpy.float32(0), -numpy.float32(0)))

    def test_bad_input_is_a_clear_error(self):
        tmp = tempfile.mkdtemp(prefix="numpy_semantics_bad.")
        try:
            path = os.path.join(tmp, "bad.json")
            with open(path, "w") as f:
                json.dump({"inputs": [{"label": "x", "f32": "0x3f800000"}]}, f)
            r = run_script(path)
            self.assertEqual(r.returncode, 2)
            self.assertIn("'f64'", r.stderr)
            with open(path, "w") as f:
                f.write("{not json")
            self.assertEqual(run_script(path).returncode, 2)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
