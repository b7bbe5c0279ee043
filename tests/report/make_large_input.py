#!/usr/bin/env python3
"""Writes a large valid Google Benchmark file for memory and speed checks of relu_report.

usage: make_large_input.py SOURCE.json OUT.json MEGABYTES

Repeats SOURCE's rows (e.g. reports/amd-epyc-2c-avx3_dl-l1d48k/full/bench.json) until OUT reaches the
size, each copy with its element counts scaled (n:N becomes n:N*(k+1)), so
every copy is a distinct benchmark the report must keep, reduce and render,
as a very long sweep would be. Written as Google Benchmark writes, one key
per line.
"""
import json
import re
import sys


def main():
    source, out, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
    doc = json.load(open(source))
    rows = doc["benchmarks"]
    target = int(megabytes * 1e6)
    n_key = re.compile(r"/n:(\d+)")
    with open(out, "w") as f:
        f.write('{\n  "context": ' + json.dumps(doc["context"], indent=2) +
                ',\n  "benchmarks": [\n')
        written, copy, first = 0, 0, True
        while written < target:
            scale = copy + 1
            for row in rows:
                r = dict(row)
                for key in ("name", "run_name"):
                    if key in r:
                        r[key] = n_key.sub(
                            lambda m: "/n:%d" % (int(m.group(1)) * scale), r[key])
                text = json.dumps(r, indent=6)
                if not first:
                    f.write(",\n")
                first = False
                f.write("    " + text)
                written += len(text) + 6
            copy += 1
        f.write("\n  ]\n}\n")


if __name__ == "__main__":
    main()
