-- wrk: POST /api/search/ with 12 rotating queries (plan cache after the first round).
local queries = {"midnight", "silver river", "thunder", "neon", "ocaen", "velvet rain",
                 "the blue", "amber", "crystal", "frozen sun", "golden", "radoi"}
local n = 0
request = function()
  n = n + 1
  local body = '{"query":"' .. queries[(n % #queries) + 1] .. '","page":1,"page_size":20}'
  return wrk.format("POST", "/api/search/", {["Content-Type"] = "application/json"}, body)
end
