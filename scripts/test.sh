#!/usr/bin/env bash
# Builds Sonique and runs its test suites against a throwaway PostgreSQL and Redis.
#
# Usage: scripts/test.sh [CTEST ARGS...]      e.g. scripts/test.sh -R pool
#   SANITIZE=1   ASan+UBSan build in build-asan/ (default: build/, RelWithDebInfo)
#   CROSS=1      afterwards, the aarch64 cross build and its unit tests (scripts/cross-build.sh)
#   SKIP_DEPS=1  do not check/install Debian and npm packages, nor the Python client venv
#   BUILD_DIR=D  build in D instead of build/ or build-asan/
#
# As root on Debian 12: installs what is missing, configures and builds with CMake/Ninja
# (warnings are errors), checks clang-format on tracked *.cpp/*.hpp, starts PostgreSQL and
# Redis on free ports in a temporary directory and runs ctest. Both servers are stopped on
# exit, whatever happened, and so are the suites' private instances that a crashed test left
# running in that directory (scripts/lib/reaper.sh; check: scripts/check-reaper.sh). Exit
# status: non-zero if the build, formatting, ctest or the cross build failed.
#
# The suites get: SONIQUE_TEST_DATABASE_URL (superuser URL of database `sonique`; suites
# create their own databases from it), SONIQUE_TEST_REDIS_URL, SONIQUE_REPO_DIR,
# SONIQUE_FIXTURES_DIR (unless set: ../shared/fixtures, else beside the repository it was
# cloned from, when present).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$here/lib/deps.sh"
# shellcheck source=scripts/lib/client_venv.sh
source "$here/lib/client_venv.sh"
# shellcheck source=scripts/lib/pg.sh
source "$here/lib/pg.sh"
# shellcheck source=scripts/lib/redis.sh
source "$here/lib/redis.sh"
# shellcheck source=scripts/lib/reaper.sh
source "$here/lib/reaper.sh"

cd "$SONIQUE_ROOT"
jobs="$(nproc 2>/dev/null || echo 2)"

if [[ -z "${SKIP_DEPS:-}" ]]; then
  # shellcheck disable=SC2119 # no arguments: the native packages only
  install_deps
  # py-opensonic for test_subsonic_client, pinned, in var/py-client/ (SONIQUE_CLIENT_VENV).
  install_client_venv
fi

# --- build -------------------------------------------------------------------------------
build_dir=build
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONIQUE_BUILD_TESTS=ON -DSONIQUE_WERROR=ON)
use_ccache
cmake_args+=("${LAUNCHER_ARGS[@]}")
if [[ "${SANITIZE:-0}" == 1 ]]; then
  build_dir=build-asan
  cmake_args+=(-DSONIQUE_SANITIZE=ON)
fi
build_dir="${BUILD_DIR:-$build_dir}"
# A build directory configured by another generator cannot be reused with Ninja.
if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  rm -rf "$build_dir"
fi
log "configuring $build_dir"
cmake -S . -B "$build_dir" "${cmake_args[@]}" >&2
log "building $build_dir"
cmake --build "$build_dir" -j "$jobs"

# --- formatting ----------------------------------------------------------------------------
format_status=0
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t sources < <(git ls-files -- '*.cpp' '*.hpp')
else
  mapfile -t sources < <(find . -path ./node_modules -prune -o -path './build*' -prune -o \
    -path ./var -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print)
