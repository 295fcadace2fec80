-- wrk script for bench/flood.py: comment submissions, each from the address in X-Forwarded-For (the proxy in
-- front passes it on, as the edge of a government network would).
--   BENCH_MODE=unique: every body different, every request from an address of its own (the intake rate);
--   BENCH_MODE=flood:  one text (spacing varied) from BENCH_SOURCES addresses, until BENCH_QUOTA requests.
-- After BENCH_STOP_AT (epoch seconds) or the quota only health checks are sent, so that every submission is
-- answered and counted before wrk hangs up.

local path = os.getenv("BENCH_POST_PATH")
local stop_at = tonumber(os.getenv("BENCH_STOP_AT"))
local mode = os.getenv("BENCH_MODE")
local run_id = os.getenv("BENCH_RUN_ID")
local sources = tonumber(os.getenv("BENCH_SOURCES") or "500")
local quota = tonumber(os.getenv("BENCH_QUOTA") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
  thread:set("thread_count", 0)
end

sent, answered, created, limited, other, server_errors = 0, 0, 0, 0, 0, 0
quota_reached_at = nil

function request()
  local per_thread = quota > 0 and math.ceil(quota / tonumber(os.getenv("BENCH_THREADS"))) or 0
  if per_thread > 0 and sent >= per_thread then
    quota_reached_at = quota_reached_at or os.time()
    -- A request that failed on its socket or timed out (30 s) is never answered: past that, stop all the same
    -- (the summary then shows sent > answered).
    if answered >= sent or os.time() > quota_reached_at + 35 then
      -- Every submission of this thread is answered: say so (bench/flood.py then interrupts wrk, which still
      -- reports) and stop sending.
      local marker = assert(io.open(string.format("%s/thread-%d", os.getenv("BENCH_DONE_DIR"), thread_id), "w"))
      marker:close()
      wrk.thread:stop()
    end
    return wrk.format("GET", "/healthz")
  end
  if os.time() >= stop_at then
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local body, address
  if mode == "flood" then
    local n = (thread_id * 7919 + sent) % sources
    address = string.format("10.8.%d.%d", math.floor(n / 250), n % 250 + 1)
    local spaces = string.rep(" ", sent % 3)
    body = '{"body": "坚决反对第十二条，' .. spaces .. '请删除按次收费的规定！"}'
  else
    local n = thread_id * 1000000 + sent
    address = string.format("10.%d.%d.%d", 16 + thread_id, math.floor(n / 250) % 250, n % 250 + 1)
    body = string.format('{"body": "压测意见 %s-%d-%d：建议延长投放时间，并在小区增设误时投放点。"}', run_id,
                         thread_id, sent)
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["X-Forwarded-For"] = address}, body)
end

function response(status, headers, body)
  if status ~= 200 then
    answered = answered + 1  -- only health checks answer 200: submissions answer 201, 429 or an error
  end
  if status == 201 then
    created = created + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  elseif status ~= 200 then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, answered = 0, created = 0, limited = 0, other = 0, server_errors = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format("BENCH sent=%d answered=%d created=%d limited=%d other=%d server_errors=%d\n",
                         totals.sent, totals.answered, totals.created, totals.limited, totals.other,
                         totals.server_errors))
end
