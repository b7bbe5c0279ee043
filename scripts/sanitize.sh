#!/usr/bin/env bash
# The sanitizer habit in one command: builds everything with ASan+UBSan (GCC, then clang) and runs the whole test suite under each.
#
# usage: scripts/sanitize.sh [gcc|clang|all]   (default: all)
# Build directories: build-san-gcc and build-san-clang (RELU_SANITIZE_DIR_PREFIX
# changes "build-san"). RELU_SANITIZE_GCC and RELU_SANITIZE_CLANG choose the
# sanitizers (default address,undefined for both).
#
# Left out, and why: Protocol.* and ThresholdProbe.* measure time against
# budgets that instrumentation breaks (tests/protocol_test.cc is being
# rewritten to scale them); the Fuzz.* runs, which are ASan+UBSan builds of
# their own in the normal build. Every other test runs, the Python ones with
# the sanitizer runtime preloaded (tests/python/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
prefix="${RELU_SANITIZE_DIR_PREFIX:-build-san}"
jobs=$(nproc)
exclude='^(Protocol|ThresholdProbe)\.'

# Findings fail the test that made them, with a stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run() {  # run <name> <c++ compiler> <sanitizers>
  local name=$1 cxx=$2 sanitize=$3 dir="$prefix-$1"
  if ! command -v "$cxx" >/dev/null; then
    echo "== $name: $cxx not found, skipped" >&2
    return 0
  fi
  mkdir -p "$dir"
  echo "== $name: configure $dir (CXX=$cxx, RELU_SANITIZE=$sanitize)" >&2
  # -O1 with assertions: fast enough for the kernels' tests, still checked.
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DRELU_SANITIZE="$sanitize" -DRELU_FUZZ=OFF >"$dir/sanitize.configure.log" 2>&1 ||
    { cat "$dir/sanitize.configure.log" >&2; return 1; }
  grep -E '^-- (Sanitizers|Peer)' "$dir/sanitize.configure.log" >&2 || true
  echo "== $name: build (every Highway target, instrumented: several minutes)" >&2
  nice -n 10 cmake --build "$dir" -j"$jobs" >"$dir/sanitize.build.log" 2>&1 ||
    { grep -E 'error|Error|runtime error|ERROR' -A5 "$dir/sanitize.build.log" | head -n 60 >&2; return 1; }
  echo "== $name: ctest -E '$exclude'" >&2
  nice -n 10 ctest --test-dir "$dir" -j"$jobs" -E "$exclude" --output-on-failure \
    >"$dir/sanitize.ctest.log" 2>&1 || { tail -n 80 "$dir/sanitize.ctest.log" >&2; return 1; }
  grep -E 'tests passed|Total Test time' "$dir/sanitize.ctest.log" >&2
}

status=0
case "$which" in
  gcc | all) run gcc g++ "${RELU_SANITIZE_GCC:-address,undefined}" || status=1 ;;&
  clang | all) run clang clang++ "${RELU_SANITIZE_CLANG:-address,undefined}" || status=1 ;;
  gcc) ;;
  *) echo "usage: scripts/sanitize.sh [gcc|clang|all]" >&2; exit 2 ;;
esac
[[ $status -eq 0 ]] && echo "== sanitizers: clean" >&2 || echo "== sanitizers: FAILED (logs: $prefix-*/sanitize.*.log)" >&2
exit "$status"
