#!/usr/bin/python3
"""NumPy's answers on the edge inputs: the reference row of the semantics table.

Usage:
  scripts/numpy_semantics.py INPUTS.json [--out FILE] [--no-peers]

Reads a semantics JSON written by the C++ tool (only "inputs" is used: label
and the f32 / f64 bit patterns) and prints, or writes atomically to FILE, the
same schema with rows for form "numpy": each of the six variants, computed by
its exact formulation from so-claims.json on an array of all the inputs, for
f32 and f64. Rows for forms "numba" and "torch" follow when those import (the
functions scripts/py_bench.py times; torch rows carry "fn": "relu" or
"clamp_min", numba rows "fn": "seed" or "loop").

Every input is also run alone, embedded among ordinary values in arrays of
several lengths (1, 3, 17, 67, 1000), at the first, a middle and the last
position, from an aligned and a one-element-offset start, so that NumPy's SIMD
body and its scalar tail both see it. When they disagree with the all-inputs
array (bit for bit, any NaN matching any NaN) for NumPy, the script names the
variant, dtype and input and exits 1; for the peers it warns on stderr.
NaNs whose sign or payload depends on the position are noted on stderr (the
contract lets any NaN match any NaN, so the NaN bits in a row may differ from
run to run, with the arrays' alignment). The
out= forms py_bench.py times as out:reuse must agree with the formulation in
the same way, or the script exits 1.

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
import py_bench  # noqa: E402  (sets single-threaded environment first)

np = py_bench.np

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
            values = {}
            for dtype, (ftype, utype, digits) in DTYPE_INFO.items():
                bits = int(item[dtype], 16)
                if not 0 <= bits < (1 << (4 * digits)):
                    raise ValueError("%s bits out of range" % dtype)
                values[dtype] = np.array([bits], dtype=utype).view(ftype)
        except (KeyError, TypeError, ValueError) as e:
            raise SemanticsError("input %d (%r): %s: %s" % (
                i, item, type(e).__name__, e))
        parsed.append((label, values))
    return parsed


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


def apply(fn, x):
    """The result of fn on a copy of x (in-place formulations get the copy)."""
    y = x.copy()
    r = fn(y)
    return np.asarray(r if r is not None else y)


def check_positions(fn, values, reference, dtype, lengths=LENGTHS, exact_nan=False):
    """Runs fn on each input alone at several lengths and positions.

    values: 1-D array of all inputs; reference: fn's outputs on it.
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
                    got = apply(fn, x)
                    if got.dtype != reference.dtype:
                        bad.append((i, length, pos, offset, "dtype " + str(got.dtype)))
                    elif not same(got.reshape(-1)[pos], reference[i]):
                        bad.append((i, length, pos, offset,
                                    bits_of(got.reshape(-1)[pos], dtype)))
    return bad


def numpy_functions(claims):
    """[(variant, fn, reuse_fn or None)] of the formulations and their out= forms."""
    forms = py_bench.numpy_formulations(claims)
    result = []
    for variant in py_bench.VARIANT_OUT:
        reuse = None
        if variant == "broadcast_zeros":
            def reuse(x, g=py_bench.REUSE_FORMS[variant]):
                return g(x, np.empty_like(x), np.zeros(x.shape, dtype=x.dtype))
        elif variant in py_bench.REUSE_FORMS:
            def reuse(x, g=py_bench.REUSE_FORMS[variant]):
                return g(x, np.empty_like(x))
        result.append((variant, forms[variant], reuse))
    return result


def peer_functions():
    """[(variant, form, fn label, fn)] for Numba and PyTorch where importable."""
    peers = []
    funcs = py_bench.load_numba()
    if funcs is not None:
        peers += [
            ("broadcast_zeros", "numba", "seed", funcs["seed"]),
            ("maximum", "numba", "loop", funcs["loop"]),
            ("maximum", "numba", "loop_out",
             lambda x, f=funcs["loop_out"]: f(x, np.empty_like(x))),
            ("maximum_inplace", "numba", "loop", funcs["loop_inplace"]),
        ]
    else:
        print("numpy_semantics.py: no numba rows (%s)" % py_bench._numba_error,
              file=sys.stderr)
    torch = py_bench.load_torch()
    if torch is not None:
        def t(fn):
            return lambda x: fn(torch.from_numpy(x)).numpy()
        peers += [
            ("maximum", "torch", "relu", t(torch.relu)),
            ("maximum", "torch", "clamp_min", t(lambda v: torch.clamp_min(v, 0))),
            ("maximum", "torch", "clamp_min_out",
             t(lambda v: torch.clamp_min(v, 0, out=torch.empty_like(v)))),
            ("maximum_inplace", "torch", "relu", t(torch.relu_)),
        ]
    else:
        print("numpy_semantics.py: no torch rows (%s)" % py_bench._torch_error,
              file=sys.stderr)
    return peers


