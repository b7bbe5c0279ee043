"""The context a Python run records: machine, libraries, the harness's own per-call overhead and how quiet the machine was."""

import datetime
import os
import platform
import re
import socket
import sys

from relu import peers

KiB = 1024
MiB = 1024 * KiB


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def cpu_model():
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def cpu_id():
    """'family 25 model 17 stepping 1': tells Zen 4 from Zen 5 where a VM
    names both 'AMD EPYC'."""
    fields = {}
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("cpu family", "model", "stepping") and key not in fields:
            fields[key] = value.strip()
        if len(fields) == 3:
            break
    if "cpu family" not in fields:
        return ""
    return "family %s model %s stepping %s" % (
        fields["cpu family"], fields.get("model", "?"), fields.get("stepping", "?"))


def cpu_mhz():
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("cpu mhz"):
            try:
                return int(float(line.split(":", 1)[1]))
            except ValueError:
                pass
    return 0


def scaling_enabled():
    # Google Benchmark: scaling is on unless cpu0's governor is "performance".
    text = _read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").strip()
    return bool(text) and text != "performance"


def caches():
    out = []
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        entries = sorted(e for e in os.listdir(base) if e.startswith("index"))
    except OSError:
        return out
    for index in entries:
        def read(name):
            return _read(os.path.join(base, index, name)).strip()
        try:
            size = read("size")
            mult = {"K": KiB, "M": MiB, "G": 1024 * MiB}.get(size[-1:], 1)
            shared = read("shared_cpu_map").replace(",", "")
            out.append({"type": read("type"), "level": int(read("level")),
                        "size": int(size.rstrip("KMG")) * mult,
                        "num_sharing": bin(int(shared, 16)).count("1")})
        except ValueError:
            continue
    return out


def sysfs_choice(path):
    text = _read(path).strip()
    m = re.search(r"\[(\w+)\]", text)
    return m.group(1) if m else (text or "unknown")


def numpy_hugepage(np):
    """Whether NumPy madvises huge pages for large arrays. It decides
    out:fresh: with THP on "madvise", a 200 MB output takes 4 KiB page
    faults without it (Numba's and PyTorch's allocators do not ask)."""
    try:
        setter = np.core.multiarray._set_madvise_hugepage
    except AttributeError:
        return "unknown"
    current = setter(True)
    setter(current)
    return "on" if current else "off"


def cpu_times():
    """(total, steal) ticks of the machine, from /proc/stat."""
    fields = _read("/proc/stat").splitlines()[0].split()[1:9]
    values = [int(v) for v in fields] + [0] * (8 - len(fields))
    return sum(values), values[7]


def steal_percent(a, b):
    total = b[0] - a[0]
    return 100.0 * (b[1] - a[1]) / total if total > 0 else 0.0


def process_ticks():
    ticks = {}
    self_pid = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == self_pid:
            continue
        line = _read("/proc/%s/stat" % pid)
        open_, close = line.find("("), line.rfind(")")
        if open_ < 0 or close < 0:
            continue
        rest = line[close + 2:].split()
        try:
            ticks["%s (%s)" % (line[open_ + 1:close], pid)] = int(rest[11]) + int(rest[12])
        except (IndexError, ValueError):
            continue
    return ticks


def busy_processes(before, after, seconds, min_percent=5.0):
    hz = os.sysconf("SC_CLK_TCK")
    busy = []
    for name, t in after.items():
        start = before.get(name, 0)
        if t >= start and seconds > 0:
            pct = 100.0 * (t - start) / hz / seconds
            if pct > min_percent:
                busy.append((pct, name))
    busy.sort(reverse=True)
    return "; ".join("%s %.0f%%" % (n, p) for p, n in busy) or "none"


PROTOCOL_TEXT = (
    "Python peers (scripts/py_bench.py). protocol:fair: the C++ suite's paired "
    "rounds from Python, on the suite's rings and cache states (through "
    "librelu_capi): every row of a group sampled once per round in shuffled "
    "order, B batches of K calls per sample (one-thread out:reuse and "
    "in-place rows of the producer and dram states taking turns batch by "
    "batch), the cache state prepared "
    "before each batch (untimed), only the calls timed with "
    "time.perf_counter_ns, a sample the median of its batches, "
    "results released after the clock stops, gc off; rounds until every "
    "comparison's 95% interval is within +-2% or the group's budget is spent; "
    "one iteration row per round. protocol:replay-<id>: the StackOverflow "
    "answer's own method as written (scripts/so-claims.json); the label says "
    "which figure the answer reported (reported:min, reported:mean, "
    "reported:row).")


def make_context(np, lib, preset, scale, quality, overhead):
    ctx = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else sys.executable,
        "num_cpus": os.cpu_count() or 1,
        "mhz_per_cpu": cpu_mhz(),
        "cpu_scaling_enabled": scaling_enabled(),
        "caches": caches(),
        "load_avg": list(os.getloadavg()),
        "library_build_type": "release",
        "python_version": platform.python_version(),
        "python_executable": sys.executable,
        "numpy_version": np.__version__,
        "numba_version": peers.by_form("numba").version(),
        "torch_version": peers.by_form("torch").version(),
        "protocol": PROTOCOL_TEXT,
        "relu_preset": preset,
        "cpu_model": cpu_model(),
        "cpu_id": cpu_id(),
        "thp": sysfs_choice("/sys/kernel/mm/transparent_hugepage/enabled"),
        "numpy_madvise_hugepage": numpy_hugepage(np),
        "relu_capi": lib.path,
        "hwy_target": lib.highway_target(),
        "stream_threshold_bytes": int(lib.lib.relu_stream_threshold_bytes()),
        "narrow_vector_threshold_bytes": int(lib.lib.relu_narrow_vector_threshold_bytes()),
        "parallel_threshold_bytes": int(lib.lib.relu_parallel_threshold_bytes()),
        # What one call costs the harness before any library runs: its loop
        # with a Python no-op, and a ctypes call that does nothing.
        "harness_loop_overhead_ns": "%.0f" % overhead.get("loop", 0),
        "harness_ctypes_overhead_ns": "%.0f" % overhead.get("ctypes", 0),
    }
    ctx.update(quality)
    if scale != "normal":
        ctx["py_bench_scale"] = scale
    return ctx
