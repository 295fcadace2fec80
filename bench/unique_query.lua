-- Every request carries a query argument of its own (...&nocache=<thread>-<n>), so no cached page can answer
-- it: measures what a page costs when it has to be built. Use with a URL that already has a query string.
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function request()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&nocache=" .. (id or 0) .. "-" .. counter)
end
