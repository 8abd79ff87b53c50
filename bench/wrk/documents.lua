-- wrk script: GET PREFIX..ID for every id of a file, in turn.
--   wrk ... -s bench/wrk/documents.lua URL -- IDS_FILE [PREFIX]
-- PREFIX is /api/documents/ (the default, JSON) or /documents/ (the HTML page). With a
-- single "-" as IDS_FILE it requests PREFIX alone: how the static reference is asked for
-- its file with the same script.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

setup = common.setup
request = common.request
done = common.done

function init(args)
   local file = assert(args[1], "usage: -- IDS_FILE [PREFIX]")
   local prefix = args[2] or "/api/documents/"
   local requests = {}
   if file == "-" then
      requests[1] = wrk.format("GET", prefix)
   else
      for i, id in ipairs(common.lines(file)) do
         requests[i] = wrk.format("GET", prefix .. common.encode(id))
      end
   end
   common.start(requests, 997)
end
