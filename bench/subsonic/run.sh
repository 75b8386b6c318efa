#!/usr/bin/env bash
# OpenSubsonic benchmark (scripts/bench.sh subsonic, issue 16): a Release sonique and supysonic
# (PyPI, bench/subsonic/requirements.txt, in a venv under BENCH_DIR, its own SQLite database,
# served by gunicorn with 2 processes) over the same generated library of BENCH_FILES files
# (sonique-demo-library, as `bench.sh scan` makes it), in the same run. Prints each figure beside
# its target:
#   - getAlbumList2 (alphabeticalByName, size 50) and getArtists: wrk, 64 connections, DURATION
#     seconds, requests/s and p99 of both servers and their ratio (Sonique with a token-auth URL;
#     supysonic knows no token authentication: p= for it);
#   - a full-library sync (search3, empty query, 500 songs a page, to the end): seconds, and
#     Sonique's peak RSS during it (VmHWM reset just before through /proc/PID/clear_refs);
#   - getCoverArt?size=600 of an album with a cover, cached: requests/s, and what was served;
#   - time to first byte of `stream?format=opus` (median of 5), "not supported" when the answer
#     is not audio/ogg;
#   - concurrent real-time Opus transcodes on two cores: 1, 2, 4, ... streams read as fast as
#     they come for 8 s each; a level holds when every stream got at least as much audio as the
#     wall time it took (bench/subsonic/opus_streams.py).
# The transcoding source is one 30-minute FLAC generated with ffmpeg in a second library root.
#   BENCH_FILES (20000)  DURATION (10)  BENCH_DIR (/tmp/sonique-bench)  BENCH_BUILD_DIR
#   (build-bench)  SKIP_DEPS (unset: install wrk, ffmpeg, python3-venv when missing)
#   SYNC_ONLY (unset; 1: only the full sync, without supysonic: its scan alone takes minutes)
#   SUPYSONIC_RESCAN (unset: reuse supysonic's scanned database kept in BENCH_DIR; 1: scan again)
#   SYNC_RUNS (1: how many syncs one after the other; the peak RSS is over all of them)
#   SONIQUE_BIN (unset: BENCH_BUILD_DIR's, built first; else that binary as it is, e.g. a copy
#   of an earlier build, to compare two versions on the same library)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
# shellcheck source=scripts/lib/common.sh
source "$root/scripts/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$root/scripts/lib/deps.sh"
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"
# shellcheck source=scripts/lib/redis.sh
source "$root/scripts/lib/redis.sh"

files="${BENCH_FILES:-20000}"
duration="${DURATION:-10}"
bench_dir="${BENCH_DIR:-/tmp/sonique-bench}"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
user=bench
password='bench pass'
[[ -n "${SKIP_DEPS:-}" ]] || install_deps
command -v wrk >/dev/null || apt_install wrk
command -v ffmpeg >/dev/null || apt_install ffmpeg

# --- builds, library, venv ----------------------------------------------------------------
use_ccache
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONIQUE_BUILD_BENCH=ON \
    -DSONIQUE_BUILD_TESTS=OFF "${LAUNCHER_ARGS[@]}" >/dev/null
fi
bin="${SONIQUE_BIN:-$build/app/sonique}"
[[ -n "${SONIQUE_BIN:-}" ]] || cmake --build "$build" -j2 --target sonique >/dev/null

mkdir -p "$bench_dir"
lib="$bench_dir/lib-$files"
if [[ ! -f "$lib/.complete" ]]; then
  cmake --build "$build" -j2 --target sonique-demo-library >/dev/null
  rm -rf "$lib"
  "$build/app/sonique-demo-library" "$lib" "$files" 7 30 0 2>/dev/null
  touch "$lib/.complete"
fi
long_root="$bench_dir/subsonic-long"
long="$long_root/Bench Transcoder/Long Play/01 Long.flac"
if [[ ! -f "$long" ]]; then
  mkdir -p "$(dirname "$long")"
  ffmpeg -nostdin -v error -f lavfi -i "sine=frequency=440:duration=1800" -f lavfi \
    -i "anoisesrc=duration=1800:amplitude=0.05" -filter_complex amix=inputs=2 -ac 2 -ar 44100 \
    -metadata title=Long -metadata artist="Bench Transcoder" -metadata album="Long Play" \
    -metadata track=1 "$long.tmp.flac"
  mv "$long.tmp.flac" "$long"
