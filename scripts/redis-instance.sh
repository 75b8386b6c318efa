#!/usr/bin/env bash
# A private, throwaway Redis server (no persistence) for tests.
#
# Usage:
#   redis-instance.sh start  DIR [PORT]  start redis-server on 127.0.0.1:PORT (a free port when
#                                        omitted), wait for PING; prints the port
#   redis-instance.sh stop   DIR         kill it (SIGTERM, SIGKILL after 5 s) and wait until gone
#   redis-instance.sh status DIR         exit 0 when running, 3 when not
#
# The pid is recorded in DIR/redis.pid, the log in DIR/redis.log. Nothing but the port goes
# to stdout; the server does not hold the caller's stdin/stdout/stderr open.
# URL: redis://127.0.0.1:PORT/0
set -euo pipefail

# shellcheck source=scripts/lib/redis.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/redis.sh"

usage() {
  sed -n '4,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

(($# >= 2)) || usage
cmd="$1"
dir="$2"
port="${3:-}"
[[ -n "$dir" ]] || usage

case "$cmd" in
  start)
    if [[ -z "$port" ]] && redis_running "$dir"; then
      port="$(redis_port "$dir")"
    elif [[ -n "$port" ]]; then
      redis_start "$dir" "$port" || die "redis-server did not start on port $port (log: $dir/redis.log)"
    else
      started=""
      for _ in 1 2 3 4 5; do
        port="$(free_port)"
        if redis_start "$dir" "$port" 2>/dev/null; then
          started=1
          break
        fi
      done
      [[ -n "$started" ]] || die "redis-server did not start (log: $dir/redis.log)"
    fi
    echo "$port"
    ;;
  stop)
    redis_stop "$dir"
    ;;
  status)
    if redis_running "$dir"; then exit 0; else exit 3; fi
    ;;
  *)
    usage
    ;;
esac
