#!/usr/bin/env bash
# The main command: installs what is missing, builds, runs a preset of the suite and writes its report.
#
# Usage: scripts/run.sh [quick|full|so]   (default: full)
# Writes reports/<preset>/: bench.json (C++ suite), py.json (NumPy, Numba,
# PyTorch), semantics.json and numpy_semantics.json (edge inputs), report.md
# and plots/. Environment: RELU_BUILD_DIR (default build), RELU_REPORT_DIR
# (default reports/<preset>), RELU_BENCH_ARGS (extra Google Benchmark flags).
set -euo pipefail

preset=full
[[ $# -ge 1 ]] && preset=$1
case "$preset" in
  -h|--help) sed -n '4,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
  quick|full|so) ;;
  *) echo "run.sh: unknown preset '$preset' (expected quick, full or so; --help)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
. scripts/build_lib.sh

scripts/setup.sh all
build_dir="${RELU_BUILD_DIR:-build}"
out_dir="${RELU_REPORT_DIR:-reports/$preset}"
python=/usr/bin/python3

echo "== build ($build_dir; a first build compiles every Highway target: a few minutes on 2 cores)" >&2
relu_configure "$build_dir"
relu_build "$build_dir" relu_bench relu_semantics relu_report relu_capi

mkdir -p "$out_dir"
# Every artefact is written beside its final name and renamed when complete,
# so an interrupted run leaves the previous report whole.
tmp_dir=$(mktemp -d "$out_dir/.run.XXXXXX")
trap 'rm -rf "$tmp_dir"' EXIT

echo "== semantics table" >&2
"$build_dir/bench/relu_semantics" --out "$tmp_dir/semantics.json"
"$python" scripts/numpy_semantics.py "$tmp_dir/semantics.json" --out "$tmp_dir/numpy_semantics.json"

echo "== C++ suite, preset $preset" >&2
# shellcheck disable=SC2086
"$build_dir/bench/relu_bench" --relu_preset="$preset" \
  --benchmark_out="$tmp_dir/bench.json" --benchmark_out_format=json \
  ${RELU_BENCH_ARGS:-} >"$tmp_dir/bench.txt"

inputs=("$tmp_dir/bench.json")
if "$python" -c 'import numpy' 2>/dev/null; then
  echo "== Python peers (NumPy, Numba, PyTorch), preset $preset" >&2
  "$python" scripts/py_bench.py --preset "$preset" --out "$tmp_dir/py.json" \
    --kernels-lib "$build_dir/bench/librelu_capi.so"
  inputs+=("$tmp_dir/py.json")
else
  echo "run.sh: $python has no NumPy; Python peers skipped" >&2
fi

for f in semantics.json numpy_semantics.json bench.json bench.txt py.json; do
  [[ -f "$tmp_dir/$f" ]] && mv -f "$tmp_dir/$f" "$out_dir/$f"
done
final_inputs=("$out_dir/bench.json")
[[ ${#inputs[@]} -gt 1 ]] && final_inputs+=("$out_dir/py.json")

echo "== report" >&2
"$build_dir/report/relu_report" --out "$out_dir/report.md" \
  --semantics "$out_dir/semantics.json" --semantics "$out_dir/numpy_semantics.json" \
  --so-claims scripts/so-claims.json "${final_inputs[@]}"