def describe(bad, labels, dtype):
    i, length, pos, offset, got = bad
    return "input %r at length %d, position %d%s gives %s" % (
        labels[i], length, pos, ", offset start" if offset else "", got)


def output_list(result, dtype):
    return [{"bits": bits_of(v, dtype), "text": text_of(v, dtype)} for v in result]


def semantics(data, claims=None, with_peers=True):
    """The output document and a list of fatal disagreements (empty when fine)."""
    inputs = parse_inputs(data)
    labels = [label for label, _ in inputs]
    claims = claims or py_bench.load_claims()
    rows = []
    fatal = []
    warns = []
    notes = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        for variant, fn, reuse in numpy_functions(claims):
            for dtype in DTYPE_INFO:
                values = np.concatenate([v[dtype] for _, v in inputs]) if inputs \
                    else np.empty(0, DTYPE_INFO[dtype][0])
                ref = apply(fn, values)
                if ref.dtype != values.dtype:
                    fatal.append("%s/numpy/%s returns %s" % (variant, dtype, ref.dtype))
                for bad in check_positions(fn, values, ref, dtype):
                    fatal.append("NumPy disagrees with itself: variant %s, dtype %s, %s "
                                 "(all-inputs array: %s)" % (
                                     variant, dtype, describe(bad, labels, dtype),
                                     bits_of(ref[bad[0]], dtype)))
                # Within the contract (any NaN matches any NaN), but worth
                # knowing: which NaN comes out can depend on the code path.
                nan_only = {}
                for bad in check_positions(fn, values, ref, dtype, exact_nan=True):
                    nan_only.setdefault(bad[0], bad)
                for i, bad in nan_only.items():
                    notes.append("NaN bits of %s/%s on %r depend on the position (%s at "
                                 "length %d, %s in the all-inputs array); any NaN matches "
                                 "any NaN, so this is not an error" % (
                                     variant, dtype, labels[i], bad[4], bad[1],
                                     bits_of(ref[i], dtype)))
                if reuse is not None:
                    got = apply(reuse, values)
                    for i in range(values.size):
                        if not same_result(got[i], ref[i]):
                            fatal.append("the out= form of %s differs from its formulation: "
                                         "dtype %s, input %r: %s vs %s" % (
                                             variant, dtype, labels[i],
                                             bits_of(got[i], dtype), bits_of(ref[i], dtype)))
                rows.append({"variant": variant, "form": "numpy", "dtype": dtype,
                             "outputs": output_list(ref, dtype)})
        for variant, form, fn_label, fn in (peer_functions() if with_peers else []):
            for dtype in DTYPE_INFO:
                values = np.concatenate([v[dtype] for _, v in inputs])
                ref = apply(fn, values)
                for bad in check_positions(fn, values, ref, dtype):
                    warns.append("%s %s (%s) is position-dependent: dtype %s, %s" % (
                        form, variant, fn_label, dtype, describe(bad, labels, dtype)))
                if fn_label.endswith("_out"):
                    # Same computation as the row without out=: must agree.
                    twin = next(r for r in rows if r["variant"] == variant and
                                r["form"] == form and r["dtype"] == dtype and
                                r["fn"] == fn_label[:-4])
                    mine = output_list(ref, dtype)
                    for i, (a, b) in enumerate(zip(mine, twin["outputs"])):
                        if a["bits"] != b["bits"] and not (
                                "nan" in a["text"] and "nan" in b["text"]):
                            fatal.append("%s %s: out= differs from %s on input %r" % (
                                form, variant, fn_label[:-4], labels[i]))
                    continue
                row = {"variant": variant, "form": form, "dtype": dtype,
                       "fn": fn_label, "outputs": output_list(ref, dtype)}
                rows.append(row)
    for w in warns:
        print("numpy_semantics.py: warning: " + w, file=sys.stderr)
    for note in notes:
        print("numpy_semantics.py: note: " + note, file=sys.stderr)
    doc = {"inputs": data["inputs"], "rows": rows}
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
            py_bench.write_json_atomic(args.out, doc)
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
