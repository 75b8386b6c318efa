# shellcheck shell=bash
# Stops the PostgreSQL clusters and Redis servers a test run left under its own directory.
# Source it (after pg.sh and redis.sh).
#
#   reap_instances ROOT   stop every cluster (ROOT/**/data/postmaster.pid, up to three levels
#                         down) and every Redis (ROOT/**/redis.pid) still running there; prints
#                         what it stopped to stderr and the count to stdout
#
# A suite's private instances (tests/support/instances.cpp) are stopped by their destructors; a
# test that crashes (a segfault, an abort, ctest's timeout) never runs them, and its servers
# outlived the run. scripts/test.sh points the suites at a directory of the run
# (SONIQUE_TEST_INSTANCES_DIR) and reaps it before deleting it. Only what lies under ROOT is
# touched: a cluster is stopped by pg_ctl on its own data directory, a Redis by the pid its
# directory recorded, and only when that pid is a redis-server working in that directory, so other
# runs' and the user's servers are left alone.

reap_instances() {
  local root="$1" count=0 pidfile dir
  [[ -d "$root" ]] || {
    echo 0
    return 0
  }
  while IFS= read -r -d '' pidfile; do
    dir="$(dirname "$(dirname "$pidfile")")"
    if pg_running "$dir"; then
      PG_STOP_MODE=immediate pg_stop "$dir" 2>/dev/null || true
      warn "stopped a PostgreSQL left running in $dir"
      count=$((count + 1))
    fi
  done < <(find "$root" -mindepth 3 -maxdepth 4 -path '*/data/postmaster.pid' -print0 2>/dev/null)
  while IFS= read -r -d '' pidfile; do
    dir="$(cd "$(dirname "$pidfile")" && pwd -P)"
    # A recycled pid may be another redis-server: ours runs in its directory (--dir).
    if redis_running "$dir" && [[ "$(readlink "/proc/$(cat "$pidfile")/cwd" 2>/dev/null)" == "$dir" ]]; then
      redis_stop "$dir" 2>/dev/null || true
      warn "stopped a Redis left running in $dir"
      count=$((count + 1))
    fi
  done < <(find "$root" -mindepth 2 -maxdepth 3 -name redis.pid -print0 2>/dev/null)
  echo "$count"
}
