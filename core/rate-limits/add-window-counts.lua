-- One reconciliation of the command limits (create-reconciled-limiter.ts): adds this gateway's
-- counts of one window to every gateway's totals, KEYS[i] += ARGV[i], each key expiring
-- ARGV[#KEYS + 1] ms after its last count, and returns the totals in the order of KEYS.
-- The keys share the window as their hash tag: one call is one slot on a Redis Cluster.
local ttl = ARGV[#KEYS + 1]
local totals = {}
for i = 1, #KEYS do
  totals[i] = redis.call('INCRBY', KEYS[i], ARGV[i])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return totals
