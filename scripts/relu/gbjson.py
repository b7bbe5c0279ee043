"""Google Benchmark's JSON schema (1.7.1), written from Python: per-repetition rows, then the aggregates GB would add.

Upstream compare.py reads these files like any Google Benchmark output, so
its U-test sees every sample.
"""

import json
import math
import os
import sys
import tempfile


def dump(data, f):
    """Google Benchmark's JSON, compact: the context indented, then one
    benchmark row per line. A full run keeps every round (about 100,000
    rows), which GB's own indentation makes twice as large."""
    f.write('{\n  "context": ')
    f.write(json.dumps(data.get("context", {}), indent=2, allow_nan=False)
            .replace("\n", "\n  "))
    rest = [k for k in data if k not in ("context", "benchmarks")]
    for k in rest:
        f.write(',\n  %s: %s' % (json.dumps(k), json.dumps(data[k], allow_nan=False)))
    f.write(',\n  "benchmarks": [')
    for i, row in enumerate(data.get("benchmarks", [])):
        f.write("\n    " if i == 0 else ",\n    ")
        f.write(json.dumps(row, separators=(", ", ": "), allow_nan=False))
    f.write("\n  ]\n}\n")


def write_json_atomic(path, data):
    """Writes data as JSON to path through a temporary file and a rename.

    On any error the temporary file is removed and path is left as it was.
    """
    _write_atomic(path, lambda f: dump(data, f))


def write_text_atomic(path, text):
    """Writes text to path as write_json_atomic writes JSON."""
    _write_atomic(path, lambda f: f.write(text))


def _write_atomic(path, write):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file 0600; a report's inputs are as readable as
        # any file the user creates.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def check_writable(path):
    """Raises OSError now if path's directory cannot take a new file."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                               suffix=".probe", dir=directory)
    os.close(fd)
    os.unlink(tmp)


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

    def add(self, name, samples, counters, extra_stats=(), label=None,
            threads=1, per_rep=None):
        """samples: [(real_ns_per_iter, cpu_ns_per_iter, iterations)], one per repetition.

        counters(real_ns) -> {counter: value} for one repetition; per_rep,
        when given, one more {counter: value} per repetition.
        Aggregates (mean, median, stddev, cv, then extra_stats) follow when
        there are two repetitions or more, as Google Benchmark does.
        """
        family = self._family
        self._family += 1
        reps = len(samples)
        kept = []
        for i, (real, cpu, iters) in enumerate(samples):
            c = counters(real)
            if per_rep is not None:
                c.update(per_rep[i])
            kept.append(c)
            row = {
                "name": name, "family_index": family,
                "per_family_instance_index": 0, "run_name": name,
                "run_type": "iteration", "repetitions": reps,
                "repetition_index": i, "threads": threads,
                "iterations": int(iters), "real_time": float(real),
                "cpu_time": float(cpu), "time_unit": "ns",
            }
            row.update(sorted(c.items()))
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
                "name": name + "_" + stat, "family_index": family,
                "per_family_instance_index": 0, "run_name": name,
                "run_type": "aggregate", "repetitions": reps,
                "threads": threads, "aggregate_name": stat,
                "aggregate_unit": "percentage" if stat == "cv" else "time",
                "iterations": reps, "real_time": float(f(reals)),
                "cpu_time": float(f(cpus)), "time_unit": "ns",
            }
            for key in sorted(kept[0]):
                row[key] = float(f([c[key] for c in kept]))
            if label:
                row["label"] = label
            self.rows.append(row)


def main(argv):
    """python3 -m relu.gbjson FILE...: rewrites Google Benchmark JSON files
    (relu_bench's) in the compact layout, atomically."""
    if not argv:
        print("usage: python3 -m relu.gbjson FILE...", file=sys.stderr)
        return 2
    for path in argv:
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print("gbjson: %s: %s" % (path, e), file=sys.stderr)
            return 2
        write_json_atomic(path, data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
