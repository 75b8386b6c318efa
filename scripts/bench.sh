#!/usr/bin/env bash
# Benchmarks. Usage: scripts/bench.sh scan|http|graphql|covers|subsonic|analysis|search|dlna
#
# scan, http and graphql start a throwaway PostgreSQL (and, for http and graphql, Redis) unless
# BENCH_ADMIN_URL is given.
#
# http: bench/http/run.sh — wrk against a Release sonique over a generated 20,000-track library:
#       artist page, count, album tracks, cover, the GraphQL artist page, cached and uncached;
#       streaming; 30 streams beside API traffic; 256/512/1024 connections; RSS.
#
# subsonic: bench/subsonic/run.sh — the OpenSubsonic API of a Release sonique beside supysonic (PyPI,
#       in a venv) over the same generated library: getAlbumList2, getArtists, a full search3
#       sync and its RSS, cached getCoverArt, Opus first byte and real-time transcodes.
#
# dlna: bench/dlna/run.sh — the UPnP/DLNA media server of a Release sonique beside minidlna (Debian,
#       installed when missing, its own throwaway config, database and log) over the same generated
#       library: one client (bench/dlna/crawl.py) walks each whole tree with BrowseDirectChildren;
#       crawl time, Browse p50/p99 (one client and CLIENTS concurrent ones), CPU, each server's RSS
#       and the RSS added by DLNA (sonique with SONIQUE_DLNA=off, then on, after the same REST reads).
#
# search: bench/search/run.sh — the search layer over a generated 100,000-track library: typeahead
#       and POST /api/search/ at 64 connections beside the REST track list, similar artists and
#       tracks, ready time with a saved index; each vector index kind at 100,000 x 64 and x 768
#       (build, p50/p99, recall@10 against exact, memory against the raw vectors).
#
# covers: normalise_cover on generated photo-like JPEG and PNG covers (300 to 3000 px) against the
#       plain stb pipeline (stb decode and sRGB resize, same WebP settings) timed in the same run.
#   BENCH_REPEATS (20)
#
# scan: builds a Release tree with the bench tools, generates BENCH_FILES synthetic files, and
#       reports the bare TagLib ceiling, the cold scan rate and its ratio, the unchanged rescan
#       time, the scan's peak RSS, the database floor (the scan's rows restored with COPY into a
#       fresh database: what PostgreSQL alone costs) and the best cold scan that the bare loop
#       and that floor allow on these cores, and MPD's update time (installs mpd and mpc).
#   BENCH_FILES (20000)  BENCH_THREADS (2)  BENCH_DIR (/tmp/sonique-bench)
#   BENCH_ADMIN_URL (default: a throwaway server): a PostgreSQL URL that may create databases
#   BENCH_BUILD_DIR (build-bench)  REDIS_URL (none: events stay in-process)
#   BENCH_COVER_SIDE (0: 48x48 one-colour BMP covers; e.g. 600: photo-like JPEGs of that side)
#
# analysis: Sonique's analyser against bliss (the Rust crate bliss-audio, pinned by
#       bench/analysis/bliss/Cargo.lock, built with cargo into BENCH_BUILD_DIR/bliss-target) on
#       the orchestral OGG tracks of Debian's wesnoth-1.16-music (installed here, never
#       committed), in the same run: tracks/s, audio-seconds per CPU-second (per core), peak RSS,
#       the same-composer share of each track's 10 nearest neighbours against chance, and the
#       projected time for 100,000 four-minute tracks on a Pi 4. Sonique runs the production
#       path (sonique-bench-analysis: a child process per file at the production settings).
#       Then the same on a second corpus, five free game soundtracks from Debian (nine albums,
#       bench/analysis/soundtracks.tsv), judged by the same-album share.
#       Installs wesnoth-1.16-music, the soundtracks' packages, sysbench and what bliss's FFmpeg
#       bindings build with (libclang-dev, libavfilter-dev, libavdevice-dev).
#   BENCH_THREADS (2): Sonique's workers and bliss's threads  BENCH_MUSIC_DIR (wesnoth's; another
#   folder skips the second corpus)  BENCH_SOUNDTRACKS (1; 0 skips the second corpus)
#   BENCH_PI_FACTOR (measured: sysbench here against its published Pi 4 figure)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
files="${BENCH_FILES:-20000}"
threads="${BENCH_THREADS:-2}"
work="${BENCH_DIR:-/tmp/sonique-bench}"
admin_url="${BENCH_ADMIN_URL:-}"
build="${BENCH_BUILD_DIR:-$root/build-bench}"

