-- wrk script: sends the pre-signed slash commands of a file (bench/sign_requests.py) in order,
-- each once; the run stops when the pool is used up (distinct sets are never repeated).
-- Usage: wrk ... -s bench/slash.lua URL -- POOL_FILE [EXPECTED_LUA_PATTERN] [cycle] [PIDS]
-- At the end prints one line: "slash: sent N results R empty E other O" where results counts
-- answers that list lessons, empty answers that found none, other anything else (errors).
-- PIDS (comma-separated server PIDs): when the pool is used up, the servers' CPU time so far
-- (utime + stime, 1/100 s, from /proc) is read and printed as "slash_ticks: T". wrk keeps its
-- connections open until -d ends, and cpp-httplib 0.11.4 polls an idle keep-alive connection
-- every 10 ms and sleeps 1 ms in between (~1.8% of a core for 32 idle connections): CPU per
-- answer must be counted up to the last answer, not to the end of the run.
local pool = {}
local next_index = 1
local answered = 0
local cycle = false  -- "cycle" as the third argument: repeat the pool instead of stopping
local expect = " lessons? for "
local pids = {}  -- servers whose CPU time is read when the pool is used up
-- Globals, so that done() can read them from each thread with thread:get().
results, empty, other, pool_size, answered_total, end_ticks = 0, 0, 0, 0, 0, -1
local threads = {}

-- Wall clock in microseconds (LuaJIT's FFI): wrk divides by the whole -d duration even when
-- the pool ran out earlier, so the script measures the time its answers took itself.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval* tv, void* tz);
]]
local tv = ffi.new("bench_timeval")
local function now_us()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000000 + tonumber(tv.tv_usec)
end
first_us, last_us = 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    if ts then
      pool[#pool + 1] = wrk.format("POST", "/slack/commands", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Slack-Request-Timestamp"] = ts,
        ["X-Slack-Signature"] = sig,
      }, body)
    end
  end
  f:close()
  assert(#pool > 0, "empty request pool " .. path)
  pool_size = #pool
  if args[2] and args[2] ~= "" then expect = args[2] end
  cycle = args[3] == "cycle"
  for pid in string.gmatch(args[4] or "", "%d+") do pids[#pids + 1] = pid end
end

-- utime + stime of the servers (/proc/PID/stat fields 14 and 15), -1 when one cannot be read.
local function server_ticks()
  local sum = 0
  for _, pid in ipairs(pids) do
    local f = io.open("/proc/" .. pid .. "/stat", "r")
    if not f then return -1 end
    local stat = f:read("*a")
    f:close()
    -- Fields after the command name (in parentheses, which may hold spaces): state is field 3.
    local rest = stat:match("%) (.*)$")
    local fields = {}
    for v in string.gmatch(rest or "", "%S+") do fields[#fields + 1] = v end
    if #fields < 13 then return -1 end
    sum = sum + tonumber(fields[12]) + tonumber(fields[13])
  end
  return sum
end

function request()
  if first_us == 0 then first_us = now_us() end
  if cycle and next_index > #pool then next_index = 1 end
  local r = pool[next_index] or pool[#pool]
  next_index = next_index + 1
  return r
end

function response(status, headers, body)
  answered = answered + 1
  answered_total = answered
  last_us = now_us()
  if status == 200 and body:find(expect) then
    results = results + 1
  elseif status == 200 and body:find("No lessons match", 1, true) then
    empty = empty + 1
  else
    other = other + 1
  end
  if not cycle and answered >= #pool then
    if #pids > 0 then end_ticks = server_ticks() end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local n = t:get("answered_total")
    local us = t:get("last_us") - t:get("first_us")
    io.write(string.format("slash: results %d empty %d other %d pool %d answered %d seconds %.2f rps %.1f\n",
      t:get("results"), t:get("empty"), t:get("other"), t:get("pool_size"), n, us / 1e6,
      us > 0 and n * 1e6 / us or 0))
    if t:get("end_ticks") >= 0 then io.write(string.format("slash_ticks: %d\n", t:get("end_ticks"))) end
  end
  io.write(string.format("latency_us: p50 %d p90 %d p99 %d max %d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
