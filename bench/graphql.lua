-- wrk script: POSTs the frontend's artist query (api-contract.md §13) for the artist id in ARTIST_ID.
local id = os.getenv("ARTIST_ID") or "1"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"query GetArtistDetails($artistId: Int!) { artist(id: $artistId) { id name covers { url } '
  .. 'albums { id title releaseYear covers { url } tracks { id trackNumber title duration } } } }",'
  .. '"variables":{"artistId":' .. id .. '}}'

local bad = 0
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"tracks"', 1, true) or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("GRAPHQL_RESULT req_per_s=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