# shellcheck source=scripts/lib/common.sh
source "$root/scripts/lib/common.sh"
# shellcheck source=scripts/lib/deps.sh
source "$root/scripts/lib/deps.sh"
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"

exit_hooks=()
run_exit_hooks() {
  local i
  for ((i = ${#exit_hooks[@]} - 1; i >= 0; i--)); do eval "${exit_hooks[i]}" || true; done
}
trap run_exit_hooks EXIT
on_exit() { exit_hooks+=("$1"); }

# Sets admin_url, starting a throwaway PostgreSQL when none was given.
ensure_postgres() {
  [[ -z "$admin_url" ]] || return 0
  local dir port
  dir="$(mktemp -d /tmp/sonique-bench-pg.XXXXXX)"
  chmod 755 "$dir"
  port="$(free_port)"
  pg_start "$dir/pg" "$port" || die "PostgreSQL did not start"
  on_exit "pg_stop '$dir/pg'; rm -rf '$dir'"
  admin_url="postgresql://postgres@127.0.0.1:$port/postgres"
}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }

build_tools() {
  if [[ -f "$build/CMakeCache.txt" ]]; then
    cmake "$build" -DSONIQUE_BUILD_BENCH=ON >/dev/null  # an existing tree keeps its build type
  else
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONIQUE_BUILD_BENCH=ON \
          -DSONIQUE_BUILD_TESTS=OFF >/dev/null
  fi
  # Only the targets named, else every benchmark's.
  local targets=("$@")
  ((${#targets[@]})) || targets=(sonique sonique-demo-library sonique-bench-taglib sonique-bench-covers)
  cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
}

make_library() {
  local side="${BENCH_COVER_SIDE:-0}"
  lib="$work/lib-$files"
  ((side > 0)) && lib+="-covers$side"
  if [[ ! -f "$lib/.complete" ]]; then
    rm -rf "$lib"
    local t0=$SECONDS
    "$build/app/sonique-demo-library" "$lib" "$files" 7 30 "$side" 2>/dev/null
    touch "$lib/.complete"
    echo "generated $files files in $((SECONDS - t0)) s: $lib"
  fi
}

# Runs "$@" under GNU time; sets elapsed (s) and rss_kb (largest of the process and its workers).
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log" || {
    echo "command failed: $*"; tail -5 "$work/last.log"; exit 1; }
  read -r elapsed rss_kb < "$work/time.txt"
}

# Installs mpd and mpc (Debian packages) when missing, for the MPD reference.
ensure_mpd() {
  local missing=() p
  for p in mpd mpc; do pkg_installed "$p" || missing+=("$p"); done
  apt_install "${missing[@]}" || warn "could not install ${missing[*]}"
}

# MPD's cold database update of the same library, timed from mpd's start (no database file:
# mpd starts a full update by itself) until `mpc --wait update` returns. The null output
# keeps it silent; it runs as root (MPD allows it) from a config in a temp dir.
mpd_reference() {
  ensure_mpd
  if ! command -v mpd >/dev/null || ! command -v mpc >/dev/null; then
    echo "mpd reference: skipped (mpd and mpc are not installed)"
    return
  fi
  local d port
  d="$(mktemp -d /tmp/sonique-bench-mpd.XXXXXX)"
  port="$(free_port)"
  write_mpd_conf "$d" "$port"
  local t0 t1 pid
  t0=$(date +%s.%N)
  mpd --no-daemon --stderr "$d/mpd.conf" >"$d/log" 2>&1 &
  pid=$!
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf '$d'"
  local i
  for i in $(seq 100); do
    mpc -q -p "$port" status >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "mpd reference: mpd exited"; tail -3 "$d/log"; return; }
    sleep 0.1
  done
  mpc -q -p "$port" --wait update >/dev/null || { echo "mpd reference: mpc failed"; return; }
  t1=$(date +%s.%N)
  local songs
  songs="$(mpc -p "$port" stats | awk '/^Songs:/ { print $2 }')"
  awk -v a="$t0" -v b="$t1" -v n="$files" -v s="$songs" 'BEGIN {
    printf "mpd update: %.2f s, %.0f files/s (%s songs in its database)\n", b-a, n/(b-a), s }'
}

write_mpd_conf() {
  cat > "$1/mpd.conf" <<CONF
music_directory "$lib"
db_file "$1/db"
state_file "$1/state"
pid_file "$1/pid"
bind_to_address "127.0.0.1"
port "$2"
log_level "warning"
zeroconf_enabled "no"
audio_output {
  type "null"
  name "null"
}
CONF
}

# CPU time (in 1/100 s) the whole machine has spent busy so far: the figures below assume that
# nothing else runs meanwhile.
busy_cs() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# The database's own share of a cold scan, with nothing else: the scanned database's rows
# (data-only dump) restored with COPY, in one transaction, into a freshly migrated database, so
# through the same indexes and triggers. Sets floor_s and floor_cpu (CPU-s, pg_restore's own
# excluded).
database_floor() { # SCANNED_DB_URL
  local dump="$work/floor.dump" fdb="sonique_bench_floor_$$"
  floor_s="" floor_cpu=""
  pg_dump --data-only -Fc --exclude-table-data=schema_migrations --exclude-table-data=play_queue \
    -f "$dump" "$1" 2>"$work/last.log" || { echo "database floor: skipped (pg_dump failed)"; return; }
  psql "$admin_url" -qc "CREATE DATABASE $fdb" >/dev/null
  on_exit "psql '$admin_url' -qc 'DROP DATABASE IF EXISTS $fdb WITH (FORCE)' >/dev/null"
  local url="${admin_url%/*}/$fdb" b0 b1 t0 t1 u s
  DATABASE_URL="$url" "$build/app/sonique" migrate >/dev/null 2>&1
  b0=$(busy_cs); t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time.txt" pg_restore -1 --data-only -d "$url" "$dump" \
    2>"$work/last.log" || { echo "database floor: skipped (pg_restore failed)"; return; }
  t1=$(date +%s.%N); b1=$(busy_cs)
  read -r u s < "$work/time.txt"
  floor_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  floor_cpu=$(awk -v c="$b0" -v d="$b1" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", (d - c) / 100 - u - s }')
  rm -f "$dump"
}

bench_scan() {
  mkdir -p "$work"
  build_tools
  make_library
  "$build/bench/sonique-bench-taglib" "$lib" "$threads" >/dev/null  # warm the page cache
  local bare b0 b1
  b0=$(busy_cs)
  bare="$("$build/bench/sonique-bench-taglib" "$lib" "$threads")"
  b1=$(busy_cs)
  local bare_cpu
  bare_cpu=$(awk -v c="$b0" -v d="$b1" 'BEGIN { printf "%.2f", (d - c) / 100 }')
  echo "bare TagLib loop: $bare, $bare_cpu CPU-s"
  local bare_rate
  bare_rate="$(sed -E 's/.*"files_per_s": ([0-9.]+).*/\1/' <<<"$bare")"

  ensure_postgres
  db="sonique_bench_$$"
  psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
  on_exit "psql '$admin_url' -qc 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null"

  export DATABASE_URL="${admin_url%/*}/$db" REDIS_URL="${REDIS_URL:-none}"
  "$build/app/sonique" migrate >/dev/null 2>&1

  b0=$(busy_cs)
  measure "$build/app/sonique" scan "$lib" --scan-threads "$threads"
  b1=$(busy_cs)
  local cold=$elapsed cold_rss=$rss_kb cold_cpu
  cold_cpu=$(awk -v c="$b0" -v d="$b1" 'BEGIN { printf "%.2f", (d - c) / 100 }')
  local summary
  summary="$(grep -h "files," "$work/last.log" | tail -1 || true)"
  measure "$build/app/sonique" scan "$lib" --scan-threads "$threads"
  local warm=$elapsed warm_rss=$rss_kb
  awk -v n="$files" -v c="$cold" -v b="$bare_rate" -v r="$cold_rss" -v w="$warm" -v wr="$warm_rss" -v cc="$cold_cpu" 'BEGIN {
    printf "cold scan: %.2f s, %.0f files/s (%.0f%% of the bare TagLib loop), %.2f CPU-s (PostgreSQL included), peak RSS %.1f MB\n", c, n/c, 100*(n/c)/b, cc, r/1024;
    printf "unchanged rescan: %.2f s (process start, migrations check and walk included), peak RSS %.1f MB\n", w, wr/1024 }'
  [[ -n "$summary" ]] && echo "$summary"
  # What PostgreSQL alone costs, and so the best a cold scan could do on these cores: the bare
  # loop's CPU plus the database's, spread over every core, with no other cost at all.
  database_floor "$DATABASE_URL"
  if [[ -n "$floor_s" ]]; then
    awk -v s="$floor_s" -v c="$floor_cpu" -v b="$bare_cpu" -v n="$files" -v r="$bare_rate" -v k="$(nproc)" 'BEGIN {
      best = (b + c) / k;
      printf "database floor: %.2f s, %.2f CPU-s to COPY the scan'"'"'s rows into a fresh migrated database\n", s, c;
      printf "best possible cold scan on %d cores: (%.2f + %.2f CPU-s) / %d = %.2f s, %.0f%% of the bare TagLib loop\n", k, b, c, k, best, 100 * (n / best) / r }'
  fi
  mpd_reference
}

