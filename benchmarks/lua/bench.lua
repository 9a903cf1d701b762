-- wrk script shared by every benchmark target, so each peer sees exactly the same load generator and settings.
--
-- It counts every non-2xx answer itself (wrk's own "Non-2xx or 3xx" counter lets redirects through, and a fast
-- 401 or a 302 to a login page must never look like throughput), and prints one machine-readable RESULT line.
--
-- Environment:
--   BENCH_METHOD        GET (default) or POST
--   BENCH_AUTH          value of the Authorization header, if any ("Bearer ...", "Basic ...")
--   BENCH_BODY          request body for POST (application/x-www-form-urlencoded)
--   BENCH_REFRESH_BODY  refresh-token mode: body prefix, the refresh token is appended to it
--   BENCH_SEEDS         refresh-token mode: file with one refresh token per line (at least one per connection)
--   BENCH_THREADS       refresh-token and proof modes: wrk's -t, to share the seeds or proofs among threads
--   BENCH_PROOFS        DPoP mode: file with one DPoP proof per line; each request takes the next one as its DPoP
--                       header (with BENCH_AUTH "DPoP <token>"): a proof is single-use, so none is ever sent twice
--
-- Refresh-token mode follows rotation: every answer's new refresh_token goes into the thread's queue and the
-- connection's next request takes one from it, so each connection walks its own chain of fresh tokens and no
-- token is ever presented twice. A request with no token left is sent with an invalid one and counts as an error.
-- wrk builds (and throws away) one request per thread before its connections start, so give each thread one
-- seed more than its connections: connections + threads seeds in all.

local method = os.getenv("BENCH_METHOD") or "GET"
local auth = os.getenv("BENCH_AUTH")
local body = os.getenv("BENCH_BODY")
local refreshBody = os.getenv("BENCH_REFRESH_BODY")
local seedsFile = os.getenv("BENCH_SEEDS")
local proofsFile = os.getenv("BENCH_PROOFS")
local threadCount = tonumber(os.getenv("BENCH_THREADS") or "1")

local headers = {}
if auth and auth ~= "" then headers["Authorization"] = auth end
if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end

local threads = {}
local seedLines = nil
local proofLines = nil

function setup(thread)
  local index = #threads + 1
  threads[index] = thread
  if proofsFile then
    if proofLines == nil then
      proofLines = {}
      for line in io.lines(proofsFile) do
        if line ~= "" then proofLines[#proofLines + 1] = line end
      end
    end
    local mine = {}
    for i = index, #proofLines, threadCount do mine[#mine + 1] = proofLines[i] end
    thread:set("proofs", table.concat(mine, ","))
  end
  if refreshBody then
    if seedLines == nil then
      seedLines = {}
      for line in io.lines(seedsFile) do
        if line ~= "" then seedLines[#seedLines + 1] = line end
      end
    end
    local mine = {}
    for i = index, #seedLines, threadCount do mine[#mine + 1] = seedLines[i] end
    thread:set("seeds", table.concat(mine, ","))
  end
end

local queue = {}
local staticRequest = nil

local proofQueue = {}
local nextProof = 1

function init(args)
  non2xx = 0
  noToken = 0
  if proofsFile then
    for proof in string.gmatch(proofs or "", "[^,]+") do proofQueue[#proofQueue + 1] = proof end
  elseif refreshBody then
    for token in string.gmatch(seeds or "", "[^,]+") do queue[#queue + 1] = token end
  else
    staticRequest = wrk.format(method, wrk.path, headers, body)
  end
end

function request()
  if proofsFile then
    local proof = proofQueue[nextProof]
    proofQueue[nextProof] = nil
    nextProof = nextProof + 1
    if proof == nil then
      noToken = noToken + 1
      proof = "no-proof-left"
    end
    headers["DPoP"] = proof
    return wrk.format(method, wrk.path, headers, body)
  end
  if staticRequest then return staticRequest end
  local token = table.remove(queue)
  if token == nil then
    noToken = noToken + 1
    token = "no-refresh-token-left"
  end
  return wrk.format("POST", wrk.path, headers, refreshBody .. token)
end

function response(status, _, responseBody)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if refreshBody and responseBody then
    local token = string.match(responseBody, '"refresh_token"%s*:%s*"([^"]+)"')
    if token then queue[#queue + 1] = token end
  end
end

function done(summary, latency, _)
  local bad, starved = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    starved = starved + (thread:get("noToken") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d starved=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    bad, e.connect + e.read + e.write + e.timeout, starved))
end
