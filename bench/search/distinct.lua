-- wrk: ~60,000 distinct queries in rotation (a word of the library, a blank and the first one
-- to four letters of another; every tenth a word with two letters swapped), so that the
-- index's caches (4,096 typeahead answers, 1,024 search plans) almost never hold the answer:
-- the cost of matching and ranking itself. DISTINCT_ROUTE picks the route: "typeahead"
-- (GET /api/search/typeahead, the default) or "search" (POST /api/search/).
local route = os.getenv("DISTINCT_ROUTE") or "typeahead"
local words = {}
for w in ("amber autumn black blue bright broken burning city cold crystal dancing dark dawn " ..
          "desert dream drift echo electric empty ember falling fire forest frozen ghost glass " ..
          "golden gravity green grey harbour heart heavy hollow honey horizon ice iron jade " ..
          "june last late light lonely lost lunar machine marble midnight mirror moon morning " ..
          "neon night northern ocean orange paper pale paradise quiet radio rain red river " ..
          "rose ruby salt satellite shadow silent silver sky slow smoke snow solar sound " ..
          "spring star stone storm summer sun sweet thunder tide velvet violet wave white " ..
          "wild wind winter wolf yellow young zero"):gmatch("%S+") do
  words[#words + 1] = w
end
local n = 0
request = function()
  n = n + 1
  local i = (n * 7919) % (#words * #words * 4)
  local a = words[(i % #words) + 1]
  local b = words[(math.floor(i / #words) % #words) + 1]
  local q = a .. " " .. b:sub(1, 1 + math.floor(i / (#words * #words)) % 4)
  if n % 10 == 0 then q = a:sub(1, 2) .. a:sub(4, 4) .. a:sub(3, 3) .. a:sub(5) end
  if route == "search" then
    local body = '{"query":"' .. q .. '","page":1,"page_size":20}'
    return wrk.format("POST", "/api/search/", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/api/search/typeahead?q=" .. q:gsub(" ", "%%20") .. "&limit=10")
end
