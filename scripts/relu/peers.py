"""The Python peers (NumPy, Numba, PyTorch) as one list of objects: how to load each, its version, and its functions per variant.

Each function is described once and serves both the semantics table (run on
the edge inputs) and the harness (bound to its arrays and timed). A peer that
cannot be imported is skipped with its reason; nothing else is.
"""

import atexit
import importlib.metadata
import importlib.util
import os
import shutil
import sys
import tempfile

from relu import formulations, vocab


class PeerFn:
    """One library function that computes one variant.

    out: "fresh" (allocates its result, as y = f(x) does), "reuse" (writes a
    preallocated out) or "inplace" (rewrites x). fn: the name key's value
    where the peer has several functions for one variant, else None.
    make(x, out, second) returns a zero-argument call bound to the arrays;
    x is the input (read-only for fresh NumPy calls), out the preallocated
    output (None unless out == "reuse"), second the variant's second input
    (None when it has none). threads: whether the function runs on several
    threads when the peer is asked to.
    """

    def __init__(self, peer, variant, out, make, fn=None, label=None,
                 threads=False):
        self.peer = peer
        self.variant = variant
        self.out = out
        self.make = make
        self.fn = fn
        self.label = label
        self.threads = threads

    @property
    def form(self):
        return self.peer.form

    def run(self, x, second=None):
        """The result on x, computed as timed (in place on a copy of x)."""
        np = self.peer.np
        x = x.copy()
        out = None
        if self.out == "reuse":
            out = np.empty(x.shape, dtype=vocab.numpy_dtype(
                vocab.out_dtype(self.variant, _dtype_of(x))))
        result = self.make(x, out, second)()
        if self.out == "inplace":
            return x
        if self.out == "reuse":
            return out
        return self.peer.to_numpy(result)


def _dtype_of(x):
    return {"float32": "f32", "float64": "f64"}[str(x.dtype)]


class Peer:
    form = None
    module = None

    def __init__(self):
        self.np = None
        self.lib = None
        self.error = None

    def load(self):
        """The library, or None with the reason in self.error."""
        if self.lib is not None or self.error is not None:
            return self.lib
        try:
            import numpy
            self.np = numpy
            self.lib = self._import()
        except Exception as e:  # ImportError, or a broken installation
            self.error = "%s: %s" % (type(e).__name__, e)
            self.lib = None
        return self.lib

    def installed(self):
        try:
            return importlib.util.find_spec(self.module) is not None
        except (ImportError, ValueError):
            return False

    def version(self):
        if self.lib is not None:
            return self.lib.__version__
        if self.error is not None or not self.installed():
            return "not installed"
        try:
            return importlib.metadata.version(self.module)
        except Exception:
            return "not loaded"

    def set_threads(self, n):
        """Runs later calls on n threads (peers without threads ignore it)."""

    def to_numpy(self, result):
        return result

    def functions(self, variant):
        """[PeerFn] for one vocabulary variant entry (empty if none)."""
        return []


class NumPy(Peer):
    """Every variant: its formulation as written, and its out= form."""

    form = "numpy"
    module = "numpy"

    def _import(self):
        import numpy
        return numpy

    def functions(self, v):
        np = self.np
        fresh = formulations.formulation(v, np)
        reuse = formulations.out_form(v, np)
        second = bool(v["second"])
        fns = []
        out = "inplace" if vocab.in_place(v) else "fresh"

        def make_fresh(x, o, s, f=fresh):
            return (lambda: f(x, s)) if second else (lambda: f(x))
        fns.append(PeerFn(self, v, out, make_fresh))
        if reuse is not None:
            def make_reuse(x, o, s, f=reuse):
                return (lambda: f(x, o, s)) if second else (lambda: f(x, o))
            fns.append(PeerFn(self, v, "reuse", make_reuse))
        return fns


# Numba's functions, module-level so @njit(cache=True) can cache them.