fi
if ((${#sources[@]} > 0)); then
  log "clang-format check of ${#sources[@]} files"
  format_log="$(mktemp)"
  if ! printf '%s\0' "${sources[@]}" | xargs -0 clang-format --dry-run --Werror 2>"$format_log"; then
    format_status=1
    head -n 40 "$format_log" >&2
    warn "not clang-formatted (fix with: clang-format -i FILE...):"
    grep -oE '^[^:[:space:]]+\.(cpp|hpp):' "$format_log" | sed 's/:$//' | sort -u | sed 's/^/  /' >&2
  fi
  rm -f "$format_log"
fi

# --- throwaway servers ----------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/sonique-test.XXXXXX")"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  set +e
  redis_stop "$work/redis" 2>/dev/null
  pg_stop "$work/pg" 2>/dev/null
  # What a crashed suite left running under this run's directory (its private instances).
  reap_instances "$work" >/dev/null
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_with_retry() { # FUNCTION DIR: start on a free port, retrying when another process took it
  local fn="$1" dir="$2" port _
  for _ in 1 2 3 4 5; do
    port="$(free_port)"
    if "$fn" "$dir" "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
pg_port_num="$(start_with_retry pg_start "$work/pg")" || die "PostgreSQL did not start"
pg_createdb "$work/pg" sonique
# Not in $(...): the server must be a child of this shell, not of a subshell.
redis_port_num="$(free_port)"
if ! redis_start "$work/redis" "$redis_port_num"; then
  redis_port_num="$(free_port)"
  redis_start "$work/redis" "$redis_port_num" || die "redis-server did not start"
fi
log "PostgreSQL on 127.0.0.1:$pg_port_num, Redis on 127.0.0.1:$redis_port_num"

export SONIQUE_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:${pg_port_num}/sonique"
export SONIQUE_TEST_REDIS_URL="redis://127.0.0.1:${redis_port_num}/0"
export SONIQUE_REPO_DIR="$SONIQUE_ROOT"
# The suites' private PostgreSQL and Redis instances (tests/support/instances.cpp) live here, so
# that the reaper below finds those of a test that crashed before its destructors ran.
export SONIQUE_TEST_INSTANCES_DIR="$work/instances"
mkdir -p "$SONIQUE_TEST_INSTANCES_DIR"
chmod 755 "$work" "$SONIQUE_TEST_INSTANCES_DIR"
# The suites that run `sonique serve` must not announce it on this machine's network (SSDP) nor
# take the DLNA eventing port: DLNA is off for them; the DLNA suite turns it on inside the
# network namespaces it makes.
export SONIQUE_DLNA=off
# The fixtures live beside the checkout (../shared/fixtures); a clone made elsewhere (e.g.
# `git clone /work/main /tmp/x`) finds them beside the local repository it was cloned from.
if [[ -z "${SONIQUE_FIXTURES_DIR:-}" ]]; then
  origin="$(git -C "$SONIQUE_ROOT" config --get remote.origin.url 2>/dev/null || true)"
  for candidate in "$SONIQUE_ROOT/../shared/fixtures" "${origin:+$origin/../shared/fixtures}"; do
    if [[ -n "$candidate" && -d "$candidate" ]]; then
      SONIQUE_FIXTURES_DIR="$(cd "$candidate" && pwd -P)"
      export SONIQUE_FIXTURES_DIR
      break
    fi
  done
fi

# --- tests -----------------------------------------------------------------------------------
test_status=0
ctest --test-dir "$build_dir" --output-on-failure -j 2 --timeout 600 "$@" || test_status=$?
if ((test_status != 0)); then
  # The throwaway server's complaints (refused connections, deadlocks) go with its directory:
  # show them beside the failures.
  warn "PostgreSQL's FATAL, PANIC and deadlock lines during the tests (if any):"
  grep -E "FATAL|PANIC|deadlock" "$work/pg/postgres.log" 2>/dev/null | tail -n 40 >&2 || true
fi

# Instances still running now belong to suites that crashed (a clean suite stops its own).
reaped="$(reap_instances "$SONIQUE_TEST_INSTANCES_DIR")"
if ((reaped > 0)); then
  warn "$reaped PostgreSQL/Redis instance(s) left running by crashed tests were stopped"
fi
redis_stop "$work/redis"
pg_stop "$work/pg"

cross_status=0
if [[ "${CROSS:-0}" == 1 ]]; then
  log "aarch64 cross build"
  "$here/cross-build.sh" || cross_status=$?
fi

if ((format_status != 0)); then
  warn "clang-format check failed"
fi
if ((cross_status != 0)); then
  warn "aarch64 cross build or its tests failed (status $cross_status)"
fi
if ((test_status != 0)); then
  exit "$test_status"
fi
if ((format_status != 0 || cross_status != 0)); then
  exit 1
fi
exit 0
