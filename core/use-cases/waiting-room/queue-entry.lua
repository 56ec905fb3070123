-- Join (ARGV[6] = '1') or look up (ARGV[6] = '0') one user's place in an event's waiting room.
-- KEYS: 1 queue (zset user -> order), 2 gone (zset user -> grace deadline ms), 3 active (zset
-- user -> session expiry ms), 4 sessions (hash), 5 stats (hash), 6 queue sequence, 7 admissions
-- per second (hash)
-- ARGV: 1 user, 2 now ms, 3 pre-sale order ('' once the sale is open), 4 join admission cap,
-- 5 session ttl seconds, 6 join?, 7 access code ('1': admitted at once while a slot is free, else
-- at the head of the room, ahead of every join without a code), 8 admission ticks per second,
-- 9 the per-tick limit to assume before the first tick stored one (stats field aimdLimit)
-- Returns {'admitted', session} | {'waiting', rank, order, preQueueSize, buckets} | {'none'}
local user, now = ARGV[1], tonumber(ARGV[2])
-- Any sign of life ends the disconnect grace period.
redis.call('ZREM', KEYS[2], user)
local expires = redis.call('ZSCORE', KEYS[3], user)
if expires and tonumber(expires) > now then
  return { 'admitted', redis.call('HGET', KEYS[4], user) or '' }
end
local function admit()
  redis.call('ZREM', KEYS[1], user)
  local sid = redis.call('HINCRBY', KEYS[5], 'admitted', 1)
  local iat = math.floor(now / 1000)
  local exp = iat + tonumber(ARGV[5])
  local session = sid .. ':' .. iat .. ':' .. exp
  redis.call('ZADD', KEYS[3], exp * 1000, user)
  redis.call('HSET', KEYS[4], user, session)
  redis.call('HINCRBY', KEYS[7], iat, 1)
  return { 'admitted', session }
end
local order = redis.call('ZSCORE', KEYS[1], user)
local cap = tonumber(ARGV[4])
if ARGV[7] == '1' and ARGV[6] == '1' then
  -- An access code skips whoever waits, never the cap (invariant 5).
  if cap > 0 and redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf') < cap then return admit() end
  -- Head orders lie below every pre-queue order (> -2^48), first come first served among codes.
  local head = -1125899906842624
  if not order or tonumber(order) > head / 2 then
    -- %.0f: redis.call would print the number with 14 digits and lose the sequence.
    order = string.format('%.0f', redis.call('INCR', KEYS[6]) + head)
    redis.call('ZADD', KEYS[1], order, user)
  end
end
if not order then
  if ARGV[6] ~= '1' then return { 'none' } end
  -- Skipping the queue is only fair when nobody waits; the cap keeps invariant 5. And only
  -- within the room's current rate (the closed loop's limit per tick, times ticks per second):
  -- a crowd arriving at an empty room is let in at the pace the hold path can take, not all at once.
  if cap > 0 and redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf') < cap then
    local limit = tonumber(redis.call('HGET', KEYS[5], 'aimdLimit') or ARGV[9]) or tonumber(ARGV[9])
    local thisSecond = tonumber(redis.call('HGET', KEYS[7], math.floor(now / 1000)) or '0')
    if thisSecond < limit * tonumber(ARGV[8]) then return admit() end
  end
  -- Pre-sale joins carry a random negative order: behind the curtain until sale start, they
  -- sort ahead of every later join (positive sequence) in a uniformly random order.
  if ARGV[3] ~= '' then order = ARGV[3] else order = redis.call('INCR', KEYS[6]) end
  redis.call('ZADD', KEYS[1], order, user)
end
return { 'waiting', redis.call('ZRANK', KEYS[1], user), tostring(order),
  redis.call('ZCOUNT', KEYS[1], '-inf', '(0'), redis.call('HGETALL', KEYS[7]) }
