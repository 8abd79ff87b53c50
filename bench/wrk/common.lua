-- Shared by search.lua and documents.lua: loaded with dofile() relative to the script's
-- folder, which wrk does not know, so each script finds it through its own path.
local M = {}

-- Percent-encodes every byte outside RFC 3986's unreserved set, so UTF-8 (å, ä, ö), spaces
-- and quotes reach the server as %XX.
function M.encode(text)
   return (text:gsub("[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

-- The non-empty lines of `file` that do not start with #.
function M.lines(file)
   local lines = {}
   local f = assert(io.open(file, "r"), "cannot open " .. file)
   for line in f:lines() do
      if line ~= "" and line:sub(1, 1) ~= "#" then lines[#lines + 1] = line end
   end
   f:close()
   assert(#lines > 0, "no lines in " .. file)
   return lines
end

-- wrk's setup(): numbers the threads, so that each can start at its own place in the list.
local counter = 0
function M.setup(thread)
   thread:set("thread_number", counter)
   counter = counter + 1
end

-- Each thread has a Lua state of its own, so these are the thread's.
local list, position

-- From init(): the requests to cycle through, starting `stride` places further on for each
-- thread number, so the threads do not send the same request at the same moment.
function M.start(requests, stride)
   list = requests
   position = ((thread_number or 0) * stride) % #list + 1
end

-- wrk's request(). It must be set when the script loads: wrk decides before init() whether
-- a script's requests vary.
function M.request()
   local r = list[position]
   position = position % #list + 1
   return r
end

-- wrk's done(): one line the bench parses, all numbers, latency in milliseconds.
function M.done(summary, latency, requests)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "wrk-result requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
      "max_ms=%.3f bytes_per_request=%.0f errors_connect=%d errors_read=%d errors_write=%d " ..
      "errors_timeout=%d non2xx=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      summary.requests > 0 and summary.bytes / summary.requests or 0,
      e.connect, e.read, e.write, e.timeout, e.status))
end

return M