def numba_seed_relu(x):
    # Seed 001_9b9605c083d7a6ca.txt, "ReLU NUMBA implementation", verbatim
    # body; compiled with @njit(cache=True, fastmath=True). The zeros are
    # float32 whatever x is, so f64 input gives f64 output through promotion.
    # Broadcasting seems expensive compared to TF and PyTorch
    # return np.maximum(0.,x)
    a = np.zeros(x.shape,dtype=np.float32)
    return np.maximum(a,x)


def numba_seed_relu_grad(x):
    # Seed 001, "ReLU derivative NUMBA implementation", verbatim body;
    # compiled with @njit(cache=True, fastmath=True).
    return np.greater(x, 0.).astype(np.float32)


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
    # The same loop into a preallocated out. Kept separate on purpose: the
    # one above allocates inside Numba (its allocator and page faults are
    # what out:fresh measures), and a nopython function cannot call a plain
    # Python one.
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


def numba_prange_maximum_out(x, out):
    # The out= loop with numba.prange: Numba splits it over its threads
    # (numba.set_num_threads).
    xf = x.reshape(x.size)
    of = out.reshape(out.size)
    for i in numba.prange(xf.size):
        v = xf[i]
        if v <= 0:
            of[i] = 0
        else:
            of[i] = v
    return out


def numba_prange_maximum_inplace(x):
    xf = x.reshape(x.size)
    for i in numba.prange(xf.size):
        if xf[i] <= 0:
            xf[i] = 0
    return x


np = None     # bound by Numba._import, for the functions above
numba = None


class Numba(Peer):
    """The post's two @njit(cache=True, fastmath=True) functions as written,
    plain element loops for maximum, and prange loops for threads."""

    form = "numba"
    module = "numba"

    def _import(self):
        global np, numba
        if "NUMBA_CACHE_DIR" not in os.environ:
            # cache=True writes next to the source unless told otherwise:
            # keep the repository clean by caching in a temporary directory.
            cache_dir = tempfile.mkdtemp(prefix="relu-numba-cache-")
            atexit.register(shutil.rmtree, cache_dir, True)
            os.environ["NUMBA_CACHE_DIR"] = cache_dir
        import numba as nb
        import numpy
        np = numpy
        numba = nb
        njit = nb.njit
        self.jit = {
            "seed": njit(cache=True, fastmath=True)(numba_seed_relu),
            "seed_grad": njit(cache=True, fastmath=True)(numba_seed_relu_grad),
            "loop": njit(numba_loop_maximum),
            "loop_out": njit(numba_loop_maximum_out),
            "loop_inplace": njit(numba_loop_maximum_inplace),
            "prange_out": njit(parallel=True)(numba_prange_maximum_out),
            "prange_inplace": njit(parallel=True)(numba_prange_maximum_inplace),
        }
        return nb

    def set_threads(self, n):
        self.lib.set_num_threads(min(n, self.lib.config.NUMBA_NUM_THREADS))

    def functions(self, v):
        j = self.jit
        name = v["name"]
        if name == "maximum":
            return [
                PeerFn(self, v, "fresh", lambda x, o, s: lambda: j["loop"](x),
                       fn="loop", label="plain @njit element loop"),
                PeerFn(self, v, "reuse",
                       lambda x, o, s: lambda: j["loop_out"](x, o),
                       fn="loop", label="plain @njit element loop"),
                PeerFn(self, v, "reuse",
                       lambda x, o, s: lambda: j["prange_out"](x, o),
                       fn="prange", label="@njit(parallel=True) prange loop",
                       threads=True),
            ]
        if name == "maximum_inplace":
            return [
                PeerFn(self, v, "inplace",
                       lambda x, o, s: lambda: j["loop_inplace"](x),
                       fn="loop", label="plain @njit element loop"),
                PeerFn(self, v, "inplace",
                       lambda x, o, s: lambda: j["prange_inplace"](x),
                       fn="prange", label="@njit(parallel=True) prange loop",
                       threads=True),
            ]
        if name == "broadcast_zeros":
            return [PeerFn(self, v, "fresh", lambda x, o, s: lambda: j["seed"](x),
                           fn="seed",
                           label="seed 001: @njit(cache=True, fastmath=True), "
                                 "float32 zeros")]
        if name == "grad_greater":
            return [PeerFn(self, v, "fresh",
                           lambda x, o, s: lambda: j["seed_grad"](x), fn="seed",
                           label="seed 001: @njit(cache=True, fastmath=True)")]
        return []


