-- One admission tick for one event; atomic, so overlapping ticks can never over-admit.
-- KEYS: 1 queue, 2 gone, 3 active, 4 sessions, 5 stats, 6 admissions per second (hash),
-- 7 control (hash), 8 admitted users not yet told (zset by admission time)
-- ARGV: 1 now ms, 2 budget (policy), 3 maxActive, 4 session ttl seconds, 5 extra head entries
-- to look past when users at the head are disconnected (inside their grace period), 6 the
-- control version the budget was computed from
-- Returns {admitted {user, session, ...}, waiting, active, maxDisplacement}, or {'stale'} when
-- an admin changed the settings since the budget was computed (the next tick uses the new ones).
if redis.call('HGET', KEYS[7], 'version') ~= ARGV[6] then return { 'stale' } end
local now = tonumber(ARGV[1])
local nowSec = math.floor(now / 1000)

-- Sessions past their TTL free their slots.
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('ZREM', KEYS[3], unpack(expired))
  redis.call('HDEL', KEYS[4], unpack(expired))
  redis.call('ZREM', KEYS[8], unpack(expired))
end

-- Users gone for longer than the grace period lose their place; positions behind them change.
local dirty = tonumber(redis.call('HGET', KEYS[5], 'dirtyFrom') or '-1')
local function touch(rank)
  if dirty < 0 or rank < dirty then dirty = rank end
end
for _, user in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)) do
  local rank = redis.call('ZRANK', KEYS[1], user)
  if rank then
    touch(rank)
    redis.call('ZREM', KEYS[1], user)
  end
  redis.call('ZREM', KEYS[2], user)
end

-- Admit from the head. The maxActive clamp is repeated here, against the live count, because
-- joins and session ends run concurrently with the policy's read of it.
local live = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
local n = math.min(tonumber(ARGV[2]), tonumber(ARGV[3]) - live)
local admitted = {}
local count, lastOrder = 0, nil
if n > 0 then
  local head = redis.call('ZRANGE', KEYS[1], 0, n + tonumber(ARGV[5]) - 1, 'WITHSCORES')
  local exp = nowSec + tonumber(ARGV[4])
  for i = 1, #head, 2 do
    if count >= n then break end
    local user = head[i]
    -- A disconnected user keeps the place and is let in on return, not while away.
    if not redis.call('ZSCORE', KEYS[2], user) then
      local sid = redis.call('HINCRBY', KEYS[5], 'admitted', 1)
      local session = sid .. ':' .. nowSec .. ':' .. exp
      redis.call('ZADD', KEYS[3], exp * 1000, user)
      redis.call('HSET', KEYS[4], user, session)
      redis.call('ZREM', KEYS[1], user)
      redis.call('ZADD', KEYS[8], now, user)
      admitted[#admitted + 1] = user
      admitted[#admitted + 1] = session
      count = count + 1
      lastOrder = head[i + 1]
    end
  end
end

local displacement = tonumber(redis.call('HGET', KEYS[5], 'maxDisplacement') or '0')
if count > 0 then
  touch(0)
  redis.call('HINCRBY', KEYS[6], nowSec, count)
  -- Fairness, measured: everyone still waiting who queued before the last user let in was overtaken.
  local overtaken = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. lastOrder)
  if overtaken > displacement then
    displacement = overtaken
    redis.call('HSET', KEYS[5], 'maxDisplacement', displacement)
  end
end
for _, second in ipairs(redis.call('HKEYS', KEYS[6])) do
  if tonumber(second) <= nowSec - 60 then redis.call('HDEL', KEYS[6], second) end
end
if dirty >= 0 then redis.call('HSET', KEYS[5], 'dirtyFrom', dirty) end
-- Which settings the latest tick ran with: lets tests and operators see a change take effect.
redis.call('HSET', KEYS[5], 'tickVersion', ARGV[6], 'lastBatch', count)
redis.call('HINCRBY', KEYS[5], 'ticks', 1)
return { admitted, redis.call('ZCARD', KEYS[1]), live + count, displacement }
