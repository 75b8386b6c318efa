-- wrk: GET PATH_PREFIX{id}PATH_SUFFIX over ids 1..MAX_ID (environment), a different id each time.
local prefix = os.getenv("PATH_PREFIX")
local suffix = os.getenv("PATH_SUFFIX") or ""
local max_id = tonumber(os.getenv("MAX_ID") or "1000")
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", prefix .. tostring(1 + (n * 7919) % max_id) .. suffix)
end
