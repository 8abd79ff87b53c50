-- wrk script: GET /api/search?q=QUERY&EXTRA for every query of a file, in turn.
--   wrk ... -s bench/wrk/search.lua URL -- QUERIES_FILE [EXTRA]
-- EXTRA is appended to the query string as it is, e.g. "facets=false&snippets=false" for
-- hits only (the work of the raw in-process searcher). Each wrk thread starts at its own
-- place in the list, so the threads do not ask the same query at the same moment.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

setup = common.setup
request = common.request
done = common.done

function init(args)
   local queries = common.lines(assert(args[1], "usage: -- QUERIES_FILE [EXTRA]"))
   local extra = args[2] and args[2] ~= "" and ("&" .. args[2]) or ""
   local requests = {}
   for i, query in ipairs(queries) do
      requests[i] = wrk.format("GET", "/api/search?q=" .. common.encode(query) .. extra)
   end
   common.start(requests, 7)
end
