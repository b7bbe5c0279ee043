"""Checks that each plain Google Benchmark loop in a relu_bench file is a row of its resident group's rounds."""
import json
import sys


def main(path):
    with open(path) as f:
        rows = json.load(f)["benchmarks"]
    its = [r for r in rows if r.get("run_type") == "iteration"]
    loops = sorted({r["run_name"] for r in its
                    if "harness:gbench" in r["run_name"]})
    for name in loops:
        if not name.endswith("/harness:gbench"):
            sys.exit("%s: %s: not the grammar's name" % (path, name))
        resident = name[:-len("/harness:gbench")]
        rounds = {r["repetition_index"] for r in its if r["run_name"] == resident}
        mine = [r for r in its if r["run_name"] == name]
        indices = [r["repetition_index"] for r in mine]
        if not rounds:
            sys.exit("%s: %s: no resident row beside it" % (path, resident))
        if sorted(indices) != sorted(rounds):
            sys.exit("%s: %s: rounds %s, its group's %s"
                     % (path, name, sorted(indices), sorted(rounds)))
        if any(r.get("group_rounds") != len(rounds) for r in mine):
            sys.exit("%s: %s: group_rounds is not its group's" % (path, name))
        if not any(r.get("run_name") == name and r.get("aggregate_name") == "median"
                   for r in rows):
            sys.exit("%s: %s: no median aggregate" % (path, name))
    print("%d loops paired" % len(loops))


if __name__ == "__main__":
    main(sys.argv[1])
