# shellcheck shell=bash
# Installs what Sonique needs to build, test and run on Debian 12. Source it.
#
#   install_deps            native build/test/run packages + npm assets (swagger-ui-dist)
#   install_deps --cross    the same, plus the aarch64 cross toolchain, qemu and :arm64 libraries
#
# Idempotent and fast when everything is there: dpkg-query decides what is missing,
# and `apt-get update` runs (once) only when something must be installed.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SONIQUE_NATIVE_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates python3 python3-venv ffmpeg
  postgresql postgresql-contrib redis-server libpq-dev
  libcpp-httplib-dev libtag1-dev libhiredis-dev libsimdjson-dev nlohmann-json3-dev
  libgtest-dev libfaiss-dev libopenblas-dev libsodium-dev libwebp-dev libjpeg62-turbo-dev libstb-dev libjemalloc-dev
  libssl-dev libexpat1-dev
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libebur128-dev libfftw3-dev
  clang-format curl wrk nodejs npm ccache ffmpeg
  iproute2
  # The UPnP schemas test_dlna validates against (DIDL-Lite, UPnP, Dublin Core; SOAP 1.1) and
  # xmllint. None is kept in the repository.
  libxml2-utils libgupnp-av-1.0-3 xmltooling-schemas
)

# Host tools for the aarch64 cross build.
SONIQUE_CROSS_HOST_PACKAGES=(g++-aarch64-linux-gnu qemu-user)
# Installed as :arm64. libpq-dev, libsimdjson-dev and libjemalloc-dev are NOT here: their arm64
# and amd64 variants conflict, so only the runtime libraries are installed for arm64 (the amd64
# -dev headers are identical; jemalloc's is not used) and the toolchain file points CMake at them.
SONIQUE_CROSS_ARM64_PACKAGES=(
  libcpp-httplib-dev libtag1-dev libhiredis-dev libfaiss-dev libgtest-dev
  libsodium-dev libwebp-dev libjpeg62-turbo-dev libstb-dev libgomp1 libopenblas0-pthread
  libssl-dev libexpat1-dev
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libebur128-dev libfftw3-dev
  libpq5 libsimdjson14 libjemalloc2
)

_SONIQUE_APT_UPDATED=""

_SONIQUE_NATIVE_ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"

# Succeeds when package $1 is installed: NAME:ARCH for that architecture, a bare NAME for
# the native one (or arch all). With arm64 added, a bare name can match both instances.
pkg_installed() {
  local name="$1" want line
  if [[ "$name" == *:* ]]; then
    want="${name##*:}"
  else
    want="$_SONIQUE_NATIVE_ARCH"
  fi
  while IFS= read -r line; do
    case "$line" in
      "$want install ok installed" | "all install ok installed") return 0 ;;
    esac
  done < <(dpkg-query -W -f='${Architecture} ${Status}\n' "$name" 2>/dev/null || true)
  return 1
}

# Packages whose job another installed package already does: NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package.
_pkg_satisfied() {
  case "$1" in
    npm) pkg_installed npm || command -v npm >/dev/null 2>&1 ;;
    *) pkg_installed "$1" ;;
  esac
}

apt_update_once() {
  if [[ -z "$_SONIQUE_APT_UPDATED" ]]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    _SONIQUE_APT_UPDATED=1
  fi
}

apt_install() {
  (($# > 0)) || return 0
  apt_update_once
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

_install_native() {
  local missing=() p
  for p in "${SONIQUE_NATIVE_PACKAGES[@]}"; do
    _pkg_satisfied "$p" || missing+=("$p")
  done
  apt_install "${missing[@]}"
}

_install_cross() {
  local missing=() p
  for p in "${SONIQUE_CROSS_HOST_PACKAGES[@]}"; do
    pkg_installed "$p" || missing+=("$p")
  done
  for p in "${SONIQUE_CROSS_ARM64_PACKAGES[@]}"; do
    pkg_installed "$p:arm64" || missing+=("$p:arm64")
  done
  ((${#missing[@]} > 0)) || return 0

  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "dpkg --add-architecture arm64"
    as_root dpkg --add-architecture arm64
    _SONIQUE_APT_UPDATED="" # the arm64 package lists are not there yet
  fi
  apt_update_once
  local available=()
  for p in "${missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1; then
      available+=("$p")
    else
      warn "package $p does not exist in the configured archives; skipping it"
    fi
  done
  # Adding arm64 libraries may upgrade their amd64 twins (libssl, PostgreSQL 15): expected.
  apt_install "${available[@]}"
}

# npm assets (Swagger UI) into $SONIQUE_ROOT/node_modules, from package-lock.json.
_install_npm_assets() {
  [[ -f "$SONIQUE_ROOT/package.json" ]] || return 0
  [[ -d "$SONIQUE_ROOT/node_modules/swagger-ui-dist" ]] && return 0
  log "installing npm assets (swagger-ui-dist)"
  # --ignore-scripts: swagger-ui-dist pulls @scarf/scarf, whose only install script phones home.
  if [[ -f "$SONIQUE_ROOT/package-lock.json" ]]; then
    (cd "$SONIQUE_ROOT" && npm ci --no-audit --no-fund --ignore-scripts >&2)
  else
    (cd "$SONIQUE_ROOT" && npm install --no-audit --no-fund --ignore-scripts >&2)
  fi
}

install_deps() {
  local cross=""
  while (($# > 0)); do
    case "$1" in
      --cross) cross=1 ;;
      *) die "install_deps: unknown option $1" ;;
    esac
    shift
  done
  _install_native
  if [[ -n "$cross" ]]; then
    _install_cross
  fi
  _install_npm_assets
}