fi

sync_only="${SYNC_ONLY:-}"
sync_runs="${SYNC_RUNS:-1}"
venv="$bench_dir/supysonic-venv"
[[ -n "$sync_only" ]] || {
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/supysonic-server" || "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
  log "installing supysonic into $venv (PyPI)"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" >"$venv/.requirements.sha256"
fi
}

# --- servers ----------------------------------------------------------------------------------
work="$(mktemp -d /tmp/sonique-bench-subsonic.XXXXXX)"
chmod 755 "$work"
sonique_pid="" supy_pid=""
cleanup() {
  set +e
  [[ -z "$sonique_pid" ]] || { kill "$sonique_pid"; wait "$sonique_pid"; } 2>/dev/null
  [[ -z "$supy_pid" ]] || { kill "$supy_pid"; wait "$supy_pid"; } 2>/dev/null
  redis_stop "$work/redis"
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 65535 2>/dev/null || true

pg_port="$(free_port)"
pg_start "$work/pg" "$pg_port" || die "PostgreSQL did not start"
pg_createdb "$work/pg" sonique
redis_port="$(free_port)"
redis_start "$work/redis" "$redis_port" || die "Redis did not start"

# Two cores: the figures are for a machine with two (a Pi has four).
pin=()
(($(nproc) > 2)) && command -v taskset >/dev/null && pin=(taskset -c 0,1)

export DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/sonique" REDIS_URL="redis://127.0.0.1:$redis_port/0" LOG_LEVEL=warn
export MUSIC_PATH="$lib:$long_root" ENCRYPTION_KEY="bench-subsonic-0123456789abcdef"
# The sonic analysis (issue 18) would analyse the 20,000 files in children of the server during
# the whole run: it is measured by its own benchmark, not under the Subsonic figures.
export SONIQUE_ANALYSIS_AUTO=false
"$bin" migrate >/dev/null 2>&1
t0=$(date +%s.%N)
"$bin" scan "$lib" >/dev/null 2>&1
sonique_scan_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
"$bin" scan "$long_root" >/dev/null 2>&1
port="$(free_port)"
SONIQUE_ADMIN_USER="$user" SONIQUE_ADMIN_PASSWORD="$password" PORT="$port" HOST=127.0.0.1 \
  "${pin[@]}" "$bin" serve >"$work/sonique.log" 2>&1 &
sonique_pid=$!
sonique="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$sonique/api/healthcheck" >/dev/null && break; sleep 0.1; done

if [[ -z "$sync_only" ]]; then
supy="$work/supysonic"
mkdir -p "$supy/cache"
cat >"$supy/supysonic.conf" <<CONF
[base]
database_uri = sqlite:///$supy/supysonic.db
[webapp]
cache_dir = $supy/cache
log_level = WARNING
mount_webui = no
[daemon]
socket = $supy/daemon.sock
log_level = WARNING
CONF
supy_cli() { (cd "$supy" && "$venv/bin/supysonic-cli" "$@"); }
# Its scan of 20,000 files takes 10-15 minutes and is not a target: the scanned database is kept
# in BENCH_DIR (keyed by the library and the requirements) and copied for the next runs, unless
# SUPYSONIC_RESCAN=1.
supy_saved="$bench_dir/supysonic-$files-$want.db"
if [[ -f "$supy_saved" && -z "${SUPYSONIC_RESCAN:-}" ]]; then
  cp "$supy_saved" "$supy/supysonic.db"
  supy_scan_s="(kept from an earlier run)"
else
  supy_cli folder add library "$lib" >/dev/null
  supy_cli folder add long "$long_root" >/dev/null
  t0=$(date +%s.%N)
  supy_cli folder scan --foreground library long >"$work/supysonic-scan.log" 2>&1
  supy_scan_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')
  supy_cli user add "$user" -p "$password" >/dev/null
  cp "$supy/supysonic.db" "$supy_saved.tmp" && mv "$supy_saved.tmp" "$supy_saved"
fi
supy_port="$(free_port)"
(cd "$supy" && exec "${pin[@]}" "$venv/bin/supysonic-server" -S gunicorn -h 127.0.0.1 \
  -p "$supy_port" --processes 2 --threads 4) >"$work/supysonic.log" 2>&1 &
supy_pid=$!
supysonic="http://127.0.0.1:$supy_port"
for _ in $(seq 100); do curl -sf "$supysonic/rest/ping.view?u=$user&p=x&v=1.16.1&c=b" >/dev/null && break; sleep 0.2; done
fi

salt=benchsalt42
token="$(printf '%s' "$password$salt" | md5sum | cut -d' ' -f1)"
enc="$(printf '%s' "$password" | od -An -tx1 | tr -d ' \n')"
sonique_auth="u=$user&t=$token&s=$salt&v=1.16.1&c=bench&f=json"
supy_auth="u=$user&p=enc:$enc&v=1.16.1&c=bench&f=json"

# An answer must be a successful subsonic-response before it is measured.
check_ok() { # URL
  local body
  body="$(curl -s --max-time 120 "$1")"
  grep -q '"status" *: *"ok"' <<<"$body" || die "not a successful answer from $1: ${body:0:300}"
}

# wrk CONNECTIONS URL -> "rps p99_ms errors"
measure() {
  local out
  out="$(wrk -t2 -c"$1" -d"${duration}s" --timeout 10s --latency "$2" 2>&1)"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2}
    /^ +99%/ {p99 = ms($2)}
    /Socket errors/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
    /Non-2xx/ {err += $NF}
    END {printf "%.1f %.2f %d\n", rps, p99, err}' <<<"$out"
}

