# shellcheck shell=bash
# Shared helpers for Sonique's scripts. Source it; do not run it.
#
#   SONIQUE_ROOT          absolute path of the repository root
#   log/warn/die MSG      messages on stderr (stdout stays free for data)
#   need_root_or_sudo     sets SUDO to "" (root) or "sudo"; dies when neither works
#   as_root CMD...        runs CMD as root (directly or through sudo)
#   free_port             prints a TCP port that is free on 127.0.0.1
#   port_in_use PORT      succeeds when something listens on 127.0.0.1:PORT
#   wait_for_port PORT [SECONDS]   waits until 127.0.0.1:PORT accepts connections

if [[ -n "${_SONIQUE_COMMON_SH:-}" ]]; then
  return 0
fi
_SONIQUE_COMMON_SH=1

SONIQUE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export SONIQUE_ROOT

log() { printf '[sonique] %s\n' "$*" >&2; }
warn() { printf '[sonique] warning: %s\n' "$*" >&2; }
die() {
  printf '[sonique] error: %s\n' "$*" >&2
  exit 1
}

SUDO=""
need_root_or_sudo() {
  if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    die "this step needs root (run as root or with password-less sudo)"
  fi
}

as_root() {
  need_root_or_sudo
  if [[ -z "$SUDO" ]]; then
    "$@"
  else
    "$SUDO" -n "$@"
  fi
}

# Something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  local port="$1"
  (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null
}

# Prints a port on 127.0.0.1 that nobody listens on and that can be bound now.
# Ports are drawn at random from 20000-29999, below Linux's ephemeral range
# (32768-60999), so outgoing connections do not take them in the meantime.
# Callers still retry on a failed start: another process may win the race.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - <<'EOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 29999)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit("no free port found")
EOF
    return
  fi
  local port _
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 10000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

wait_for_port() {
  local port="$1" seconds="${2:-30}" i
  for ((i = 0; i < seconds * 20; i++)); do
    if port_in_use "$port"; then
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# Compiler cache for the builds of scripts/test.sh and scripts/cross-build.sh: when ccache is
# installed, sets LAUNCHER_ARGS to the CMake arguments that put it in front of the compilers
# (empty otherwise). Paths are rewritten relative to the checkout, so that a fresh clone elsewhere
# (CI) reuses what an earlier build compiled.
use_ccache() {
  LAUNCHER_ARGS=()
  if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="$SONIQUE_ROOT" CCACHE_NOHASHDIR=1
    LAUNCHER_ARGS=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
}
