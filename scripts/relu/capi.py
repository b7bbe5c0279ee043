"""librelu_capi through ctypes: our kernels, the suite's rings and cache states, and the statistics.

The Python harness times NumPy, Numba and PyTorch on the very rings the C++
suite uses, prepares every batch with the same state procedure and decides
with the same intervals, so nothing about the protocol is written twice.
"""

import ctypes
import os

from relu import vocab

DEFAULT_PATH = os.environ.get("RELU_KERNELS_LIB") or os.path.join(
    vocab.ROOT, "build", "bench", "librelu_capi.so")

ERROR_LEN = 512


class CapiError(Exception):
    pass


class Lib:
    """The loaded library with its functions' signatures declared."""

    def __init__(self, path=DEFAULT_PATH):
        if not os.path.exists(path):
            raise CapiError("%s not found (build it: cmake --build build "
                            "--target relu_capi)" % path)
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            raise CapiError("cannot load %s: %s" % (path, e))
        self.path = path
        self.lib = lib
        P, S, D, I, C = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double,
                         ctypes.c_int, ctypes.c_char_p)
        DP = ctypes.POINTER(ctypes.c_double)
        sig = {
            "relu_call_create": (P, [C, C, C, S, S, C, S]),
            "relu_call": (None, [P, P, P, P, S]),
            "relu_call_noop": (None, [P, P, P, P, S]),
            "relu_call_release": (None, [P]),
            "relu_copy": (I, [C, S, P, P, S]),
            "relu_copy_create": (P, [C, S]),
            "relu_copy_call": (None, [P, P, P, P, S]),
            "relu_copy_release": (None, [P]),
            "relu_ring_create": (P, [C, C, C, S, S, I, C, S]),
            "relu_ring_slots": (S, [P]),
            "relu_ring_in": (P, [P, S]),
            "relu_ring_out": (P, [P, S]),
            "relu_ring_second": (P, [P, S]),
            "relu_ring_pristine": (P, [P, S]),
            "relu_ring_second_count": (S, [P]),
            "relu_ring_bytes_moved": (S, [P]),
            "relu_ring_ws_bytes": (S, [P]),
            "relu_ring_prepare": (I, [P, C]),
            "relu_ring_time_batch": (D, [P, P, C]),
            "relu_timed_take": (D, []),
            "relu_clock_read_ns": (D, []),
            "relu_core_rtt_ns": (D, []),
            "relu_ring_release": (None, [P]),
            "relu_name_suffix": (I, [C, C, C, S, S, C, C, I, S, C, S]),
            "relu_paired_ratio": (I, [DP, DP, S, DP, DP, DP]),
            "relu_unpaired_ratio": (I, [DP, S, DP, S, DP, DP, DP]),
            "relu_median": (I, [DP, S, DP, DP, DP]),
            "relu_plan": (ctypes.c_long, [ctypes.POINTER(C), DP, S,
                                          ctypes.POINTER(S), S]),
            "relu_highway_target": (C, []),
            "relu_stream_threshold_bytes": (S, []),
            "relu_narrow_vector_threshold_bytes": (S, []),
            "relu_parallel_threshold_bytes": (S, []),
        }
        for name, (restype, argtypes) in sig.items():
            try:
                f = getattr(lib, name)
            except AttributeError:
                raise CapiError("%s lacks %s: rebuild it" % (path, name))
            f.restype = restype
            f.argtypes = argtypes
        # PYFUNCTYPE keeps the GIL across the call: cheaper than CFUNCTYPE's
        # release and re-acquire, and nothing else runs in this process.
        self.call_type = ctypes.PYFUNCTYPE(None, P, P, P, P, S)
        self.call_fn = self.call_type(ctypes.cast(lib.relu_call, P).value)
        self.noop_fn = self.call_type(ctypes.cast(lib.relu_call_noop, P).value)
        self.copy_fn = self.call_type(ctypes.cast(lib.relu_copy_call, P).value)
        self._clock_read_ns = None
        # The same calls, each timing itself in C (the harness's floor arm).
        self.call_timed_fn = self.call_type(
            ctypes.cast(lib.relu_call_timed, P).value)
        self.copy_timed_fn = self.call_type(
            ctypes.cast(lib.relu_copy_call_timed, P).value)

    # Kernels

    def call_handle(self, variant, form, dtype, channels=0, threads=1):
        err = ctypes.create_string_buffer(ERROR_LEN)
        h = self.lib.relu_call_create(variant.encode(), form.encode(),
                                      dtype.encode(), channels, threads, err,
                                      ERROR_LEN)
        if not h:
            raise CapiError(err.value.decode())
        return h

    def copy_handle(self, method, threads=1):
        h = self.lib.relu_copy_create(method.encode(), threads)
        if not h:
            raise CapiError("no copy method %r" % method)
        return h

    # Rings

    def ring(self, family, op, dtype, n, rows, neg):
        err = ctypes.create_string_buffer(ERROR_LEN)
        h = self.lib.relu_ring_create(family.encode(), op.encode(),
                                      dtype.encode(), n, rows, neg, err,
                                      ERROR_LEN)
        if not h:
            raise CapiError(err.value.decode())
        return h

    def prepare(self, ring, state):
        if self.lib.relu_ring_prepare(ring, state.encode()):
            raise CapiError("state %r cannot be prepared for this ring" % state)

    def name_suffix(self, family, op, dtype, n, rows, out, state, neg, threads):
        buf = ctypes.create_string_buffer(1024)
        if self.lib.relu_name_suffix(family.encode(), op.encode(),
                                     dtype.encode(), n, rows, out.encode(),
                                     state.encode(), neg, threads, buf, 1024):
            raise CapiError(buf.value.decode() or "name too long")
        return buf.value.decode()

    # Statistics

    def _interval(self, f, *args):
        est, lo, hi = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ok = f(*args, ctypes.byref(est), ctypes.byref(lo), ctypes.byref(hi))
        if ok < 0:
            raise ValueError("a sample is not a positive, finite time")
        return est.value, lo.value, hi.value, ok == 1

    @staticmethod
    def _doubles(values):
        return (ctypes.c_double * len(values))(*values)

    def paired_ratio(self, a, b):
        """(estimate, lo, hi, valid): the Hodges-Lehmann ratio a/b and its 95% CI."""
        assert len(a) == len(b)
        return self._interval(self.lib.relu_paired_ratio, self._doubles(a),
                              self._doubles(b), len(a))

    def unpaired_ratio(self, a, b):
        return self._interval(self.lib.relu_unpaired_ratio, self._doubles(a),
                              len(a), self._doubles(b), len(b))

    def median(self, x):
        return self._interval(self.lib.relu_median, self._doubles(x), len(x))

    def plan(self, descriptors, typical):
        """[(a, b)]: the group's comparisons (stats/plan.h)."""
        n = len(descriptors)
        rows = (ctypes.c_char_p * n)(*[d.encode() for d in descriptors])
        cap = max(16, 8 * n)
        pairs = (ctypes.c_size_t * (2 * cap))()
        count = self.lib.relu_plan(rows, self._doubles(typical), n, pairs, cap)
        if count < 0:
            raise ValueError("malformed row description")
        count = min(count, cap)
        return [(pairs[2 * i], pairs[2 * i + 1]) for i in range(count)]

    def clock_read_ns(self):
        """What one steady_clock read costs (relu_clock_read_ns), measured
        once per process."""
        if self._clock_read_ns is None:
            self._clock_read_ns = self.lib.relu_clock_read_ns()
        return self._clock_read_ns

    def highway_target(self):
        return self.lib.relu_highway_target().decode()
