# shellcheck shell=bash
# A private PostgreSQL 15 cluster in a directory of its own. Source it.
#
#   pg_init DIR            create DIR/data (copied from a cached, pre-initialised template)
#   pg_start DIR PORT      start it on 127.0.0.1:PORT; waits until pg_isready
#   pg_stop DIR            stop it (fast shutdown); no error when it is not running
#   pg_restart DIR [PORT]  stop + start (PORT defaults to the last one used)
#   pg_running DIR         succeeds when its postmaster runs
#   pg_port DIR            prints the port it was last started on
#   pg_createdb DIR NAME   creates database NAME unless it exists
#
# Layout of DIR: data/ (PGDATA), run/ (unix socket), postgres.log, port.
# PostgreSQL refuses to run as root: as root, everything runs as the `postgres` user
# (the postgresql package creates it; a `sonique` system user is created when it is
# missing); as another user, as that user. The superuser role is always `postgres`,
# authentication is `trust`, and the server listens on 127.0.0.1 only.
#
# Settings: PG_FSYNC=off (default, for tests) or on (a persistent cluster), PG_STOP_MODE=fast.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_VERSION="${PG_VERSION:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/${PG_VERSION}/bin}"
PG_TEMPLATE_DIR="${PG_TEMPLATE_DIR:-/tmp/sonique-pg-template-${PG_VERSION}}"

# The OS user that owns and runs the clusters.
pg_os_user() {
  if [[ "$(id -u)" -ne 0 ]]; then
    id -un
  elif id -u postgres >/dev/null 2>&1; then
    echo postgres
  else
    if ! id -u sonique >/dev/null 2>&1; then
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sonique
    fi
    echo sonique
  fi
}

# Runs a command as the cluster's OS user, from / (it may not be able to enter the cwd).
_pg_as_user() {
  local user
  user="$(pg_os_user)"
  if [[ "$(id -u)" -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    (cd / && "$@")
  fi
}

_pg_abs() {
  local dir="$1"
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  echo "$dir"
}

# The cluster's user must be able to walk down to DIR. Temporary directories made by
# `mktemp -d` are 0700 root: they get the traverse bit (o+x, not read); anything outside
# the temporary directories is reported instead of changed.
_pg_ensure_traversable() {
  local dir="$1" user path tmp="${TMPDIR:-/tmp}"
  [[ "$(id -u)" -eq 0 ]] || return 0
  user="$(pg_os_user)"
  path="$dir"
  while [[ "$path" != "/" ]]; do
    path="$(dirname "$path")"
    if ! runuser -u "$user" -- test -x "$path" 2>/dev/null; then
      case "$path/" in
        /tmp/?* | /var/tmp/?* | "${tmp%/}"/?*) chmod o+x "$path" ;;
        *) die "user $user cannot enter $path: put the cluster under a world-traversable directory (e.g. /tmp)" ;;
      esac
    fi
  done
}

# Creates the cached template data directory once (initdb ~1 s); concurrent callers wait.
_pg_ensure_template() {
  [[ -f "$PG_TEMPLATE_DIR/PG_VERSION" ]] && return 0
  local user lock="${PG_TEMPLATE_DIR}.lock"
  user="$(pg_os_user)"
  (
    flock -w 120 9 || die "timed out waiting for $lock"
    [[ -f "$PG_TEMPLATE_DIR/PG_VERSION" ]] && exit 0
    local tmp="${PG_TEMPLATE_DIR}.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    chown "$user" "$tmp"
    chmod 0700 "$tmp"
    _pg_as_user "$PG_BIN/initdb" -D "$tmp" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"${tmp}.log" 2>&1 || {
      cat "${tmp}.log" >&2
      die "initdb failed"
    }
    rm -f "${tmp}.log"
    # Per-instance settings (port, socket dir, fsync) live in sonique.conf, written at start.
    printf "\ninclude_if_exists = 'sonique.conf'\n" >>"$tmp/postgresql.conf"
    mv "$tmp" "$PG_TEMPLATE_DIR"
  ) 9>"$lock"
}

pg_init() {
  local dir user
  dir="$(_pg_abs "$1")"
  user="$(pg_os_user)"
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL $PG_VERSION is not installed ($PG_BIN)"
  mkdir -p "$dir"
  [[ -f "$dir/data/PG_VERSION" ]] && return 0
  _pg_ensure_traversable "$dir"
  _pg_ensure_template
  if [[ "$(id -u)" -eq 0 ]]; then
    chown "$user" "$dir"
    chmod 0700 "$dir"
  fi
  rm -rf "$dir/data.tmp"
  cp -a "$PG_TEMPLATE_DIR" "$dir/data.tmp"
  mv "$dir/data.tmp" "$dir/data"
  mkdir -p "$dir/run"
  [[ "$(id -u)" -ne 0 ]] || chown "$user" "$dir/run"
  chmod 0700 "$dir/run"
}

pg_running() {
  local dir
  dir="$(_pg_abs "$1")"
  [[ -f "$dir/data/postmaster.pid" ]] || return 1
  _pg_as_user "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

pg_port() {
  local dir
  dir="$(_pg_abs "$1")"
  [[ -f "$dir/port" ]] || return 1
  cat "$dir/port"
}

pg_start() {
  local dir port user
  dir="$(_pg_abs "$1")"
  port="$2"
  user="$(pg_os_user)"
  [[ -f "$dir/data/PG_VERSION" ]] || pg_init "$dir"
  if pg_running "$dir"; then
    if [[ "$(pg_port "$dir" 2>/dev/null)" == "$port" ]]; then
      return 0
    fi
    pg_stop "$dir"
  fi
  local conf="$dir/data/sonique.conf"
  {
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    # A unix socket path is limited to 107 bytes: deep directories get TCP only.
    if ((${#dir} + 20 < 100)); then
      echo "unix_socket_directories = '$dir/run'"
    else
      echo "unix_socket_directories = ''"
    fi
    echo "max_connections = 200"
    echo "fsync = ${PG_FSYNC:-off}"
    if [[ "${PG_FSYNC:-off}" == "off" ]]; then
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$conf"
  [[ "$(id -u)" -ne 0 ]] || chown "$user" "$conf"
  echo "$port" >"$dir/port"
  # -l sends the postmaster's output to the log: it must not hold our caller's stdout open.
  if ! _pg_as_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    </dev/null >/dev/null 2>&1; then
    tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
    return 1
  fi
  local i
  for ((i = 0; i < 200; i++)); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
      return 0
    fi
    sleep 0.05
  done
  warn "PostgreSQL in $dir started but does not answer on port $port"
  return 1
}

pg_stop() {
  local dir
  dir="$(_pg_abs "$1")"
  pg_running "$dir" || return 0
  _pg_as_user "$PG_BIN/pg_ctl" -D "$dir/data" -m "${PG_STOP_MODE:-fast}" -w -t 60 stop \
    </dev/null >/dev/null 2>&1 || {
    # The postmaster can vanish between the status check and the stop.
    pg_running "$dir" || return 0
    _pg_as_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop </dev/null >/dev/null 2>&1
  }
}

pg_restart() {
  local dir port
  dir="$(_pg_abs "$1")"
  port="${2:-}"
  if [[ -z "$port" ]]; then
    port="$(pg_port "$dir")" || die "no port recorded in $dir; pass one"
  fi
  pg_stop "$dir"
  pg_start "$dir" "$port"
}

pg_createdb() {
  local dir name port
  dir="$(_pg_abs "$1")"
  name="$2"
  port="$(pg_port "$dir")"
  if "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -qx 1; then
    return 0
  fi
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
}
