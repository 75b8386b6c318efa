#!/usr/bin/env bash
# UPnP/DLNA benchmark (scripts/bench.sh dlna, issue 19): a Release sonique and minidlna (Debian,
# installed when missing) serve the same generated library of BENCH_FILES files (the one
# `bench.sh scan` and `bench.sh subsonic` make, sonique-demo-library) in the same run, each on its
# own port, and one client (bench/dlna/crawl.py, in the pinned client venv) walks each whole tree
# with BrowseDirectChildren, PAGE children a request. Prints, beside the targets:
#   - each tree (containers, items, requests) and the time to crawl it, and the ratio;
#   - Browse p50/p99 over the crawl's requests, and with CLIENTS concurrent clients replaying
#     SAMPLE of them;
#   - the CPU the servers spent on the crawl (sonique with PostgreSQL; minidlna with its SQLite);
#   - each server's RSS (peak, after the crawl), and the RSS added by DLNA: sonique served with
#     SONIQUE_DLNA=off, then on, after the same REST warm-up.
# Sonique: `sonique scan` into a throwaway PostgreSQL, `serve` with REDIS_URL=none, the sonic
# analysis off, SSDP and eventing on but on the loopback only (SONIQUE_DLNA_INTERFACES=lo).
# minidlna: its own config, database and log in a temporary directory, audio only, no inotify,
# SSDP on the loopback only (network_interface=lo); measured after its own scan has finished.
#   BENCH_FILES (20000)  BENCH_DIR (/tmp/sonique-bench)  BENCH_BUILD_DIR (build-bench)
#   PAGE (100)  CLIENTS (8)  SAMPLE (2000)  SKIP_DEPS (unset: install the build packages, minidlna)
#   SKIP_BUILD (unset: build sonique and sonique-demo-library; set: use BENCH_BUILD_DIR's as they are)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
# shellcheck source=scripts/lib/common.sh
source "$root/scripts/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$root/scripts/lib/deps.sh"
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"
# shellcheck source=scripts/lib/client_venv.sh
source "$root/scripts/lib/client_venv.sh"

files="${BENCH_FILES:-20000}"
bench_dir="${BENCH_DIR:-/tmp/sonique-bench}"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
page="${PAGE:-100}"
clients="${CLIENTS:-8}"
sample="${SAMPLE:-2000}"
[[ -n "${SKIP_DEPS:-}" ]] || install_deps
# minidlna is the benchmark's reference, not a dependency of Sonique: not in deps.sh.
command -v minidlnad >/dev/null || apt_install minidlna
install_client_venv
py="$SONIQUE_CLIENT_VENV/bin/python"

# --- build, library ----------------------------------------------------------------------------
use_ccache
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONIQUE_BUILD_BENCH=ON \
    -DSONIQUE_BUILD_TESTS=OFF "${LAUNCHER_ARGS[@]}" >/dev/null
fi
[[ -n "${SKIP_BUILD:-}" ]] || cmake --build "$build" -j2 --target sonique sonique-demo-library >/dev/null
bin="$build/app/sonique"
mkdir -p "$bench_dir"
lib="$bench_dir/lib-$files"
if [[ ! -f "$lib/.complete" ]]; then
  rm -rf "$lib"
  "$build/app/sonique-demo-library" "$lib" "$files" 7 30 0 2>/dev/null
  touch "$lib/.complete"
fi

