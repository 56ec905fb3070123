-- KEYS: 1 stats, 2 admissions per second; ARGV: 1 sale open ('1' or '0')
-- Returns the lowest queue rank whose position changed since the last push (-1: none) and the
-- admission buckets for the ETA. The first call after sale start reveals the pre-queue.
local dirty = redis.call('HGET', KEYS[1], 'dirtyFrom')
redis.call('HDEL', KEYS[1], 'dirtyFrom')
if ARGV[1] == '1' and redis.call('HSETNX', KEYS[1], 'revealed', '1') == 1 then dirty = '0' end
return { tonumber(dirty or '-1'), redis.call('HGETALL', KEYS[2]) }