compare() { # NAME QUERY TARGET_RATIO
  local q="$2" s_rps s_p99 s_err y_rps y_p99 y_err
  check_ok "$sonique/rest/$q&$sonique_auth"
  check_ok "$supysonic/rest/$q&$supy_auth"
  read -r s_rps s_p99 s_err <<<"$(measure 64 "$sonique/rest/$q&$sonique_auth")"
  read -r y_rps y_p99 y_err <<<"$(measure 64 "$supysonic/rest/$q&$supy_auth")"
  printf '%-30s sonique %9s req/s p99 %8s ms errors %-4s | supysonic %7s req/s p99 %8s ms errors %-4s | %s  target: >= %sx %s\n' \
    "$1" "$s_rps" "$s_p99" "$s_err" "$y_rps" "$y_p99" "$y_err" \
    "$(awk -v a="$s_rps" -v b="$y_rps" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else printf "n/a" }')" "$3" \
    "$(awk -v a="$s_rps" -v b="$y_rps" -v t="$3" 'BEGIN { print (b > 0 && a / b >= t) ? "met" : "NOT met" }')"
}

rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

echo "== OpenSubsonic benchmark: $files files (+1 long FLAC), wrk 2 threads, ${duration}s per case, $(nproc) cores${pin:+ (servers pinned to 2)}, shared with wrk and anything else running =="
songs="$(psql -qAtX "$DATABASE_URL" -c 'SELECT count(*) FROM tracks')"
echo "library: $songs songs; scan: sonique ${sonique_scan_s} s, supysonic ${supy_scan_s:-not run}; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Full sync first, on a fresh process: its peak RSS is the sync's own.
check_ok "$sonique/rest/search3.view?query=&songCount=1&$sonique_auth"
rss_scope="during the sync"
echo 5 >"/proc/$sonique_pid/clear_refs" 2>/dev/null || rss_scope="since start: clear_refs refused"
# CPU seconds (user + system) the server process has used: on a loaded machine its share of the
# sync is steadier than the wall time.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
for _ in $(seq "$sync_runs"); do
  cpu0="$(cpu_s "$sonique_pid")"
  read -r sync_s sync_songs sync_pages <<<"$(python3 "$here/sync.py" "$sonique" "u=$user&t=$token&s=$salt" 500)"
  sync_cpu="$(awk -v a="$cpu0" -v b="$(cpu_s "$sonique_pid")" 'BEGIN { printf "%.2f", b - a }')"
  sync_rss=$(($(rss_kb "$sonique_pid" VmHWM) / 1024))
  printf '%-30s %s s for %s songs in %s pages (server CPU %s s), peak RSS %s MB (%s)  target: < 2 s (20,000 songs), < 60 MB %s\n' \
    "full sync (search3, 500/page)" "$sync_s" "$sync_songs" "$sync_pages" "$sync_cpu" "$sync_rss" "$rss_scope" \
    "$(awk -v s="$sync_s" -v r="$sync_rss" -v n="$sync_songs" 'BEGIN { print (s * 20000 / n < 2 && r < 60) ? "met" : "NOT met" }')"