# --- processes -----------------------------------------------------------------------------------
work="$(mktemp -d /tmp/sonique-bench-dlna.XXXXXX)"
chmod 755 "$work"
sonique_pid="" mini_pid=""
stop_pid() { [[ -z "$1" ]] || { kill "$1" && wait "$1"; } 2>/dev/null || true; }
cleanup() {
  set +e
  stop_pid "$sonique_pid"
  stop_pid "$mini_pid"
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

pg_port="$(free_port)"
pg_start "$work/pg" "$pg_port" || die "PostgreSQL did not start"
pg_createdb "$work/pg" sonique
export DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/sonique" REDIS_URL=none
export LOG_LEVEL=warn HOST=127.0.0.1 MUSIC_PATH="$lib" SONIQUE_DATA_DIR="$work/data"
export SONIQUE_ANALYSIS_AUTO=false SONIQUE_DLNA_INTERFACES=lo SONIQUE_DLNA_EVENT_PORT=0
"$bin" migrate >/dev/null 2>&1

seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(date +%s.%N)
"$bin" scan "$lib" >"$work/scan.log" 2>&1 || { tail -5 "$work/scan.log"; die "sonique scan failed"; }
sonique_scan_s=$(seconds_since "$t0")

# minidlna: audio only, its own directory for everything it writes, SSDP on the loopback only.
mini="$work/minidlna"
mini_port="$(free_port)"
mkdir -p "$mini/db" "$mini/log"
cat >"$mini/minidlna.conf" <<CONF
port=$mini_port
network_interface=lo
media_dir=A,$lib
db_dir=$mini/db
log_dir=$mini/log
friendly_name=bench minidlna
inotify=no
CONF
t0=$(date +%s.%N)
minidlnad -f "$mini/minidlna.conf" -P "$mini/minidlna.pid" -S >"$mini/stdout" 2>&1 &
mini_pid=$!
# Its scan runs in a child process; the log says when it is over (playlists are parsed last).
for _ in $(seq 3000); do
  grep -q "Finished parsing playlists" "$mini/log/minidlna.log" 2>/dev/null && break
  kill -0 "$mini_pid" 2>/dev/null || die "minidlna exited: $(tail -3 "$mini/log/minidlna.log")"
  sleep 0.2
done
grep -q "Finished parsing playlists" "$mini/log/minidlna.log" || die "minidlna's scan did not finish in 10 minutes"
mini_scan_s=$(seconds_since "$t0")
mini_files="$(grep -o 'finished ([0-9]* files)' "$mini/log/minidlna.log" | grep -o '[0-9]*' | tail -1)"
minidlna_url="http://127.0.0.1:$mini_port/rootDesc.xml"

sonique_port="$(free_port)"
sonique_url="http://127.0.0.1:$sonique_port"
start_sonique() { # on|off
  SONIQUE_DLNA="$1" PORT="$sonique_port" "$bin" serve >"$work/sonique-$1.log" 2>&1 &
  sonique_pid=$!
  for _ in $(seq 200); do curl -sf "$sonique_url/api/healthcheck" >/dev/null && return; sleep 0.1; done
  die "sonique did not start: $(tail -3 "$work/sonique-$1.log")"
}
stop_sonique() { stop_pid "$sonique_pid"; sonique_pid=""; }

# The same REST reads for both Sonique processes: every page of albums and artists by 100, and
# every album's tracks (so every track), on one keep-alive connection. Not the track list's pages:
# GET /api/tracks/?skip=N costs seconds at N = 10,000 (found by this benchmark; a REST matter).
tracks="$(psql -qAtX "$DATABASE_URL" -c 'SELECT count(*) FROM tracks')"
{
  psql -qAtX "$DATABASE_URL" -c "SELECT 'url = \"$sonique_url/api/albums/?skip=' || s || '&limit=100\"'
      FROM generate_series(0, (SELECT count(*) FROM albums), 100) s
    UNION ALL SELECT 'url = \"$sonique_url/api/artists/?skip=' || s || '&limit=100\"'
      FROM generate_series(0, (SELECT count(*) FROM artists), 100) s
    UNION ALL SELECT 'url = \"$sonique_url/api/albums/' || id || '/tracks\"' FROM albums"
} | sed 's/$/\noutput = "\/dev\/null"/' >"$work/rest.curl"
rest_warm_up() {
  local codes t0
  t0=$(date +%s.%N)
  codes="$(curl -s -w '%{http_code}\n' --config "$work/rest.curl" | sort | uniq -c | tr '\n' ' ')"
  [[ "$codes" =~ ^\ *[0-9]+\ 200\ $ ]] || die "REST warm-up: answers $codes"
  warm_up_s+=("$(seconds_since "$t0")")
}
warm_up_s=()
kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# CPU seconds spent so far by a process (and, with "tree", its children still running).
cpu_s() { # PID [tree]
  local pids=("$1")
  [[ "${2:-}" == tree ]] && mapfile -t -O 1 pids < <(pgrep -P "$1")
  local p total=0 t
  for p in "${pids[@]}"; do
    t="$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
pg_pid="$(head -1 "$work/pg/data/postmaster.pid")"
field() { "$py" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))' "$@"; }

# 1. Sonique with DLNA off: the REST warm-up, its RSS.
start_sonique off
rest_warm_up
off_rss=$(kb "$sonique_pid" VmRSS) off_hwm=$(kb "$sonique_pid" VmHWM)
stop_sonique

# 2. Sonique with DLNA on: the same warm-up, then the crawl, then the concurrent replay.
start_sonique on
code="$(curl -s -o /dev/null -w '%{http_code}' "$sonique_url/dlna/description.xml")"
[[ "$code" == 200 ]] || die "GET $sonique_url/dlna/description.xml: $code; $(tail -3 "$work/sonique-on.log")"
rest_warm_up
on_rss=$(kb "$sonique_pid" VmRSS)
crawl() { # NAME URL PID [tree]
  local c0 p0
  c0=$(cpu_s "$3" "${4:-}") p0=$(cpu_s "$pg_pid" tree)
  "$py" "$here/crawl.py" crawl "$2" "$page" "$work/$1-requests.json" >"$work/$1-crawl.json"
  echo "$(cpu_s "$3" "${4:-}") $c0 $(cpu_s "$pg_pid" tree) $p0" >"$work/$1-cpu"
  echo "$(kb "$3" VmRSS) $(kb "$3" VmHWM)" >"$work/$1-rss"
  "$py" "$here/crawl.py" replay "$2" "$page" "$work/$1-requests.json" "$clients" "$sample" \
    >"$work/$1-replay.json"
  echo "$(kb "$3" VmRSS) $(kb "$3" VmHWM)" >"$work/$1-rss-replay"
}
crawl sonique "$sonique_url/dlna/description.xml" "$sonique_pid"
# Whether discovery really ran: its UDP socket on port 1900.
ssdp="$(ss -Hulpn 'sport = :1900' 2>/dev/null | grep -c "pid=$sonique_pid," || true)"
crawl minidlna "$minidlna_url" "$mini_pid" tree

# --- report --------------------------------------------------------------------------------------
read -r s_cpu1 s_cpu0 s_pg1 s_pg0 <"$work/sonique-cpu"
read -r m_cpu1 m_cpu0 _ _ <"$work/minidlna-cpu"
read -r s_rss s_hwm <"$work/sonique-rss"
read -r m_rss m_hwm <"$work/minidlna-rss"
read -r s_rss2 s_hwm2 <"$work/sonique-rss-replay"
read -r m_rss2 m_hwm2 <"$work/minidlna-rss-replay"
S="$work/sonique-crawl.json" M="$work/minidlna-crawl.json"
SR="$work/sonique-replay.json" MR="$work/minidlna-replay.json"
s_s=$(field "$S" seconds) m_s=$(field "$M" seconds)
s_p99=$(field "$S" p99_ms) s_rp99=$(field "$SR" p99_ms)
added=$(((s_rss - off_rss)))
added_peak=$(((s_hwm2 - off_hwm)))
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }'; }
met() { awk "BEGIN { exit !($1) }" && echo met || echo "NOT met"; }

