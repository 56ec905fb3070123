import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../../core/config.js';
import { commandCost } from '../../core/domain/command-cost.js';
import { fullBucket, type TokenBucket, takeTokens } from '../../core/domain/token-bucket.js';
import { consumeOrRefuse, rateLimited } from '../../core/rate-limits/consume-or-refuse.js';
import type { Redis } from '../../core/redis/connect-redis.js';
import type { Keys } from '../../core/redis/keys.js';

interface LimitedSocket {
  data: { principal: { userId: string } | null; address?: string };
}

interface SocketState {
  bucket: TokenBucket;
  inFlight: number;
}

/** How long a client over its in-flight cap should wait: about one command's round trip. */
const IN_FLIGHT_RETRY_MS = 100;

/**
 * Limits every command before it is parsed, cheapest check first:
 * 1. in flight on this socket (stops hundreds of parallel holds parking on one user's lock),
 * 2. this socket's token bucket, in memory (stops a loop of seats:subscribe or waitlist churn),
 * 3. per user and per address across all gateways, in Redis (stops spreading the loop over many
 *    sockets or gateways). When Redis does not answer, each gateway falls back to counting in
 *    memory (rate-limiter-flexible's insurance limiter): limits hold approximately, commands flow.
 * Each refusal is RATE_LIMITED with `details.retryAfterMs` and touches nothing else.
 */
export function createCommandLimits(redis: Redis, keys: Keys, limits: Config['commandLimits'], now: () => number = Date.now) {
  const rule = { ratePerSecond: limits.socketPerSecond, burst: limits.socketBurst };
  const sockets = new WeakMap<LimitedSocket, SocketState>();
  const perSecond = (keyPrefix: string, points: number): RateLimiterAbstract | null =>
    points === 0
      ? null
      : new RateLimiterRedis({
          storeClient: redis,
          keyPrefix,
          points,
          duration: 1,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 1 }),
        });
  const byUser = perSecond(keys.commandRateUser, limits.userPerSecond);
  const byAddress = perSecond(keys.commandRateAddress, limits.addressPerSecond);

  return {
    /** Admits one command or throws RATE_LIMITED; call the returned function when it is answered. */
    async admit(socket: LimitedSocket, command: string): Promise<() => void> {
      let state = sockets.get(socket);
      if (!state) {
        state = { bucket: fullBucket(rule, now()), inFlight: 0 };
        sockets.set(socket, state);
      }
      if (state.inFlight >= limits.socketMaxInFlight) {
        throw rateLimited(`at most ${limits.socketMaxInFlight} commands in flight per connection`, IN_FLIGHT_RETRY_MS);
      }
      const cost = commandCost(command);
      const take = takeTokens(state.bucket, cost, now(), rule);
      state.bucket = take.bucket;
      if (!take.ok) throw rateLimited('too many commands on this connection, slow down', take.retryAfterMs);
      state.inFlight += 1;
      const s = state;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        s.inFlight -= 1;
      };
      try {
        const userId = socket.data.principal?.userId;
        await Promise.all([
          byUser && userId ? consumeOrRefuse(byUser, userId, 'too many commands for this user, slow down', cost) : undefined,
          byAddress && socket.data.address
            ? consumeOrRefuse(byAddress, socket.data.address, 'too many commands from this address, slow down', cost)
            : undefined,
        ]);
      } catch (err) {
        release();
        throw err;
      }
      return release;
    },
  };
}

export type CommandLimits = ReturnType<typeof createCommandLimits>;
