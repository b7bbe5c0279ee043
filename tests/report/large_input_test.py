#!/usr/bin/env python3
"""Peak memory of relu_report on a large valid input stays within 3x the file's size.

usage: large_input_test.py RELU_REPORT SOURCE.json [MEGABYTES]

Builds the input with make_large_input.py (distinct benchmarks, as a long
sweep writes them), runs the report without plots and reads the child's peak
resident set from getrusage. The whole-document parse needed about 13x.
"""
import os
import resource
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_large_input  # noqa: E402


def main():
    binary, source = sys.argv[1], sys.argv[2]
    megabytes = float(sys.argv[3]) if len(sys.argv) > 3 else 30
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "large.json")
        sys.argv = ["make_large_input.py", source, big, str(megabytes)]
        make_large_input.main()
        size = os.path.getsize(big)
        run = subprocess.run(
            [binary, "--no-plots", "--out", os.path.join(tmp, "report.md"), big],
            capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print("input %.1f MB, peak RSS %.1f MB (%.2fx)" % (size / 1e6, peak / 1e6, peak / size))
    if run.returncode != 0:
        print("relu_report failed (%d): %s" % (run.returncode, run.stderr.strip()))
        return 1
    if peak > 3 * size:
        print("FAIL: peak memory above 3x the input")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
