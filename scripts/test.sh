#!/usr/bin/env bash
# The test command: installs what is missing, builds in Release, runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/build_lib.sh
scripts/setup.sh test
build_dir="${RELU_BUILD_DIR:-build}"
echo "== build ($build_dir; a first build compiles every Highway target: a few minutes on 2 cores)" >&2
relu_configure "$build_dir"
relu_build "$build_dir"
echo "== tests (ctest)" >&2
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
