#!/usr/bin/python3
"""NumPy's answers on the edge inputs: the reference row of the semantics table.

Usage:
  scripts/numpy_semantics.py INPUTS.json [--out FILE] [--no-peers]

Reads a semantics JSON written by the C++ tool ("inputs": label and the f32 /
f64 bit patterns; "second_inputs": the values a variant's second input takes,
dout or prelu's slopes) and prints, or writes atomically to FILE, the same
schema with rows for form "numpy": every variant of vocabulary.json, computed
by its formulation as written on an array of all the inputs, for f32 and
f64, with "out_dtype" where NumPy's type rules give another output type.
Rows for the Numba and PyTorch functions follow when those import (the
functions scripts/py_bench.py times, from scripts/relu/peers.py; each row
carries "fn" where a form has several).

Every input is also run alone, embedded among ordinary values in arrays of
several lengths (1, 3, 17, 67, 1000), at the first, a middle and the last
position, from an aligned and a one-element-offset start, so that NumPy's SIMD
body and its scalar tail both see it. When they disagree with the all-inputs
array (bit for bit, any NaN matching any NaN) for NumPy, the script names the
variant, dtype and input and exits 1; for the peers it warns on stderr.
NaNs whose sign or payload depends on the position are noted on stderr (the
contract lets any NaN match any NaN, so the NaN bits in a row may differ from
run to run, with the arrays' alignment). The out= forms py_bench.py times as
out:reuse must agree with the formulation in the same way, or the script
exits 1.

Schema:
  {"inputs": [{"label": "nan", "f32": "0x7fc00000", "f64": "0x7ff8000000000000"}, ...],
   "rows": [{"variant": "maximum", "form": "numpy", "dtype": "f32",
             "outputs": [{"bits": "0x00000000", "text": "0"}, ...]}, ...]}
bits: lowercase hex of the IEEE pattern, 8 digits for f32, 16 for f64;
text: a short repr ("nan", "-nan", "-0", "inf", "1e-45", "0.25").
"""

import argparse
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from relu import gbjson, peers, vocab  # noqa: E402

try:
    import numpy as np
except ImportError:  # main() reports it
    np = None

LENGTHS = (1, 3, 17, 67, 1000)
DTYPE_INFO = {
    # dtype: (numpy float type, unsigned type of the same size, hex digits)
    "f32": ("float32", "uint32", 8),
    "f64": ("float64", "uint64", 16),
}


class SemanticsError(Exception):
    pass


def parse_inputs(data):
    """[(label, {dtype: float array of one value})] from the "inputs" list."""
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), list):
        raise SemanticsError('the input JSON has no "inputs" list')
    parsed = []
    for i, item in enumerate(data["inputs"]):
        try:
            label = item["label"]
            values = {dtype: from_bits([item[dtype]], dtype) for dtype in DTYPE_INFO}
        except (KeyError, TypeError, ValueError) as e:
            raise SemanticsError("input %d (%r): %s: %s" % (
                i, item, type(e).__name__, e))
        parsed.append((label, values))
    return parsed


def from_bits(hex_list, dtype):
    """A float array of the bit patterns in hex_list ("0x..." strings)."""
    ftype, utype, digits = DTYPE_INFO[dtype]
    bits = [int(h, 16) for h in hex_list]
    for b in bits:
        if not 0 <= b < (1 << (4 * digits)):
            raise ValueError("%s bits out of range" % dtype)
    return np.array(bits, dtype=utype).view(ftype)


def parse_seconds(data):
    """{variant: {dtype: array}}: the second inputs the C++ tool used."""
    seconds = {}
    for name, by_dtype in (data.get("second_inputs") or {}).items():
        try:
            seconds[name] = {d: from_bits(by_dtype[d], d) for d in DTYPE_INFO}
        except (KeyError, TypeError, ValueError) as e:
            raise SemanticsError("second_inputs[%r]: %s: %s" % (
                name, type(e).__name__, e))
    return seconds


def bits_of(value, dtype):
    ftype, utype, digits = DTYPE_INFO[dtype]
    b = int(np.array([value], dtype=ftype).view(utype)[0])
    return "0x%0*x" % (digits, b)


def text_of(value, dtype):
    ftype = DTYPE_INFO[dtype][0]
    v = np.array([value], dtype=ftype)[0]
    neg = bool(np.signbit(v))
    if np.isnan(v):
        return "-nan" if neg else "nan"
    if np.isinf(v):
        return "-inf" if neg else "inf"
    if v == 0:
        return "-0" if neg else "0"
    s = str(v)  # NumPy's shortest repr that round-trips in this dtype
    if s.endswith(".0"):
        s = s[:-2]
    return s


def same_result(a, b):
    """Bit for bit, except that any NaN matches any NaN."""
    if np.isnan(a) or np.isnan(b):
        return bool(np.isnan(a) and np.isnan(b))
    return a.tobytes() == b.tobytes()