class Torch(Peer):
    """torch functions on tensors that share memory with the arrays."""

    form = "torch"
    module = "torch"

    def _import(self):
        import torch
        if not getattr(torch, "_relu_bench_interop", False):
            # Once per process: a second set_num_interop_threads aborts it.
            torch.set_num_threads(1)
            try:
                torch.set_num_interop_threads(1)
            except RuntimeError:
                pass  # parallel work already started
            torch._relu_bench_interop = True
        return torch

    def set_threads(self, n):
        self.lib.set_num_threads(n)

    def to_numpy(self, result):
        return result.numpy()

    def functions(self, v):
        t = self.lib
        f = t.from_numpy
        name = v["name"]
        alpha = v["params"].get("alpha")
        if name == "maximum":
            return [
                PeerFn(self, v, "fresh", lambda x, o, s: (
                    lambda tx=f(x): t.relu(tx)), fn="relu", threads=True),
                PeerFn(self, v, "fresh", lambda x, o, s: (
                    lambda tx=f(x): t.clamp_min(tx, 0)), fn="clamp_min",
                    threads=True),
                PeerFn(self, v, "reuse", lambda x, o, s: (
                    lambda tx=f(x), to=f(o): t.clamp_min(tx, 0, out=to)),
                    fn="clamp_min", threads=True),
            ]
        if name == "maximum_inplace":
            return [PeerFn(self, v, "inplace", lambda x, o, s: (
                lambda tx=f(x): t.relu_(tx)), fn="relu_", threads=True)]
        if name == "leaky":
            return [
                PeerFn(self, v, "fresh", lambda x, o, s: (
                    lambda tx=f(x): t.nn.functional.leaky_relu(tx, alpha)),
                    fn="leaky_relu", threads=True),
                PeerFn(self, v, "reuse", lambda x, o, s: (
                    lambda tx=f(x), to=f(o): t._C._nn.leaky_relu(tx, alpha, out=to)),
                    fn="leaky_relu", threads=True),
            ]
        if name == "prelu":
            return [PeerFn(self, v, "fresh", lambda x, o, s: (
                lambda tx=f(x), ts=f(s): t.prelu(tx, ts)), fn="prelu",
                threads=True)]
        if name == "backward_where":
            tb = t.ops.aten.threshold_backward
            return [
                PeerFn(self, v, "fresh", lambda x, o, s: (
                    lambda tx=f(x), ts=f(s): tb(ts, tx, 0)),
                    fn="threshold_backward", threads=True),
                PeerFn(self, v, "reuse", lambda x, o, s: (
                    lambda tx=f(x), ts=f(s), to=f(o): tb.grad_input(
                        ts, tx, 0, grad_input=to)),
                    fn="threshold_backward", threads=True),
            ]
        return []


PEERS = [NumPy(), Numba(), Torch()]


def by_form(form):
    for p in PEERS:
        if p.form == form:
            return p
    raise KeyError(form)


def loaded(forms=None, log=None):
    """The peers that import, in order; the others are reported to log."""
    result = []
    for p in PEERS:
        if forms is not None and p.form not in forms:
            continue
        if p.load() is None:
            if log:
                log("skipping %s (%s)" % (p.form, p.error))
            continue
        result.append(p)
    return result
