-- One user's place or admission in the waiting rooms of some events, read only (me:state).
-- KEYS: per event, four keys: active (zset user -> session expiry ms), sessions (hash), queue
-- (zset user -> order), admissions per second (hash). On a Redis Cluster each call names one
-- event (one slot); on a single Redis one call names them all.
-- ARGV: 1 user, 2 now ms
-- Returns per event: {'admitted', session} | {'waiting', rank, order, preQueueSize, buckets} | 0.
-- Two O(log n) lookups for a room the user is not in: the common case for most events.
local user, now = ARGV[1], tonumber(ARGV[2])
local out = {}
for i = 1, #KEYS, 4 do
  local expires = redis.call('ZSCORE', KEYS[i], user)
  if expires and tonumber(expires) > now then
    out[#out + 1] = { 'admitted', redis.call('HGET', KEYS[i + 1], user) or '' }
  else
    local rank = redis.call('ZRANK', KEYS[i + 2], user)
    if rank then
      out[#out + 1] = { 'waiting', rank, redis.call('ZSCORE', KEYS[i + 2], user),
        redis.call('ZCOUNT', KEYS[i + 2], '-inf', '(0'), redis.call('HGETALL', KEYS[i + 3]) }
    else
      out[#out + 1] = 0
    end
  end
end
return out
