-- KEYS: 1 queue, 2 gone, 3 active, 4 sessions, 5 stats; ARGV: 1 user
-- Leaves the queue and ends the admission session; everyone behind moves up (dirtyFrom).
local user = ARGV[1]
local rank = redis.call('ZRANK', KEYS[1], user)
if rank then
  redis.call('ZREM', KEYS[1], user)
  local dirty = tonumber(redis.call('HGET', KEYS[5], 'dirtyFrom') or rank)
  redis.call('HSET', KEYS[5], 'dirtyFrom', math.min(dirty, rank))
end
redis.call('ZREM', KEYS[2], user)
local ended = redis.call('ZREM', KEYS[3], user)
redis.call('HDEL', KEYS[4], user)
if rank or ended == 1 then return 1 end
return 0