echo "== DLNA benchmark: $files files, Browse by $page, $(nproc) cores shared with the client, PostgreSQL and anything else; load average $(cut -d' ' -f1-3 /proc/loadavg) =="
echo "library: $tracks tracks in sonique, ${mini_files:-?} files in minidlna; scan: sonique ${sonique_scan_s} s (sonique scan), minidlna ${mini_scan_s} s (start to its scan's end)"
echo "REST warm-up (sonique, before the crawl): $(grep -c '^url' "$work/rest.curl") requests (album and artist pages, every album's tracks), ${warm_up_s[0]} s with DLNA off, ${warm_up_s[1]} s with DLNA on"
echo "SSDP: on, loopback only, for both (sonique: SONIQUE_DLNA_INTERFACES=lo, $( ((ssdp > 0)) && echo "its socket on UDP 1900 open" || echo "NO socket on UDP 1900: discovery did not start")); minidlna: network_interface=lo)"
printf '%-26s sonique %6s containers %7s items %6s requests | minidlna %6s containers %7s items %6s requests\n' \
  "tree" "$(field "$S" containers)" "$(field "$S" items)" "$(field "$S" requests)" \
  "$(field "$M" containers)" "$(field "$M" items)" "$(field "$M" requests)"
printf '%-26s sonique %7s s (%s objects/s) | minidlna %7s s (%s objects/s) | minidlna/sonique %sx  target: faster than minidlna %s\n' \
  "crawl, one client" "$s_s" "$(field "$S" 'round((containers + items) / seconds)')" \
  "$m_s" "$(field "$M" 'round((containers + items) / seconds)')" "$(ratio "$s_s" "$m_s")" "$(met "$s_s < $m_s")"
