-- wrk script of tests/bench/varied.mjs: every request takes a random URL of the pool file
-- (one path per line, drawn from the data), so caches keyed by URL see what real users'
-- varied filters, sorts and pages give them.  Counts the worker's "X-Cache: hit" answers
-- (the response cache) and prints one RESULT line like report.lua, plus the hit count.
local pool = {}
local hits, misses = 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(pool, line) end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  wrk.headers["Cookie"] = args[2]
  if args[3] and #args[3] > 0 then wrk.headers["Accept"] = args[3] end
end

function request()
  return wrk.format("GET", pool[math.random(#pool)])
end

function response(status, headers, body)
  local x = headers["X-Cache"] or headers["x-cache"]
  if x == "hit" then hits = hits + 1 elseif x == "miss" then misses = misses + 1 end
end

done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do
    h = h + (t:get("hits") or 0)
    m = m + (t:get("misses") or 0)
  end
  local secs = summary.duration / 1e6
  local errs = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p95_ms=%.2f requests=%d errors=%d hits=%d misses=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests, errs, h, m))
end
