#!/usr/bin/env bash
# The main command: installs what is missing, builds, runs a preset of the suite and writes its report.
#
# Usage: scripts/run.sh [quick|full|so]   (default: full)
# Writes reports/<machine>/<preset>/, <machine> being this machine's name
# (relu_report --machine-slug, e.g. amd-epyc-2c-avx2-l1d32k): bench.json (C++
# suite), py.json (NumPy, Numba, PyTorch), semantics.json and
# numpy_semantics.json (edge inputs), probe.md (full: the cache-state probe
# and, with NumPy, the Python harness probe), report.md, appendix.md and
# plots/. Environment: RELU_BUILD_DIR (default build), RELU_REPORT_DIR
# (instead of reports/<machine>/<preset>), RELU_BENCH_ARGS (extra Google
# Benchmark flags).
set -euo pipefail

preset=full
[[ $# -ge 1 ]] && preset=$1
case "$preset" in
  -h|--help) sed -n '4,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
  quick|full|so) ;;
  *) echo "run.sh: unknown preset '$preset' (expected quick, full or so; --help)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
. scripts/build_lib.sh

scripts/setup.sh all
build_dir="${RELU_BUILD_DIR:-build}"
python=/usr/bin/python3
start=$SECONDS

echo "== build ($build_dir; a first build compiles every Highway target: a few minutes on 2 cores)" >&2
relu_configure "$build_dir"
relu_build "$build_dir" relu_bench relu_probe relu_semantics relu_report relu_capi

mkdir -p reports
# Every artefact is written to a scratch directory and moved beside its
# final name only when complete, so an interrupted run leaves the previous
# report whole.
tmp_dir=$(mktemp -d reports/.run.XXXXXX)
trap 'rm -rf "$tmp_dir"' EXIT

echo "== semantics table" >&2
"$build_dir/bench/relu_semantics" --out "$tmp_dir/semantics.json"
"$python" scripts/numpy_semantics.py "$tmp_dir/semantics.json" --out "$tmp_dir/numpy_semantics.json"

echo "== C++ suite, preset $preset" >&2
# shellcheck disable=SC2086
"$build_dir/bench/relu_bench" --relu_preset="$preset" \
  --benchmark_out="$tmp_dir/bench.json" --benchmark_out_format=json \
  ${RELU_BENCH_ARGS:-} >"$tmp_dir/bench.txt"
# One row per line instead of Google Benchmark's indentation: a full run
# keeps every round.
PYTHONPATH=scripts "$python" -m relu.gbjson "$tmp_dir/bench.json"

if [[ $preset == full ]]; then
  # What each cache state costs over resident, taken apart arm by arm in
  # one process; the report's state section cites it.
  echo "== probe: cache states (relu_probe --knob=state)" >&2
  for dtype in f64 f32; do
    "$build_dir/bench/relu_probe" --knob=state --dtype=$dtype \
      --sizes=256KiB,1MiB,4MiB,16MiB,64MiB
    echo
  done >"$tmp_dir/probe.md"
fi

if "$python" -c 'import numpy' 2>/dev/null; then
  echo "== Python peers (NumPy, Numba, PyTorch), preset $preset" >&2
  "$python" scripts/py_bench.py --preset "$preset" --out "$tmp_dir/py.json" \
    --kernels-lib "$build_dir/bench/librelu_capi.so"
  if [[ $preset == full ]]; then
    # Where the Python harness's time goes beyond the kernel's: C-timed,
    # Python-timed and the harness floor alternating in one process; the
    # report's harness section cites it beside the state probe.
    echo "== probe: the Python harness (py_bench.py --probe-harness)" >&2
    {
      echo
      "$python" scripts/py_bench.py --probe-harness \
        --kernels-lib "$build_dir/bench/librelu_capi.so"
    } >>"$tmp_dir/probe.md"
  fi
else
  echo "run.sh: $python has no NumPy; Python peers skipped" >&2
fi

machine=$("$build_dir/report/relu_report" --machine-slug "$tmp_dir/bench.json")
out_dir="${RELU_REPORT_DIR:-reports/$machine/$preset}"
mkdir -p "$out_dir"
for f in semantics.json numpy_semantics.json bench.json bench.txt probe.md py.json; do
  if [[ -f "$tmp_dir/$f" ]]; then
    mv -f "$tmp_dir/$f" "$out_dir/$f"
  elif [[ $f == probe.md || $f == py.json ]]; then
    rm -f "$out_dir/$f"  # not this run's: a stale one would mislead
  fi
done
inputs=("$out_dir/bench.json")
[[ -f "$out_dir/py.json" ]] && inputs+=("$out_dir/py.json")
probe=()
[[ -f "$out_dir/probe.md" ]] && probe=(--probe "$out_dir/probe.md")

echo "== report" >&2
"$build_dir/report/relu_report" --out "$out_dir/report.md" \
  --semantics "$out_dir/semantics.json" --semantics "$out_dir/numpy_semantics.json" \
  --so-claims scripts/so-claims.json "${probe[@]}" "${inputs[@]}"
echo "run.sh: preset $preset done in $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s; report in $out_dir/report.md" >&2