printf '%-26s sonique %s s waiting for answers, %s s the client'"'"'s own (%s CPU-s), %s MB read | minidlna %s s, %s s (%s CPU-s), %s MB\n' \
  "crawl's time" "$(field "$S" latency_s)" "$(field "$S" client_s)" "$(field "$S" client_cpu_s)" "$(field "$S" answer_mb)" \
  "$(field "$M" latency_s)" "$(field "$M" client_s)" "$(field "$M" client_cpu_s)" "$(field "$M" answer_mb)"
printf '%-26s sonique p50 %6s ms p99 %6s ms max %7s ms | minidlna p50 %6s ms p99 %6s ms max %7s ms  target: p99 < 20 ms %s\n' \
  "Browse, one client" "$(field "$S" p50_ms)" "$s_p99" "$(field "$S" max_ms)" \
  "$(field "$M" p50_ms)" "$(field "$M" p99_ms)" "$(field "$M" max_ms)" "$(met "$s_p99 < 20")"
printf '%-26s sonique p50 %6s ms p99 %6s ms %7s req/s errors %s | minidlna p50 %6s ms p99 %6s ms %7s req/s errors %s  target: p99 < 20 ms %s\n' \
  "Browse, $clients clients" "$(field "$SR" p50_ms)" "$s_rp99" "$(field "$SR" per_s)" "$(field "$SR" errors)" \
  "$(field "$MR" p50_ms)" "$(field "$MR" p99_ms)" "$(field "$MR" per_s)" "$(field "$MR" errors)" "$(met "$s_rp99 < 20")"
printf '%-26s sonique %s + PostgreSQL %s CPU-s | minidlna %s CPU-s (SQLite in-process)\n' "CPU spent on the crawl" \
  "$(awk -v a="$s_cpu0" -v b="$s_cpu1" 'BEGIN { printf "%.2f", b - a }')" \
  "$(awk -v a="$s_pg0" -v b="$s_pg1" 'BEGIN { printf "%.2f", b - a }')" \
  "$(awk -v a="$m_cpu0" -v b="$m_cpu1" 'BEGIN { printf "%.2f", b - a }')"
printf '%-26s sonique peak %s MB, after the crawl %s MB, after the replay %s MB | minidlna peak %s MB, after the crawl %s MB, after the replay %s MB\n' \
  "RSS" "$(mb "$s_hwm2")" "$(mb "$s_rss")" "$(mb "$s_rss2")" "$(mb "$m_hwm2")" "$(mb "$m_rss")" "$(mb "$m_rss2")"
printf '%-26s after the REST warm-up: DLNA off %s MB, on %s MB (+%s MB idle); after the crawl %s MB: +%s MB; peak +%s MB  target: < 10 MB %s\n' \
  "RSS added by DLNA" "$(mb "$off_rss")" "$(mb "$on_rss")" "$(mb $((on_rss - off_rss)))" "$(mb "$s_rss")" \
  "$(mb "$added")" "$(mb "$added_peak")" "$(met "$added < 10240 && $added_peak < 10240")"
for name in sonique minidlna; do "$py" "$here/crawl.py" summary "$name" "$work/$name-crawl.json"; done
