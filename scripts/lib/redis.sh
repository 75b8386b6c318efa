# shellcheck shell=bash
# A private Redis server without persistence. Source it.
#
#   redis_start DIR PORT   start `redis-server` on 127.0.0.1:PORT as a (non-daemonised)
#                          background child of the calling shell; waits for PING;
#                          records the pid in DIR/redis.pid, logs to DIR/redis.log
#   redis_stop DIR         stop it (SIGTERM, then SIGKILL after 5 s); no-op when not running
#   redis_running DIR      succeeds when the recorded process is alive
#   redis_port DIR         prints the port it was started on
#
# The server survives its parent shell's exit (it is not in a trap of its own); callers
# tear it down with redis_stop, usually from a `trap ... EXIT`.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_redis_abs() {
  local dir="$1"
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  echo "$dir"
}

# Alive and not a zombie waiting for its reaper.
_pid_alive() {
  local pid="$1" state
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The pid recorded in DIR, if that process is still our redis-server.
_redis_pid() {
  local dir="$1" pid
  [[ -f "$dir/redis.pid" ]] || return 1
  pid="$(cat "$dir/redis.pid")"
  _pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis-server || return 1
  echo "$pid"
}

redis_running() {
  _redis_pid "$(_redis_abs "$1")" >/dev/null
}

redis_port() {
  local dir
  dir="$(_redis_abs "$1")"
  [[ -f "$dir/port" ]] || return 1
  cat "$dir/port"
}

redis_ping() {
  local port="$1"
  [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]
}

redis_start() {
  local dir port pid i
  dir="$(_redis_abs "$1")"
  port="$2"
  mkdir -p "$dir"
  if pid="$(_redis_pid "$dir")"; then
    if [[ "$(redis_port "$dir" 2>/dev/null)" == "$port" ]]; then
      return 0
    fi
    redis_stop "$dir"
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed"
  # stdin/stdout/stderr are redirected so that the server does not hold the caller's pipes.
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$dir" --logfile "" --protected-mode no \
    </dev/null >>"$dir/redis.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/redis.pid"
  echo "$port" >"$dir/port"
  for ((i = 0; i < 200; i++)); do
    if redis_ping "$port"; then
      return 0
    fi
    if ! _pid_alive "$pid"; then
      tail -n 5 "$dir/redis.log" >&2 || true
      return 1
    fi
    sleep 0.05
  done
  warn "redis-server (pid $pid) does not answer PING on port $port"
  redis_stop "$dir"
  return 1
}

redis_stop() {
  local dir pid i
  dir="$(_redis_abs "$1")"
  pid="$(_redis_pid "$dir")" || {
    rm -f "$dir/redis.pid"
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    _pid_alive "$pid" || break
    sleep 0.05
  done
  if _pid_alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      _pid_alive "$pid" || break
      sleep 0.05
    done
  fi
  # Reap it when it is our own child (so no zombie stays behind in a long-lived shell).
  wait "$pid" 2>/dev/null || true
  rm -f "$dir/redis.pid"
}
