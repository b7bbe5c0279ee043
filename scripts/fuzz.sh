#!/usr/bin/env bash
# Long libFuzzer runs of the report parsers: builds fuzz/ with clang (ASan+UBSan) and runs each target for SECONDS (default 600).
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   TARGET: bench_json, semantics, so_claims, bench_name (default: all four, one after another)
# RELU_FUZZ_BUILD_DIR (default build-fuzz) holds the build and, per target,
# work/<target>/corpus (grown inputs, kept between runs) and
# work/<target>/artifacts (crash inputs). A crash input belongs in
# fuzz/corpus/<target>/ as crash-<what it broke>, where ctest's fuzz runs and
# report_test's FuzzCorpusTest replay it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(bench_json semantics so_claims bench_name)
build_dir="${RELU_FUZZ_BUILD_DIR:-build-fuzz}"
cxx=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$cxx" ]]; then
  echo "fuzz.sh: clang++ not found (Debian: apt-get install clang)" >&2
  exit 1
fi

echo "== build ($build_dir, $cxx)" >&2
cmake -S fuzz -B "$build_dir" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
nice -n 10 cmake --build "$build_dir" -j"$(nproc)" >/dev/null

status=0
for t in "${targets[@]}"; do
  work="$build_dir/work/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  echo "== fuzz_$t for $seconds s (log: $work/log.txt)" >&2
  if nice -n 10 "$build_dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -dict=fuzz/json.dict \
      -artifact_prefix="$work/artifacts/" "$work/corpus" "fuzz/corpus/$t" \
      >"$work/log.txt" 2>&1; then
    grep -E '^#[0-9]+.*DONE|^Done|^stat::number_of_executed_units|^stat::peak_rss_mb' \
      "$work/log.txt" || tail -n 3 "$work/log.txt"
  else
    status=1
    tail -n 30 "$work/log.txt"
    echo "fuzz_$t: crash; input in $work/artifacts/" >&2
  fi
done
exit "$status"