class Case:
    """One variant's function with the table's conventions: prelu runs on a
    rows x channels array, and a second input comes from the C++ tool."""

    def __init__(self, variant, fn, seconds):
        self.v = variant
        self.fn = fn
        self.seconds = seconds.get(variant["name"])  # {dtype: array} or None

    def second(self, x, dtype):
        """The second input that goes with the 1-D array x."""
        kind = self.v["second"]
        if kind == "zeros":
            return np.zeros(x.shape, dtype=x.dtype)
        if kind == "dout":
            # The convention is a constant dout: any length takes its value.
            return np.full(x.shape, self.seconds[dtype][0], dtype=x.dtype)
        if kind == "channel_alpha":
            return self.seconds[dtype].copy()
        return None

    def apply(self, x, dtype):
        """The result on a copy of the 1-D array x, as a flat array."""
        y = x.copy()
        s = self.second(y, dtype)
        if self.v["second"] == "channel_alpha":
            y = y.reshape(-1, s.size)
        r = self.fn(y, s)
        return np.asarray(r if r is not None else y).reshape(-1)


def dtype_of(array):
    """"f32" or "f64": the dtype of a float array."""
    return {"float32": "f32", "float64": "f64"}[str(array.dtype)]


def check_positions(case, values, reference, dtype, lengths=LENGTHS,
                    exact_nan=False):
    """Runs the case on each input alone at several lengths and positions.

    values: 1-D array of all inputs, of input dtype `dtype`; reference: the
    case's outputs on it (of the output dtype, which may differ).
    Returns the disagreements as (index, length, position, offset, got bits).
    With exact_nan, NaNs must match bit for bit too (sign and payload).
    """
    same = (lambda a, b: a.tobytes() == b.tobytes()) if exact_nan else same_result
    ftype = DTYPE_INFO[dtype][0]
    bad = []
    for length in lengths:
        # Ordinary values around the input: both signs, so every formulation
        # takes both of its branches in the same vector.
        filler = np.resize(np.array([0.75, -0.5, 0.25, -1.0], dtype=ftype), length)
        positions = sorted({0, length // 2, length - 1})
        for offset in (0, 1):
            buf = np.empty(length + offset, dtype=ftype)
            x = buf[offset:]
            for pos in positions:
                for i in range(values.size):
                    x[...] = filler
                    x[pos] = values[i]
                    got = case.apply(x, dtype)
                    if got.dtype != reference.dtype:
                        bad.append((i, length, pos, offset, "dtype " + str(got.dtype)))
                    elif not same(got.reshape(-1)[pos], reference[i]):
                        bad.append((i, length, pos, offset,
                                    bits_of(got.reshape(-1)[pos], dtype_of(got))))
    return bad


def numpy_cases(seconds):
    """[(variant, Case of the formulation, Case of its out= form or None)]."""
    result = []
    numpy = peers.by_form("numpy")
    numpy.load()
    for v in vocab.variants():
        fns = {f.out: f for f in numpy.functions(v)}
        fresh = fns.get("inplace") or fns["fresh"]
        reuse = fns.get("reuse")
        result.append((v, Case(v, lambda x, s, f=fresh: f.run(x, s), seconds),
                       Case(v, lambda x, s, f=reuse: f.run(x, s), seconds)
                       if reuse else None))
    return result


def peer_cases(seconds):
    """[(variant, form, fn label, out, Case)] of Numba and PyTorch, where they import."""
    cases = []
    for peer in peers.PEERS:
        if peer.form == "numpy":
            continue
        if peer.load() is None:
            print("numpy_semantics.py: no %s rows (%s)" % (peer.form, peer.error),
                  file=sys.stderr)
            continue
        for v in vocab.variants():
            for f in peer.functions(v):
                label = f.fn or f.out
                if f.out == "reuse":
                    label += "_out"
                cases.append((v, peer.form, label,
                              Case(v, lambda x, s, f=f: f.run(x, s), seconds)))
    return cases


def describe(bad, labels, dtype):
    i, length, pos, offset, got = bad
    return "input %r at length %d, position %d%s gives %s" % (
        labels[i], length, pos, ", offset start" if offset else "", got)


def output_list(result, dtype):
    return [{"bits": bits_of(v, dtype), "text": text_of(v, dtype)} for v in result]


def semantics(data, with_peers=True):
    """The output document and a list of fatal disagreements (empty when fine)."""
    inputs = parse_inputs(data)
    seconds = parse_seconds(data)
    labels = [label for label, _ in inputs]
    rows = []
    fatal = []
    warns = []
    notes = []

    def all_inputs(dtype):
        return (np.concatenate([v[dtype] for _, v in inputs]) if inputs
                else np.empty(0, DTYPE_INFO[dtype][0]))

    def row(v, form, dtype, ref, fn=None):
        r = {"variant": v["name"], "form": form, "dtype": dtype}
        if fn:
            r["fn"] = fn
        out = dtype_of(ref)
        if out != dtype:
            r["out_dtype"] = out
        r["outputs"] = output_list(ref, out)
        return r

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        for v, case, reuse in numpy_cases(seconds):
            variant = v["name"]
            for dtype in DTYPE_INFO:
                values = all_inputs(dtype)
                ref = case.apply(values, dtype)
                want = vocab.out_dtype(v, dtype)
                if str(ref.dtype) != DTYPE_INFO[want][0]:
                    fatal.append("%s/numpy/%s returns %s; vocabulary.json says %s" % (
                        variant, dtype, ref.dtype, want))
                for bad in check_positions(case, values, ref, dtype):
                    fatal.append("NumPy disagrees with itself: variant %s, dtype %s, %s "
                                 "(all-inputs array: %s)" % (
                                     variant, dtype, describe(bad, labels, want),
                                     bits_of(ref[bad[0]], want)))
                # Within the contract (any NaN matches any NaN), but worth
                # knowing: which NaN comes out can depend on the code path.
                nan_only = {}
                for bad in check_positions(case, values, ref, dtype, exact_nan=True):
                    nan_only.setdefault(bad[0], bad)
                for i, bad in nan_only.items():
                    notes.append("NaN bits of %s/%s on %r depend on the position (%s at "
                                 "length %d, %s in the all-inputs array); any NaN matches "
                                 "any NaN, so this is not an error" % (
                                     variant, dtype, labels[i], bad[4], bad[1],
                                     bits_of(ref[i], want)))
                if reuse is not None:
                    got = reuse.apply(values, dtype)
                    for i in range(values.size):
                        if got.dtype != ref.dtype or not same_result(got[i], ref[i]):
                            fatal.append("the out= form of %s differs from its formulation: "
                                         "dtype %s, input %r: %s vs %s" % (
                                             variant, dtype, labels[i],
                                             bits_of(got[i], want), bits_of(ref[i], want)))
                            break
                rows.append(row(v, "numpy", dtype, ref))
        for v, form, fn_label, case in (peer_cases(seconds) if with_peers else []):
            variant = v["name"]
            for dtype in DTYPE_INFO:
                values = all_inputs(dtype)
                ref = case.apply(values, dtype)
                out = dtype_of(ref)
                # One line per input: how many placements disagree, and the
                # first of them.
                by_input = {}
                for bad in check_positions(case, values, ref, dtype):
                    by_input.setdefault(bad[0], []).append(bad)
                placements = len(LENGTHS) * 2 * 3
                for i, bads in sorted(by_input.items()):
                    warns.append("%s %s (%s) depends on the position: dtype %s, "
                                 "%d of about %d placements differ from the all-inputs "
                                 "array (%s), e.g. %s" % (
                                     form, variant, fn_label, dtype, len(bads),
                                     placements, bits_of(ref[i], out),
                                     describe(bads[0], labels, out)))
                if fn_label.endswith("_out"):
                    # Same computation as the row without out=: must agree.
                    twin = next((r for r in rows if r["variant"] == variant and
                                 r["form"] == form and r["dtype"] == dtype and
                                 r.get("fn") == fn_label[:-4]), None)
                    if twin is None:
                        rows.append(row(v, form, dtype, ref, fn_label))
                        continue
                    mine = output_list(ref, out)
                    for i, (a, b) in enumerate(zip(mine, twin["outputs"])):
                        if a["bits"] != b["bits"] and not (
                                "nan" in a["text"] and "nan" in b["text"]):
                            fatal.append("%s %s: out= differs from %s on input %r" % (
                                form, variant, fn_label[:-4], labels[i]))
                    continue
                rows.append(row(v, form, dtype, ref, fn_label))
    for w in warns:
        print("numpy_semantics.py: warning: " + w, file=sys.stderr)
    for note in notes:
        print("numpy_semantics.py: note: " + note, file=sys.stderr)
    doc = {"inputs": data["inputs"], "rows": rows}
    if "second_inputs" in data:
        doc["second_inputs"] = data["second_inputs"]
    return doc, fatal


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", metavar="INPUTS.json",
                    help="semantics JSON from the C++ tool (only \"inputs\" is read)")
    ap.add_argument("--out", metavar="FILE", help="write here (atomically); default stdout")
    ap.add_argument("--no-peers", action="store_true",
                    help="NumPy rows only (skip Numba and PyTorch)")
    args = ap.parse_args(argv)
    if np is None:
        print("numpy_semantics.py: NumPy is not importable by %s; run it with "
              "/usr/bin/python3" % sys.executable, file=sys.stderr)
        return 1
    try:
        with open(args.inputs) as f:
            data = json.load(f)
        doc, fatal = semantics(data, with_peers=not args.no_peers)
    except (OSError, ValueError, SemanticsError) as e:
        print("numpy_semantics.py: %s: %s" % (args.inputs, e), file=sys.stderr)
        return 2
    if fatal:
        for msg in fatal:
            print("numpy_semantics.py: " + msg, file=sys.stderr)
        return 1
    if args.out:
        try:
            gbjson.write_json_atomic(args.out, doc)
        except OSError as e:
            print("numpy_semantics.py: cannot write %s: %s" % (args.out, e),
                  file=sys.stderr)
            return 1
    else:
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
