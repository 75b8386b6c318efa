-- wrk: POST /api/search/ (ranking, facets and the page in one statement) with varied queries.
local queries = {"midnight", "silver river", "thunder", "neon", "ocaen", "velvet rain",
                 "the blue", "amber", "crystal", "frozen sun", "golden", "radoi"}
local n = 0
request = function()
  n = n + 1
  local body = '{"query":"' .. queries[(n % #queries) + 1] .. '","page":1,"page_size":20}'
  return wrk.format("POST", "/api/search/", {["Content-Type"] = "application/json"}, body)
end
