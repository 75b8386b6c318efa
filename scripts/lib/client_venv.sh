# shellcheck shell=bash
# The Python virtual environment of the real-client tests (test_subsonic_client: py-opensonic;
# test_dlna_net_e2e: async-upnp-client) and their dependencies, pinned in
# tests/subsonic/client/requirements.txt, from PyPI. Source it.
#
#   install_client_venv    creates or updates $SONIQUE_CLIENT_VENV when the requirements changed
#
# SONIQUE_CLIENT_VENV defaults to var/py-client/ in the checkout (var/ is not tracked). The
# venv is built from Debian's python3 (python3-venv, in deps.sh) and remembers the hash of the
# requirements it was made from, so that an unchanged one costs nothing.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SONIQUE_CLIENT_VENV="${SONIQUE_CLIENT_VENV:-$SONIQUE_ROOT/var/py-client}"
export SONIQUE_CLIENT_VENV

install_client_venv() {
  local requirements="$SONIQUE_ROOT/tests/subsonic/client/requirements.txt" stamp want
  stamp="$SONIQUE_CLIENT_VENV/.requirements.sha256"
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ -x "$SONIQUE_CLIENT_VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "creating the Python client venv in $SONIQUE_CLIENT_VENV (from PyPI)"
  rm -rf "$SONIQUE_CLIENT_VENV"
  # Debian's interpreter, not whichever python3 comes first in PATH (pyenv shims and the like).
  /usr/bin/python3 -m venv "$SONIQUE_CLIENT_VENV" ||
    die "python3 -m venv failed (is python3-venv installed?)"
  "$SONIQUE_CLIENT_VENV/bin/pip" install --quiet --disable-pip-version-check --no-input \
    -r "$requirements" >&2 || die "pip could not install $requirements (is PyPI reachable?)"
  echo "$want" >"$stamp"
}
