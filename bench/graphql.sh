#!/usr/bin/env bash
# GraphQL benchmark: the frontend's artist query against a running sonique, uncached, for an
# artist with 10 albums of 12 tracks (inserted with SQL, removed afterwards).
#
# Usage: bench/graphql.sh [BASE_URL]     (default http://127.0.0.1:8001)
#   DATABASE_URL   the running server's database (required: the fixture is inserted there)
#   DURATION (10s)  CONNECTIONS (64)  THREADS (2)
# Prints requests/s and latency next to the target (2,000 requests/s). Needs wrk and psql.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
base="${1:-http://127.0.0.1:8001}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
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
echo "fixture: artist $artist_id with 10 albums of 12 tracks"

check="$(curl -s -H 'Content-Type: application/json' "$base/api/graphql" \
  -d "{\"query\":\"{ artist(id: $artist_id) { albums { tracks { id } } } }\"}")"
tracks="$(grep -o '"id"' <<<"$check" | wc -l)"
[[ "$tracks" -eq 120 ]] || { echo "unexpected answer: ${check:0:300}"; exit 1; }

out="$(ARTIST_ID="$artist_id" wrk -t"$threads" -c"$connections" -d"$duration" --latency \
  -s "$here/graphql.lua" "$base/api/graphql")"
echo "$out" | grep -E "Latency|Req/Sec|requests in|Non-2xx|Socket errors" || true
result="$(grep GRAPHQL_RESULT <<<"$out")"
rps="$(sed -E 's/.*req_per_s=([0-9]+).*/\1/' <<<"$result")"
echo "$result"
echo "graphql frontend query: ${rps} requests/s (target >= 2000), $connections connections, $duration," \
     "$(nproc) cores shared with everything else on this machine"
