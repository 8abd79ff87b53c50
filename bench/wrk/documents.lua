-- wrk script: GET PREFIX..ID for every id of a file, in turn.
--   wrk ... -s bench/wrk/documents.lua URL -- IDS_FILE [PREFIX]
-- PREFIX is /api/documents/ (the default, JSON) or /documents/ (the HTML page). With a
-- single "-" as IDS_FILE it requests PREFIX alone: how the static reference is asked for
-- its file with the same script.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

local counter = 0
function setup(thread)
   thread:set("thread_number", counter)
   counter = counter + 1
end

local requests, next_request

function init(args)
   local file = assert(args[1], "usage: -- IDS_FILE [PREFIX]")
   local prefix = args[2] or "/api/documents/"
   requests = {}
   if file == "-" then
      requests[1] = wrk.format("GET", prefix)
   else
      for i, id in ipairs(common.lines(file)) do
         requests[i] = wrk.format("GET", prefix .. common.encode(id))
      end
   end
   local n = thread_number or 0
   next_request = (n * 997) % #requests + 1
end

function request()
   local r = requests[next_request]
   next_request = next_request % #requests + 1
   return r
end

done = common.done
