-- wrk: ~55,000 distinct queries in rotation (a word of the library, a blank and the first one
-- to four letters of another; every tenth two words, the second with two letters swapped), so that the
-- index's caches (4,096 typeahead answers, 1,024 search plans) almost never hold the answer:
-- the cost of matching and ranking itself. Each of wrk's threads starts at its own share of the
-- rotation (DISTINCT_THREADS, 2: wrk's -t), so that no thread asks what another just asked.
-- DISTINCT_ROUTE picks the route: "typeahead" (GET /api/search/typeahead, the default) or
-- "search" (POST /api/search/).
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
local period = #words * #words * 4
local started = 0
function setup(thread)
  local share = math.floor(period / tonumber(os.getenv("DISTINCT_THREADS") or "2"))
  thread:set("first", started * share)
  started = started + 1
end
local n = nil
request = function()
  if n == nil then n = first or 0 end
  n = n + 1
  local i = (n * 7919) % period
  local a = words[(i % #words) + 1]
  local b = words[(math.floor(i / #words) % #words) + 1]
  local q = a .. " " .. b:sub(1, 1 + math.floor(i / (#words * #words)) % 4)
  if n % 10 == 0 then q = a .. " " .. b:sub(1, 2) .. b:sub(4, 4) .. b:sub(3, 3) .. b:sub(5) end
  if route == "search" then
    local body = '{"query":"' .. q .. '","page":1,"page_size":20}'
    return wrk.format("POST", "/api/search/", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/api/search/typeahead?q=" .. q:gsub(" ", "%%20") .. "&limit=10")
end
