#!/usr/bin/env bash
# A private, throwaway PostgreSQL 15 cluster for tests that need to stop or restart
# the database mid-test.
#
# Usage:
#   pg-instance.sh start   DIR [PORT]  create DIR if needed (copy of a cached template, ~0.2 s),
#                                      start on 127.0.0.1:PORT (a free port when omitted),
#                                      wait until it accepts connections; prints the port
#   pg-instance.sh stop    DIR         fast shutdown (clients are disconnected); no-op if stopped
#   pg-instance.sh restart DIR [PORT]  stop + start, on the previous port unless PORT is given;
#                                      prints the port
#   pg-instance.sh status  DIR         exit 0 when running, 3 when not
#   pg-instance.sh destroy DIR         stop, then delete DIR
#
# Connect as the superuser: postgresql://postgres@127.0.0.1:PORT/postgres (trust auth).
# Nothing but the port goes to stdout; diagnostics go to stderr, the server log to
# DIR/postgres.log. Works as root (the server runs as the `postgres` user; DIR's parents
# under /tmp get the traverse bit) or as an ordinary user. Exit status 0 on success.
# Env: PG_FSYNC=off|on (default off), PG_STOP_MODE=fast|immediate|smart (default fast).
set -euo pipefail

# shellcheck source=scripts/lib/pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/pg.sh"

usage() {
  sed -n '5,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

(($# >= 2)) || usage
cmd="$1"
dir="$2"
port="${3:-}"
[[ -n "$dir" ]] || usage

case "$cmd" in
  start | restart)
    if [[ "$cmd" == restart && -z "$port" ]]; then
      port="$(pg_port "$dir" 2>/dev/null || true)"
    fi
    if [[ "$cmd" == restart ]]; then
      pg_stop "$dir"
    fi
    if [[ -z "$port" ]] && pg_running "$dir"; then
      port="$(pg_port "$dir")"
    elif [[ -n "$port" ]]; then
      pg_start "$dir" "$port" || die "PostgreSQL did not start on port $port (log: $dir/postgres.log)"
    else
      # Another process may take the port between the probe and the bind: retry.
      started=""
      for _ in 1 2 3 4 5; do
        port="$(free_port)"
        if pg_start "$dir" "$port" 2>/dev/null; then
          started=1
          break
        fi
      done
      [[ -n "$started" ]] || die "PostgreSQL did not start (log: $dir/postgres.log)"
    fi
    echo "$port"
    ;;
  stop)
    pg_stop "$dir"
    ;;
  status)
    if pg_running "$dir"; then exit 0; else exit 3; fi
    ;;
  destroy)
    if [[ -d "$dir" ]]; then
      pg_stop "$dir"
      rm -rf "$dir"
    fi
    ;;
  *)
    usage
    ;;
esac
