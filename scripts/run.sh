#!/usr/bin/env bash
# Builds and runs Sonique locally, with its own PostgreSQL and Redis under var/.
#
# Usage: scripts/run.sh [MUSIC_DIR]
#   MUSIC_DIR        library to scan (default: a small generated demo library in var/demo-music)
#   PORT             HTTP port (default 8001)
#   DATABASE_URL     use this database instead of starting one (var/pg, port SONIQUE_PG_PORT=5433)
#   REDIS_URL        use this Redis instead of starting one (var/redis, port SONIQUE_REDIS_PORT=6380)
#   ENCRYPTION_KEY   key for encrypted settings (default: a random one kept in var/encryption.key)
#   SKIP_DEPS=1      do not check/install Debian and npm packages
#   SKIP_BUILD=1     use the existing build-release/app/sonique
#   SONIQUE_DLNA=off do not announce the server to TVs and players on the local network (UPnP/DLNA
#                    is on by default: SSDP on UDP 1900 of every private-address interface, GENA
#                    eventing on PORT+1; in Docker it needs host networking: docs/dlna-network.md)
#
# Idempotent: a second run reuses var/ (the database persists). Ctrl-C or SIGTERM stops the
# server, then the PostgreSQL and Redis this script started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=scripts/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$here/lib/deps.sh"
# shellcheck source=scripts/lib/pg.sh
source "$here/lib/pg.sh"
# shellcheck source=scripts/lib/redis.sh
source "$here/lib/redis.sh"

music_arg="${1:-}"
if [[ -n "$music_arg" ]]; then
  [[ -d "$music_arg" ]] || die "no such directory: $music_arg"
  music_arg="$(cd "$music_arg" && pwd -P)"
fi
cd "$SONIQUE_ROOT"

if [[ -z "${SKIP_DEPS:-}" ]]; then
  # shellcheck disable=SC2119 # no arguments: the native packages only
  install_deps
fi

# --- build ---------------------------------------------------------------------------------
build_dir=build-release
sonique="$SONIQUE_ROOT/$build_dir/app/sonique"
demo_library="$SONIQUE_ROOT/$build_dir/app/sonique-demo-library"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  if [[ -f "$build_dir/CMakeCache.txt" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
    rm -rf "$build_dir"
  fi
  use_ccache
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONIQUE_BUILD_TESTS=OFF \
    "${LAUNCHER_ARGS[@]}" >&2
  cmake --build "$build_dir" -j "$(nproc 2>/dev/null || echo 2)" --target sonique sonique-demo-library
fi
[[ -x "$sonique" ]] || die "$sonique was not built"

# --- services ------------------------------------------------------------------------------
mkdir -p var
var_dir="$SONIQUE_ROOT/var"
started_pg=""
started_redis=""
server_pid=""

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  set +e
  trap - INT TERM
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    log "stopping sonique"
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [[ -n "$started_redis" ]]; then
    log "stopping Redis"
    redis_stop "$var_dir/redis"
  fi
  if [[ -n "$started_pg" ]]; then
    log "stopping PostgreSQL"
    pg_stop "$var_dir/pg"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${DATABASE_URL:-}" ]]; then
  pg_dir="$var_dir/pg"
  pg_port_num="${SONIQUE_PG_PORT:-5433}"
  if pg_running "$pg_dir"; then
    log "PostgreSQL already running in $pg_dir (port $(pg_port "$pg_dir")); reusing it"
    pg_port_num="$(pg_port "$pg_dir")"
  else
    port_in_use "$pg_port_num" && die "port $pg_port_num is taken: set SONIQUE_PG_PORT"
    log "starting PostgreSQL in $pg_dir on port $pg_port_num"
    PG_FSYNC=on pg_start "$pg_dir" "$pg_port_num" || die "PostgreSQL did not start (log: $pg_dir/postgres.log)"
    started_pg=1
  fi
  pg_createdb "$pg_dir" sonique
  export DATABASE_URL="postgresql://postgres@127.0.0.1:${pg_port_num}/sonique"
fi

if [[ -z "${REDIS_URL:-}" ]]; then
  redis_dir="$var_dir/redis"
  redis_port_num="${SONIQUE_REDIS_PORT:-6380}"
  if redis_running "$redis_dir"; then
    redis_port_num="$(redis_port "$redis_dir")"
    log "Redis already running in $redis_dir (port $redis_port_num); reusing it"
  else
    port_in_use "$redis_port_num" && die "port $redis_port_num is taken: set SONIQUE_REDIS_PORT"
    log "starting Redis in $redis_dir on port $redis_port_num"
    redis_start "$redis_dir" "$redis_port_num" || die "redis-server did not start"
    started_redis=1
  fi
  export REDIS_URL="redis://127.0.0.1:${redis_port_num}/0"
fi

# Encrypted settings need a key that survives restarts: one is made once in var/.
if [[ -z "${ENCRYPTION_KEY:-}" ]]; then
  key_file="$var_dir/encryption.key"
  if [[ ! -s "$key_file" ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key_file")
  fi
  ENCRYPTION_KEY="$(cat "$key_file")"
  export ENCRYPTION_KEY
fi

# --- database and library ---------------------------------------------------------------------
log "migrating"
"$sonique" migrate

if [[ -n "$music_arg" ]]; then
  MUSIC_PATH="$music_arg"
else
  MUSIC_PATH="$var_dir/demo-music"
  if [[ -x "$demo_library" ]]; then
    if [[ ! -d "$MUSIC_PATH" ]] || [[ -z "$(ls -A "$MUSIC_PATH")" ]]; then
      log "generating a demo library in $MUSIC_PATH"
      "$demo_library" "$MUSIC_PATH"
    fi
  else
    log "no sonique-demo-library binary yet: no demo library generated (pass MUSIC_DIR)"
    mkdir -p "$MUSIC_PATH"
  fi
fi
export MUSIC_PATH

log "scanning $MUSIC_PATH"
scan_status=0
"$sonique" scan "$MUSIC_PATH" || scan_status=$?
if ((scan_status != 0)); then
  warn "sonique scan failed (status $scan_status); serving what the database has"
fi

# --- serve --------------------------------------------------------------------------------------
export PORT="${PORT:-8001}"
export SONIQUE_DATA_DIR="${SONIQUE_DATA_DIR:-$var_dir/data}"
log "serving on http://127.0.0.1:${PORT}/ (Ctrl-C stops everything)"
"$sonique" serve &
server_pid=$!
# `wait` returns early when a trapped signal arrives; the EXIT trap then stops the server.
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
exit "$server_status"
