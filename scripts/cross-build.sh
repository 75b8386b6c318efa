#!/usr/bin/env bash
# Cross-compiles Sonique for aarch64 (Raspberry Pi 4) and runs the `unit`-labelled tests
# under qemu user-mode emulation.
#
# Usage: scripts/cross-build.sh [CTEST ARGS...]
#   SKIP_DEPS=1   do not check/install the cross toolchain and :arm64 libraries
#
# As root on Debian 12 amd64: adds the arm64 architecture, installs g++-aarch64-linux-gnu,
# qemu-user and the :arm64 libraries (scripts/lib/deps.sh), configures build-aarch64/ with
# cmake/toolchains/aarch64-linux-gnu.cmake and -DSONIQUE_CROSS_UNIT_TESTS_ONLY=ON, builds,
# and runs `ctest -L unit` (each test through `timeout 300 qemu-aarch64`).
# Never benchmark under qemu (~13x slower).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$here/lib/deps.sh"

cd "$SONIQUE_ROOT"
if [[ -z "${SKIP_DEPS:-}" ]]; then
  install_deps --cross
fi

build_dir=build-aarch64
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  rm -rf "$build_dir"
fi
log "configuring $build_dir"
use_ccache
cmake -S . -B "$build_dir" -G Ninja "${LAUNCHER_ARGS[@]}" \
  -DCMAKE_TOOLCHAIN_FILE="$SONIQUE_ROOT/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSONIQUE_BUILD_TESTS=ON \
  -DSONIQUE_CROSS_UNIT_TESTS_ONLY=ON \
  -DSONIQUE_WERROR=ON >&2
log "building $build_dir"
cmake --build "$build_dir" -j "$(nproc 2>/dev/null || echo 2)"

# --no-tests=error: a run that finds no `unit` test fails instead of passing vacuously.
log "running unit tests under qemu-aarch64"
ctest --test-dir "$build_dir" -L unit --output-on-failure -j 2 --timeout 600 --no-tests=error "$@"
