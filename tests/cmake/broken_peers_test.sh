#!/usr/bin/env bash
# Configures the project against deliberately broken peer packages: configure must succeed, skip each peer in one line, and build nothing against it.
#
# Usage: broken_peers_test.sh <source dir> <cmake> <case>
#   broken:  a prefix (searched before the system's) whose xnnpack.h and
#            oneapi/dnnl/dnnl.hpp do not compile, whose libraries are not
#            ELF files, and whose dnnl-config.cmake is fatal, as Debian's is
#            without OpenCL headers.
#   broken-library: only the libraries are broken (not ELF files), so the
#            system's headers are found and the link fails.
#   missing: both peers switched off, as on a machine without them.
set -euo pipefail
src="$1" cmake="$2" case="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
mkdir -p "$prefix/include/oneapi/dnnl" "$prefix/lib/cmake/dnnl"
case "$case" in
  broken)
    echo '#error "this xnnpack.h is broken on purpose"' >"$prefix/include/xnnpack.h"
    echo '#error "this dnnl.hpp is broken on purpose"' >"$prefix/include/oneapi/dnnl/dnnl.hpp"
    printf '#define DNNL_VERSION_MAJOR 2\n#define DNNL_VERSION_MINOR 6\n#define DNNL_VERSION_PATCH 3\n' \
      >"$prefix/include/oneapi/dnnl/dnnl_version.h"
    echo 'not a library' >"$prefix/lib/libXNNPACK.so"
    echo 'not a library' >"$prefix/lib/libdnnl.so"
    echo 'message(FATAL_ERROR "this dnnl-config.cmake is broken on purpose")' \
      >"$prefix/lib/cmake/dnnl/dnnl-config.cmake"
    args=(-DCMAKE_PREFIX_PATH="$prefix")
    ;;
  broken-library)
    echo 'not a library' >"$prefix/lib/libXNNPACK.so"
    echo 'not a library' >"$prefix/lib/libdnnl.so"
    args=(-DCMAKE_PREFIX_PATH="$prefix")
    ;;
  missing)
    args=(-DRELU_PEER_XNNPACK=OFF -DRELU_PEER_ONEDNN=OFF)
    ;;
  *) echo "broken_peers_test.sh: unknown case '$case'" >&2; exit 2 ;;
esac
if ! "$cmake" -S "$src" -B "$work/build" -DRELU_BUILD_REPORT=OFF "${args[@]}" >"$work/log" 2>&1; then
  echo "FAIL: configure stopped on a $case peer:" >&2
  cat "$work/log" >&2
  exit 1
fi
status=0
for peer in XNNPACK oneDNN; do
  line=$(grep -E "^-- Peer $peer: " "$work/log" || true)
  echo "$line"
  if [[ $(grep -cE "^-- Peer $peer: skipped \(" "$work/log") -ne 1 ]]; then
    echo "FAIL: expected one line 'Peer $peer: skipped (...)'" >&2
    status=1
  fi
done
# Nothing is compiled against a skipped peer.
if grep -rqE 'RELU_HAVE_(XNNPACK|ONEDNN)' "$work/build/bench" 2>/dev/null; then
  echo "FAIL: a skipped peer is still compiled into relu_peers" >&2
  status=1
fi
[[ $status -eq 0 ]] && echo "PASS: configure succeeded and skipped both $case peers"
exit $status
