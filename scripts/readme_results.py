#!/usr/bin/env python3
"""README.md's results: the first screen of a committed report, re-rendered from that run's JSON.

README.md marks the block with
    <!-- results: reports/<machine>/so -->  ...  <!-- /results -->
and this script fills it with the first screen relu_report renders from the
run directory's bench.json and py.json (the answer, why the StackOverflow
answers disagreed, what leaving NumPy buys), links made relative to the
repository. --check exits 1 when the README's block differs, so a test
ties every number the README quotes to the committed JSON.

Usage: readme_results.py --report-binary build/report/relu_report (--check | --write)
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = re.compile(r"<!-- results: (?P<run>[^ ]+) -->\n")
END = "<!-- /results -->"


def fail(msg):
    print("readme_results.py: " + msg, file=sys.stderr)
    sys.exit(2)


def first_screen(binary, run_dir):
    """The report's opening, from "**The answer**" to the line before
    "Inputs:", rendered afresh from the run's JSON."""
    inputs = [os.path.join(run_dir, f) for f in ("bench.json", "py.json")
              if os.path.exists(os.path.join(run_dir, f))]
    if not inputs:
        fail("%s: holds neither bench.json nor py.json" % run_dir)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.md")
        cmd = [binary, "--no-plots", "--out", out,
               "--so-claims", os.path.join(ROOT, "scripts", "so-claims.json")]
        probe = os.path.join(run_dir, "probe.md")
        if os.path.exists(probe):
            cmd += ["--probe", probe]
        r = subprocess.run(cmd + inputs, capture_output=True, text=True)
        if r.returncode != 0:
            fail("relu_report failed: " + r.stderr.strip())
        with open(out) as f:
            text = f.read()
    start = text.find("**The answer**")
    end = text.find("\nInputs:")
    if start < 0 or end < 0:
        fail("%s: the report has no first screen (no NumPy rows at the "
             "question's shape?)" % run_dir)
    block = text[start:end].rstrip() + "\n"
    rel = os.path.relpath(run_dir, ROOT)
    # Links into the appendix, relative to the README.
    block = block.replace("](appendix.md", "](%s/appendix.md" % rel)
    return block


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report-binary", required=True)
    ap.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    args = ap.parse_args()
    try:
        with open(args.readme) as f:
            readme = f.read()
    except OSError as e:
        fail("%s: %s" % (args.readme, e.strerror))
    m = BEGIN.search(readme)
    end = readme.find(END, m.end()) if m else -1
    if not m or end < 0:
        fail("%s: no '<!-- results: RUN_DIR -->' ... '%s' block" % (args.readme, END))
    run_dir = os.path.join(ROOT, m.group("run"))
    want = first_screen(args.report_binary, run_dir)
    have = readme[m.end():end]
    if args.check:
        if have == want:
            return 0
        have_lines, want_lines = have.splitlines(), want.splitlines()
        for i, (h, w) in enumerate(zip(have_lines + [""] * len(want_lines),
                                       want_lines + [""] * len(have_lines))):
            if h != w:
                print("readme_results.py: README.md's results differ from %s's JSON "
                      "at block line %d\n  README: %s\n  JSON:   %s\n(rerun with "
                      "--write)" % (m.group("run"), i + 1, h, w), file=sys.stderr)
                break
        return 1
    new = readme[:m.end()] + want + readme[end:]
    if new != readme:
        tmp = args.readme + ".tmp"
        with open(tmp, "w") as f:
            f.write(new)
        os.replace(tmp, args.readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
