-- wrk script: GET PATH?q=QUERY&EXTRA for every query of a file, in turn.
--   wrk ... -s bench/wrk/search.lua URL -- QUERIES_FILE [EXTRA [PATH]]
-- EXTRA is appended to the query string as it is, e.g. "facets=false&snippets=false" for
-- hits only (the work of the raw in-process searcher); PATH is /api/search (the default) or
-- / (the web UI's result page). Each wrk thread starts at its own place in the list, so the
-- threads do not ask the same query at the same moment.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

setup = common.setup
request = common.request
done = common.done

function init(args)
   local queries = common.lines(assert(args[1], "usage: -- QUERIES_FILE [EXTRA [PATH]]"))
   local extra = args[2] and args[2] ~= "" and ("&" .. args[2]) or ""
   local path = args[3] or "/api/search"
   local requests = {}
   for i, query in ipairs(queries) do
      requests[i] = wrk.format("GET", path .. "?q=" .. common.encode(query) .. extra)
   end
   common.start(requests, 7)
end
