-- wrk script for bench/heritage_gate_run.py: every request scans the next ticket at the gate.
-- Arguments after "--": the payload file (one signed QR payload a line), the CSRF token, the
-- Cookie header of a logged-in gate officer and wrk's thread count. Thread k takes payloads
-- k, k + n, k + 2n, ... (n threads), so no ticket is scanned twice.

local PAYLOADS = {}
local CSRF = ""
local COOKIE = ""
local next_index = 1
local step = 1

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then table.insert(PAYLOADS, line) end
  end
  file:close()
  CSRF = args[2]
  COOKIE = args[3]
  step = tonumber(args[4]) or 1
  next_index = thread_number or 1
end

function request()
  local payload = PAYLOADS[next_index] or PAYLOADS[#PAYLOADS]
  next_index = next_index + step
  local body = "kode=" .. urlencode(payload) .. "&gerbang=1&_csrf_token=" .. urlencode(CSRF)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = COOKIE,
  }, body)
end
