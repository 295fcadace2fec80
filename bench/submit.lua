-- wrk script: comment submissions through the JSON API, each with a body no other request has.
-- From BENCH_STOP_AT (epoch seconds) on, only cheap health checks are sent: every submission is then answered
-- and read before wrk hangs up, so the comments stored can be compared exactly with the 201 answers.

local path = os.getenv("BENCH_POST_PATH")
local stop_at = tonumber(os.getenv("BENCH_STOP_AT"))
local run_id = os.getenv("BENCH_RUN_ID")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

-- Per-thread state lives in globals so that done() can read it with thread:get().
sent, created, refused = 0, 0, 0
receipts = {}

function request()
  if os.time() >= stop_at then
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  local body = string.format(
    '{"body": "压测意见 %s-%d-%d：建议延长投放时间，并在小区增设误时投放点。", "name": "压测"}',
    run_id, thread_id, sent)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    receipts[created] = body:match('"receipt_number"%s*:%s*"([^"]+)"') or "?"
  elseif status ~= 200 then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_RECEIPTS_FILE"), "w"))
  local total_sent, total_created, total_refused = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_created = total_created + thread:get("created")
    total_refused = total_refused + thread:get("refused")
    for _, receipt in ipairs(thread:get("receipts")) do
      out:write(receipt, "\n")
    end
  end
  out:close()
  io.write(string.format("BENCH sent=%d created=%d refused=%d\n", total_sent, total_created, total_refused))
end
