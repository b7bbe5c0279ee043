"""The StackOverflow answers' own methods, re-run as written (protocol:replay-<answer id>).

The answers' code lives beside their claims, in scripts/so-replays.json
(scripts/so-claims.json is a verbatim copy of the shared claims):
IPython's %timeit -n10 reproduced with timeit (best of 3, or mean of 7 runs)
on one x reused by every statement in the answer's order (so an in-place
statement rectifies x on its first call and every later call sees no
negatives), generation inside the timing for generation-included-answer,
and fresh slices x[i] of a (20, 5000, 5000) array timed with time.time()
for fresh-slices-answer. Iteration rows keep the raw repeats (per-loop
times); the row label says which figure the answer reported ("reported:min",
"reported:mean", "reported:row"). Counters neg_pct_at_start and
neg_pct_last_call are the percentages of negatives in the input of the
statement's first and last timed calls.
"""

import gc
import json
import os
import time
import timeit

from relu import vocab

CLAIMS_PATH = os.path.join(vocab.ROOT, "scripts", "so-claims.json")
REPLAYS_PATH = os.path.join(vocab.ROOT, "scripts", "so-replays.json")
SO_SHAPE = (5000, 5000)
SO_SHAPE_TEXT = "(5000, 5000)"


def load_claims(path=CLAIMS_PATH, replays_path=REPLAYS_PATH):
    """so-claims.json with each answer's "replay" from so-replays.json.

    Raises ValueError when the two files do not list the same answers.
    """
    with open(path) as f:
        claims = json.load(f)
    with open(replays_path) as f:
        specs = json.load(f)["answers"]
    ids = {a["id"] for a in claims["answers"]}
    if ids != set(specs):
        raise ValueError("so-claims.json and so-replays.json list different "
                         "answers: %s" % sorted(ids ^ set(specs)))
    for a in claims["answers"]:
        a["replay"] = specs[a["id"]]
    return claims


def _scaled(code, shape):
    if tuple(shape) == SO_SHAPE:
        return code
    assert SO_SHAPE_TEXT in code, code
    return code.replace(SO_SHAPE_TEXT, repr(tuple(shape)))


def _steps(spec):
    """[(variant or None, statement or relus key)] in the answer's order."""
    if "statements" in spec:
        return [(s["variant"], s["statement"]) for s in spec["statements"]]
    return [(m["variant"], m["key"]) for m in spec["methods"]]


def replay_names(answer, shape):
    """[(variant or None, name)] of an answer's rows, in its order."""
    n = 1
    for d in shape:
        n *= d
    protocol = "replay-" + answer["id"]
    shape_key = "x".join(str(d) for d in shape) if len(shape) > 1 else None
    names = []
    for op, _ in _steps(answer["replay"]):
        if op is None:
            names.append((op, vocab.bench_name(
                "gen", "random", "numpy", "f64",
                {"n": n, "shape": shape_key, "protocol": protocol})))
        else:
            out = "inplace" if vocab.in_place(vocab.variant(op)) else "fresh"
            names.append((op, vocab.bench_name(
                "relu", op, "numpy", "f64",
                {"n": n, "shape": shape_key, "out": out, "protocol": protocol})))
    return names


def _neg_pct(np, x):
    return float(np.count_nonzero(x < 0)) * 100.0 / x.size


def _counters(n, ws, extra):
    def counters(real_ns):
        secs = real_ns * 1e-9
        c = {"bytes_per_second": ws / secs if secs > 0 else 0.0,
             "items_per_second": n / secs if secs > 0 else 0.0,
             "ws_bytes": float(ws)}
        c.update(extra)
        return c
    return counters


def run_replay(np, answer, rows, shape, wanted, numpy_module=None, n_iter=None,
               seed=0, log=None):
    """Replays one answer; adds rows whose names `wanted` accepts.

    numpy_module stands in for np inside the answer's code (tests pass an
    instrumented NumPy). Statements of an answer that reuses x run in order
    up to the last wanted one even when not wanted themselves, because they
    change x for the statements after them.
    """
    spec = answer["replay"]
    npm = np if numpy_module is None else numpy_module
    n = 1
    for d in shape:
        n *= d
    names = replay_names(answer, shape)
    want = [wanted(nm) for _, nm in names]
    if not any(want):
        return
    last = max(i for i, w in enumerate(want) if w)
    reported = spec["reported"]
    label = "reported:" + reported
    extra = (reported,) if reported not in ("mean", "row") else ()
    np.random.seed(seed)
    tt = time.thread_time_ns

    def bytes_of(op):
        # The one rule: bytes read plus bytes written (README, "JSON"). Every
        # replayed variant reads x and writes one array of x's size.
        return n * 8 if op is None else 2 * n * 8

    if spec["kind"] in ("timeit", "generation"):
        ns = {"np": npm}
        exec(_scaled(spec["setup"] if spec["kind"] == "timeit" else spec["code"],
                     shape), ns)
        for i, (op, stmt) in enumerate(_steps(spec)[:last + 1]):
            nm = names[i][1]
            if log:
                log("  %s  %%timeit -n%d (%s of %d)" % (
                    nm, spec["number"], "best" if reported == "min" else "mean",
                    spec["repeat"]))
            neg = _neg_pct(np, ns["x"]) if "x" in ns else None
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
            neg_last = _neg_pct(np, ns["x"]) if "x" in ns else None
            if not want[i]:
                continue
            extra_counters = {}
            if neg is not None:
                extra_counters = {"neg_pct_at_start": neg,
                                  "neg_pct_last_call": neg_last}
            rows.add(nm, samples, _counters(n, bytes_of(op), extra_counters),
                     extra_stats=extra, label=label)
        ns.clear()
        gc.collect()
        return

    # fresh-slices-answer: its script, one method at a time.
    n_iter = spec["n_iter"] if n_iter is None else n_iter
    ns = {"np": npm}
    exec(spec["code"], ns)
    relus = ns["relus"]
    for i, (op, key) in enumerate(_steps(spec)):
        if not want[i]:
            continue
        nm = names[i][1]
        if log:
            log("  %s  %d fresh slices" % (nm, n_iter))
        relu = relus[key]
        # The answer wrote x = np.random.random((n_iter, 5000, 5000)) - 0.5;
        # subtracting in place gives the same values with half the peak
        # memory, and x is freed before the next method allocates its own.
        x = npm.random.random((n_iter,) + tuple(shape))
        x -= 0.5
        neg = _neg_pct(np, x[0])
        neg_last = _neg_pct(np, x[n_iter - 1])
        gc.collect()
        c0 = tt()
        t1 = time.time()
        for j in range(n_iter):
            relu(x[j])
        t2 = time.time()
        c1 = tt()
        del x
        gc.collect()
        rows.add(nm, [((t2 - t1) * 1e9 / n_iter, (c1 - c0) / n_iter, n_iter)],
                 _counters(n, bytes_of(op), {"n_iter": float(n_iter),
                                             "neg_pct_at_start": neg,
                                             "neg_pct_last_call": neg_last}),
                 label=label)
    ns.clear()