# graphql: the frontend's artist query (bench/graphql.sh) at 16 and 64 connections with the REST
# artist page beside it, on a library of 20,000 tracks (bench/http/library.sql) in a throwaway
# database: first served by this tree's sonique with a throwaway Redis (cached), then with
# REDIS_URL=none (uncached). BENCH_PORT (18093), DURATION (10s), CONNECTIONS ("16 64"),
# BENCH_SETTLE_S (0: seconds to wait after start-up before measuring).
bench_graphql() {
  command -v wrk >/dev/null || apt_install wrk
  build_tools sonique
  local port="${BENCH_PORT:-18093}" tracks=20000 rdir rport
  ensure_postgres
  # shellcheck source=scripts/lib/redis.sh
  source "$root/scripts/lib/redis.sh"
  rdir="$(mktemp -d /tmp/sonique-bench-redis.XXXXXX)"
  rport="$(free_port)"
  redis_start "$rdir" "$rport" || die "Redis did not start"
  on_exit "redis_stop '$rdir'; rm -rf '$rdir'"
  gql_db="sonique_bench_gql_$$"
  psql "$admin_url" -qc "CREATE DATABASE $gql_db" >/dev/null
  on_exit "psql '$admin_url' -qc 'DROP DATABASE IF EXISTS $gql_db WITH (FORCE)' >/dev/null"
  local url="${admin_url%/*}/$gql_db"
  DATABASE_URL="$url" "$build/app/sonique" migrate >/dev/null 2>&1
  psql -q "$url" -v tracks="$tracks" -f "$root/bench/http/library.sql" >/dev/null
  echo "library: $tracks tracks; $(nproc) cores, shared with wrk and whatever else runs here"
  local mode redis_url
  for mode in cached uncached; do
    redis_url=none
    [[ $mode == cached ]] && redis_url="redis://127.0.0.1:$rport/0"
    # No background analysis (the library's files do not exist: every track would be tried) and
    # no DLNA: only the API's work shares the cores with wrk.
    DATABASE_URL="$url" REDIS_URL="$redis_url" PORT="$port" LOG_LEVEL=warn SONIQUE_ANALYSIS_AUTO=false \
      SONIQUE_DLNA=off "$build/app/sonique" serve &
    gql_pid=$!
    on_exit "kill $gql_pid 2>/dev/null; wait $gql_pid 2>/dev/null"
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/healthcheck" >/dev/null && break; sleep 0.2; done
    sleep "${BENCH_SETTLE_S:-0}"
    DATABASE_URL="$url" "$root/bench/graphql.sh" "http://127.0.0.1:$port" "$mode"
    kill -TERM "$gql_pid"; wait "$gql_pid" 2>/dev/null || true
  done
}

# shellcheck source=bench/analysis/run.sh
analysis_bench() { source "$root/bench/analysis/run.sh"; bench_analysis "$@"; }

case "${1:-}" in
  analysis) shift; analysis_bench "$@" ;;
  scan) shift; bench_scan "$@" ;;
  http) shift; exec "$root/bench/http/run.sh" "$@" ;;
  graphql) shift; bench_graphql "$@" ;;
  subsonic) shift; exec "$root/bench/subsonic/run.sh" "$@" ;;
  search) shift; exec "$root/bench/search/run.sh" "$@" ;;
  dlna) shift; exec "$root/bench/dlna/run.sh" "$@" ;;
  covers) shift; build_tools sonique-bench-covers; "$build/bench/sonique-bench-covers" "${BENCH_REPEATS:-20}" ;;
  *) usage ;;
esac
