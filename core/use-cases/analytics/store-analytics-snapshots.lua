-- KEYS[1] snapshots hash; ARGV[1] tick time (ms), ARGV[2] TTL (ms), ARGV[3..] field/value pairs.
-- Replaces every snapshot at once, unless a newer tick already stored its own: two workers
-- finishing overlapping ticks out of order never put an older picture back.
local stored = tonumber(redis.call('HGET', KEYS[1], 'atMs') or '-1')
if tonumber(ARGV[1]) <= stored then return 0 end
local fields = { 'atMs', ARGV[1] }
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