done
echo "load average after the sync: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -z "$sync_only" ]] || exit 0

compare "getAlbumList2 alphabetical/50" "getAlbumList2.view?type=alphabeticalByName&size=50" 500
compare "getArtists" "getArtists.view?" 100

cover_album="$(psql -qAtX "$DATABASE_URL" -c "SELECT entity_id FROM covers WHERE entity_type = 'album'
  AND image_id IS NOT NULL ORDER BY entity_id LIMIT 1")"
if [[ -n "$cover_album" ]]; then
  cover_url="$sonique/rest/getCoverArt.view?id=al-$cover_album&size=600&$sonique_auth"
  served="$(curl -s -o "$work/cover" -w '%{content_type} %{size_download}' "$cover_url")"
  dims="$(python3 - "$work/cover" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
if d[:4] == b"RIFF" and d[12:16] == b"VP8 ":
    w, h = struct.unpack("<HH", d[26:30]); print(f"{w & 0x3FFF}x{h & 0x3FFF}")
elif d[:4] == b"RIFF" and d[12:16] == b"VP8L":
    b = int.from_bytes(d[21:25], "little"); print(f"{(b & 0x3FFF) + 1}x{((b >> 14) & 0x3FFF) + 1}")
elif d[:2] == b"\xff\xd8":
    i = 2
    while i + 9 < len(d):
        m, n = d[i + 1], struct.unpack(">H", d[i + 2:i + 4])[0]
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", d[i + 5:i + 9]); print(f"{w}x{h}"); break
        i += 2 + n
else:
    print("?")
PY
)"
  read -r c_rps c_p99 c_err <<<"$(measure 64 "$cover_url")"
  printf '%-30s %9s req/s p99 %8s ms errors %s (served: %s bytes, %s; the generated covers are 48x48)\n' \
    "getCoverArt size=600, cached" "$c_rps" "$c_p99" "$c_err" "$served" "$dims"
else
  echo "getCoverArt size=600: no album with a cover in the library"
fi

long_id="$(psql -qAtX "$DATABASE_URL" -c "SELECT id FROM tracks WHERE path LIKE '%/01 Long.flac'")"
opus_url="$sonique/rest/stream.view?id=tr-$long_id&format=opus&$sonique_auth"
ttfbs=() type=""
for _ in 1 2 3 4 5; do
  read -r t type <<<"$(curl -s -o /dev/null --max-time 2 -w '%{time_starttransfer} %{content_type}' "$opus_url" || true)"
  ttfbs+=("$t")
done
ttfb_ms="$(printf '%s\n' "${ttfbs[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] * 1000 }')"
if [[ "$type" == audio/ogg* ]]; then
  printf '%-30s %s ms (median of 5)  target: < 300 ms %s\n' "first byte of an Opus stream" \
    "$ttfb_ms" "$(((ttfb_ms < 300)) && echo met || echo 'NOT met')"
  best=0
  for n in 1 2 4 6 8 12 16 24 32; do
    read -r low median failed <<<"$(python3 "$here/opus_streams.py" "$opus_url" "$n" 8)"
    printf '%-30s %2s streams: audio/wall per stream min %sx, median %sx, failed %s\n' \
      "real-time Opus transcodes" "$n" "$low" "$median" "$failed"
    if [[ "$failed" != 0 ]] || awk -v l="$low" 'BEGIN { exit !(l < 1) }'; then break; fi
    best=$n
  done
  printf '%-30s %s streams kept real time on 2 cores\n' "real-time Opus transcodes" "$best"
else
  printf '%-30s not supported: format=opus answered %s (first byte after %s ms)\n' \
    "first byte of an Opus stream" "${type:-nothing}" "$ttfb_ms"
  printf '%-30s not supported (no Opus transcoding on this build)\n' "real-time Opus transcodes"
fi
printf '%-30s %s MB (sonique, whole run)\n' "peak RSS" "$(($(rss_kb "$sonique_pid" VmHWM) / 1024))"
