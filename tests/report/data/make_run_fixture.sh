#!/usr/bin/env bash
# Writes the report tests' new-format fixture: a real, small run of this tree
# (run_bench.json, run_py.json and the two semantics files), and a claims
# file whose shape is py_bench --tiny's 40x50, so every section renders.
#
# Usage: tests/report/data/make_run_fixture.sh [BUILD_DIR]   (default build)
# The numbers are whatever this machine measured; only the structure
# matters to the tests. Regenerate the goldens after rerunning it
# (RELU_UPDATE_GOLDEN=1 ctest --test-dir build -R report.Golden).
set -euo pipefail
cd "$(dirname "$0")/../../.."
build=${1:-build}
data=tests/report/data
python=/usr/bin/python3
# Six variants (forward, in place, parametric, gradient, backward), every
# form, peer and copy, at 16 KiB / 8 KiB and 4 MiB, in every state.
filter='^(relu/(maximum|maximum_inplace|multiply|leaky|grad_greater|backward_where)|copy/[a-z_]+)/[a-z]+/f(32|64)/n:(2048|524288)/'
"$build/bench/relu_bench" --relu_preset=full --relu_budget_scale=0.02 \
  --benchmark_filter="$filter" --benchmark_repetitions=4 \
  --benchmark_min_time=0.01 \
  --benchmark_out="$data/run_bench.json" --benchmark_out_format=json >/dev/null
"$python" scripts/py_bench.py --preset so --tiny --replay --quiet \
  --kernels-lib "$build/bench/librelu_capi.so" --out "$data/run_py.json"
"$build/bench/relu_semantics" --out "$data/run_semantics.json"
"$python" scripts/numpy_semantics.py "$data/run_semantics.json" \
  --out "$data/run_numpy_semantics.json"
"$python" - "$data" <<'PY'
import json, sys
data = sys.argv[1]
claims = json.load(open("scripts/so-claims.json"))
claims["shape"] = [40, 50]
claims["about"] = "Test copy of scripts/so-claims.json at py_bench --tiny's shape."
with open(data + "/run_so_claims.json", "w") as f:
    json.dump(claims, f, indent=1)
    f.write("\n")
PY
