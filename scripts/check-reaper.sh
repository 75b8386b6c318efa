#!/usr/bin/env bash
# Checks scripts/test.sh's reaper (scripts/lib/reaper.sh, docs/testing.md): a suite that crashed
# leaves its private PostgreSQL and Redis running under the run's directory, and the reaper stops
# them, and only them.
#
# Usage: scripts/check-reaper.sh [BUILD_DIR]
#   Starts a "user's" PostgreSQL and Redis outside the run's directory (decoys), then a crashed
#   suite's: with BUILD_DIR/tests/app/test_outages built, that suite for real, killed with
#   SIGSEGV once its private instances run (its destructors never run); otherwise instances
#   started as the suites start them (scripts/pg-instance.sh, scripts/redis-instance.sh) and
#   left running. Then reaps the run's directory and checks that the crashed suite's servers are
#   gone and the decoys still answer. Needs SONIQUE_TEST_DATABASE_URL and SONIQUE_TEST_REDIS_URL
#   for the real suite (as scripts/test.sh sets them); without them, the simulated crash.
# Exit status 0 when the reaper stopped exactly the run's instances.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=scripts/lib/pg.sh
source "$here/lib/pg.sh"
# shellcheck source=scripts/lib/redis.sh
source "$here/lib/redis.sh"
# shellcheck source=scripts/lib/reaper.sh
source "$here/lib/reaper.sh"

build="${1:-$here/../build}"
run="$(mktemp -d "${TMPDIR:-/tmp}/sonique-reaper-run.XXXXXX")"
decoy="$(mktemp -d "${TMPDIR:-/tmp}/sonique-reaper-decoy.XXXXXX")"
chmod 755 "$run" "$decoy"
mkdir -p "$run/instances" && chmod 755 "$run/instances"
suite_pid=""
cleanup() {
  set +e
  [[ -z "$suite_pid" ]] || kill -KILL "$suite_pid" 2>/dev/null
  reap_instances "$run" >/dev/null 2>&1
  "$here/pg-instance.sh" destroy "$decoy/pg" >/dev/null 2>&1
  redis_stop "$decoy/redis" >/dev/null 2>&1
  rm -rf "$run" "$decoy"
}
trap cleanup EXIT

"$here/pg-instance.sh" start "$decoy/pg" >/dev/null
"$here/redis-instance.sh" start "$decoy/redis" >/dev/null

outages="$build/tests/app/test_outages"
if [[ -x "$outages" && -n "${SONIQUE_TEST_DATABASE_URL:-}" && -n "${SONIQUE_TEST_REDIS_URL:-}" ]]; then
  log "crashing $outages once its private instances run"
  SONIQUE_REPO_DIR="$(cd "$here/.." && pwd -P)" SONIQUE_TEST_INSTANCES_DIR="$run/instances" \
    "$outages" >"$run/suite.log" 2>&1 &
  suite_pid=$!
  for _ in $(seq 600); do
    if compgen -G "$run/instances/sonique-pg-*/data/postmaster.pid" >/dev/null ||
      compgen -G "$run/instances/sonique-redis-*/redis.pid" >/dev/null; then
      break
    fi
    sleep 0.1
  done
  sleep 1  # let it start what it starts together
  kill -SEGV "$suite_pid"
  wait "$suite_pid" 2>/dev/null || true
  suite_pid=""
else
  log "simulated crash: private instances started as the suites start them, never stopped"
  "$here/pg-instance.sh" start "$(mktemp -d "$run/instances/sonique-pg-XXXXXX")" >/dev/null
  "$here/redis-instance.sh" start "$(mktemp -d "$run/instances/sonique-redis-XXXXXX")" >/dev/null
fi

left=0
for d in "$run"/instances/sonique-pg-*; do pg_running "$d" && left=$((left + 1)); done
for d in "$run"/instances/sonique-redis-*; do redis_running "$d" && left=$((left + 1)); done
((left > 0)) || die "the crashed suite left nothing running: nothing to check"
log "$left instance(s) of the crashed suite running; reaping $run"
reaped="$(reap_instances "$run")"

status=0
for d in "$run"/instances/sonique-pg-* "$run"/instances/sonique-redis-*; do
  if pg_running "$d" || redis_running "$d"; then
    warn "still running after the reap: $d"
    status=1
  fi
done
pg_running "$decoy/pg" || { warn "the decoy PostgreSQL outside the run was stopped"; status=1; }
redis_running "$decoy/redis" || { warn "the decoy Redis outside the run was stopped"; status=1; }
((reaped == left)) || { warn "reaped $reaped, expected $left"; status=1; }
if ((status == 0)); then
  log "ok: the reaper stopped the $reaped instance(s) of the run, the decoys still run"
fi
exit "$status"
