-- Places of many waiting users of one event in one call (a gateway's own waiting sockets).
-- KEYS: 1 queue (zset user -> order), 2 admissions per second (hash)
-- ARGV: users
-- Returns { preQueueSize, buckets, rank1, order1, rank2, order2, ... } with rank -1 for a user
-- no longer waiting (admitted or gone). One ZRANK and one ZSCORE per user: O(log n) each.
local out = { redis.call('ZCOUNT', KEYS[1], '-inf', '(0'), redis.call('HGETALL', KEYS[2]) }
for i = 1, #ARGV do
  local rank = redis.call('ZRANK', KEYS[1], ARGV[i])
  if rank then
    out[#out + 1] = rank
    out[#out + 1] = redis.call('ZSCORE', KEYS[1], ARGV[i])
  else
    out[#out + 1] = -1
    out[#out + 1] = '0'
  end
end
return out
