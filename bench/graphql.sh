#!/usr/bin/env bash
# GraphQL benchmark (issue 20): the frontend's artist query (api-contract.md §13) for an artist with 10
# albums of 12 tracks (inserted with SQL, removed afterwards) against a running sonique, at 16
# and 64 connections, beside the REST artist page (GET /api/artists/?skip=0&limit=50) measured
# in the same run as the yardstick. scripts/bench.sh graphql runs it twice on a 20,000-track
# library: against a server with Redis (cached) and one without (uncached).
#
# Usage: bench/graphql.sh [BASE_URL] [cached|uncached]   (default http://127.0.0.1:8001 cached)
#   DATABASE_URL   the running server's database (required: the fixture is inserted there)
#   DURATION (10s)  CONNECTIONS ("16 64")  THREADS (2)
# The label only chooses the targets printed: whether answers are cached is the server's
# configuration (REDIS_URL). The last line is the GraphQL query at the last connection count.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
base="${1:-http://127.0.0.1:8001}"
label="${2:-cached}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16 64}"
threads="${THREADS:-2}"
: "${DATABASE_URL:?set DATABASE_URL to the database of the running server}"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y wrk >/dev/null
fi

tag="bench-graphql-$$-$RANDOM"
fixture_sql() {
  cat <<'SQL'
WITH a AS (INSERT INTO artists (name) VALUES (:'tag') RETURNING id),
al AS (INSERT INTO albums (title, album_artist_id, release_year)
       SELECT 'Album ' || g, a.id, (1990 + g)::text FROM a, generate_series(1, 10) g
       RETURNING id, album_artist_id),
t AS (INSERT INTO tracks (title, path, track_artist_id, album_id, track_number, disc_number, duration)
      SELECT 'Track ' || n, '/bench/' || :'tag' || '/' || al.id || '/' || n, al.album_artist_id,
             al.id, n::text || '/12', '1', 180 + n FROM al, generate_series(1, 12) n RETURNING id)
SELECT id FROM a;
SQL
}
artist_id="$(fixture_sql | psql "$DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -v tag="$tag")"
artist_id="$(echo "$artist_id" | head -1)"
cleanup() { psql "$DATABASE_URL" -qAtX -c "DELETE FROM artists WHERE id = $artist_id" >/dev/null || true; }
trap cleanup EXIT

check="$(curl -s -H 'Content-Type: application/json' "$base/api/graphql" \
  -d "{\"query\":\"{ artist(id: $artist_id) { albums { tracks { id } } } }\"}")"
tracks="$(grep -o '"id"' <<<"$check" | wc -l)"
[[ "$tracks" -eq 120 ]] || { echo "unexpected answer: ${check:0:300}"; exit 1; }

# wrk CONNECTIONS URL [wrk args...] -> "req/s p50_ms p99_ms errors"
measure() {
  local conns="$1" url="$2" out
  shift 2
  out="$(ARTIST_ID="$artist_id" wrk -t"$threads" -c"$conns" -d"$duration" --timeout 5s --latency "$@" "$url" 2>&1)"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)}
    /Socket errors/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
    /Non-2xx/ {err += $NF}
    END {printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err}' <<<"$out"
}

target() { # CONNECTIONS -> the target of the GraphQL query at that count
  if [[ "$1" != 64 ]]; then echo "-"
  elif [[ "$label" == cached ]]; then echo ">= 30000 req/s, p99 < 10 ms"
  else echo ">= 5000 req/s, p99 < 30 ms"; fi
}

verdict() { # RPS P99 CONNECTIONS
  [[ "$3" == 64 ]] || return 0
  local min=5000 max=30
  [[ "$label" == cached ]] && min=30000 max=10
  awk -v r="$1" -v p="$2" -v a="$min" -v b="$max" 'BEGIN { print (r >= a && p < b) ? "met" : "NOT met" }'
}

echo "fixture: artist $artist_id with 10 albums of 12 tracks; $label; $(nproc) cores shared with wrk" \
     "and anything else running on this machine"
last=""
for c in $connections; do
  read -r rrps rp50 rp99 rerr <<<"$(measure "$c" "$base/api/artists/?skip=0&limit=50")"
  read -r grps gp50 gp99 gerr <<<"$(measure "$c" "$base/api/graphql" -s "$here/graphql.lua")"
  printf '[%s] %-36s %3s conns %7s req/s  p50 %6s ms  p99 %7s ms  errors %s\n' "$label" \
    "REST artist page (yardstick)" "$c" "$rrps" "$rp50" "$rp99" "$rerr"
  last="$(printf '[%s] %-36s %3s conns %7s req/s  p50 %6s ms  p99 %7s ms  errors %s  (%s of REST)  target: %s %s' \
    "$label" "GraphQL artist page (frontend query)" "$c" "$grps" "$gp50" "$gp99" "$gerr" \
    "$(awk -v g="$grps" -v r="$rrps" 'BEGIN { printf "%.2fx", (r > 0 ? g / r : 0) }')" \
    "$(target "$c")" "$(verdict "$grps" "$gp99" "$c")")"
  echo "$last"
done
