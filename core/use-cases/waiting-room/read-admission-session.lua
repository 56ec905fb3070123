-- The admission check of every hold, in one round trip (one command, one reply).
-- KEYS[1] the event's admission sessions (hash), KEYS[2] its active set (zset)
-- ARGV[1] the user id
-- Returns { session record or false, expiry in ms (as a string) or false }.
return { redis.call('HGET', KEYS[1], ARGV[1]), redis.call('ZSCORE', KEYS[2], ARGV[1]) }
