#!/usr/bin/env bash
# Installs the Debian packages this project needs, only those that are missing.
#
# Usage: scripts/setup.sh [test|all]
#   test: what building and testing need (C++ libraries, NumPy for the
#         semantics cross-check, matplotlib for plots, upstream compare.py).
#   all:  test, plus the Python peers (Numba, PyTorch) the main job times.
# Quiet and fast when everything is present; exits non-zero with a clear
# message when a required package cannot be installed. Peers are optional:
# when one cannot be installed the suite skips it and says so.
set -euo pipefail

profile="${1:-all}"
case "$profile" in
  test|all) ;;
  *) echo "setup.sh: unknown profile '$profile' (expected 'test' or 'all')" >&2; exit 2 ;;
esac

required=(
  cmake g++ make git pkg-config
  libhwy-dev libeigen3-dev libfmt-dev nlohmann-json3-dev
  libbenchmark-dev libgtest-dev libpthreadpool-dev
  python3-numpy python3-matplotlib python3-scipy
)
# Peers: built or run when present, skipped with a message when absent.
optional=(libxnnpack-dev libdnnl-dev libbenchmark-tools)
if [[ "$profile" == all ]]; then
  optional+=(python3-numba python3-torch)
fi

missing() {
  local pkg
  for pkg in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

mapfile -t need < <(missing "${required[@]}")
mapfile -t want < <(missing "${optional[@]}")
if [[ ${#need[@]} -eq 0 && ${#want[@]} -eq 0 ]]; then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "setup.sh: missing packages (${need[*]} ${want[*]}) and not root, no sudo: install them with apt-get" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "setup.sh: missing Debian packages: ${need[*]} ${want[*]}" >&2
echo "setup.sh: updating the package lists (apt-get update; under a minute)" >&2
if ! "${sudo_cmd[@]}" apt-get update -qq >/dev/null; then
  echo "setup.sh: 'apt-get update' failed; cannot install ${need[*]} ${want[*]}" >&2
  [[ ${#need[@]} -eq 0 ]] || exit 1
fi

# What apt would fetch: "N newly installed" and "Need to get X MB".
plan=$(apt-get install --no-install-recommends --assume-no "${need[@]}" "${want[@]}" 2>/dev/null || true)
count=$(sed -n 's/.* \([0-9][0-9]*\) newly installed.*/\1/p' <<<"$plan")
size=$(sed -n 's/^Need to get \([^ ]* [kMG]*B\).*/\1/p' <<<"$plan" | sed 's#.*/##')
minutes=$(( ${count:-0} / 150 + 1 ))
echo "setup.sh: installing ${count:-some} packages (${size:-size unknown} to download) with their" \
  "dependencies; on a fresh machine this takes about $minutes-$((minutes * 3)) minutes" >&2

# apt-get quietly, with a progress line every 20 packages so a first run
# never sits silent for minutes; errors (E:) are passed through.
apt_install() {
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "$@" 2>&1 |
    awk -v total="${count:-0}" '
      /^Get:/        { got++; if (got % 20 == 0) printf "setup.sh:   downloaded %d of %d packages\n", got, total > "/dev/stderr"; fflush() }
      /^Setting up / { set++; if (set % 20 == 0) printf "setup.sh:   set up %d of %d packages\n", set, total > "/dev/stderr"; fflush() }
      /^E: /         { print > "/dev/stderr" }'
  return "${PIPESTATUS[0]}"
}

if [[ ${#need[@]} -gt 0 ]]; then
  if ! apt_install "${need[@]}"; then
    echo "setup.sh: could not install required packages: ${need[*]}" >&2
    exit 1
  fi
fi
# Optional packages together, else one by one so one failure skips only its peer.
if [[ ${#want[@]} -gt 0 ]] && ! apt_install "${want[@]}"; then
  for pkg in "${want[@]}"; do
    if ! apt_install "$pkg"; then
      echo "setup.sh: optional package $pkg could not be installed; its peer will be skipped" >&2
    fi
  done
fi
echo "setup.sh: packages installed" >&2
