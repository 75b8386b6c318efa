-- wrk: the frontend's typeahead call with queries as typed (prefixes, a typo, two words).
local queries = {"mid", "midn", "midnight", "silv", "silver r", "thunde", "neon w", "radoi",
                 "ocaen", "velvet", "the blue", "amber d", "crystl", "frozen sun", "golde"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/search/typeahead?q=" ..
                    queries[(n % #queries) + 1]:gsub(" ", "%%20") .. "&limit=10")
end
