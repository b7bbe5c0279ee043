# Shared by run.sh and test.sh: configure and build, saying what happens and never hiding an error.

# relu_configure <build dir>: configures a Release build; prints the peer
# lines (found, or skipped and why), and the whole log if configure fails.
relu_configure() {
  local log
  log=$(mktemp)
  if ! cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "configure failed (cmake -S . -B $1)" >&2
    return 1
  fi
  grep -E '^-- (Peer|Fuzzing|Sanitizers)' "$log" >&2 || true
  rm -f "$log"
}

# relu_build <build dir> [targets...]: builds, printing one line per finished
# target; compiler errors go to stderr as they come.
relu_build() {
  local dir=$1
  shift
  local targets=()
  [[ $# -gt 0 ]] && targets=(--target "$@")
  cmake --build "$dir" -j"$(nproc)" "${targets[@]}" |
    { grep --line-buffered -E '^\[ *[0-9]+%\] Built target|error|Error' || true; } >&2
  return "${PIPESTATUS[0]}"
}
