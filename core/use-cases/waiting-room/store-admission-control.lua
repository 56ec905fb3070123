-- KEYS[1] control hash, KEYS[2] stats hash
-- ARGV[1] version (row updated_at, microseconds), ARGV[2..] field/value pairs
-- Writes only when the row is newer than the mirror, so a slow reader can never put back an
-- older setting over an admin's change. Marks every position stale: the ETA may have changed.
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) <= current then return 0 end
local fields = { 'version', ARGV[1] }
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HSET', KEYS[2], 'dirtyFrom', 0)
return 1
