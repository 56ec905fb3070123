import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../../core/config.js';
import { commandCost } from '../../core/domain/command-cost.js';
import { fullBucket, type TokenBucket, takeTokens } from '../../core/domain/token-bucket.js';
import { consumeOrRefuse, rateLimited } from '../../core/rate-limits/consume-or-refuse.js';
import { createReconciledLimiter } from '../../core/rate-limits/create-reconciled-limiter.js';
import type { Redis } from '../../core/redis/connect-redis.js';
import type { Keys } from '../../core/redis/keys.js';

interface LimitedSocket {
  data: { principal: { userId: string } | null; address?: string };
}

interface SocketState {
  bucket: TokenBucket;
  inFlight: number;
}

/** What `admit` hands back for `release`: opaque to callers. */
export type Admitted = { readonly admitted: unique symbol };

/** How long a client over its in-flight cap should wait: about one command's round trip. */
const IN_FLIGHT_RETRY_MS = 100;

/** A shared allowance: answered in memory (reconciled in the background) or by asking Redis. */
interface SharedAllowance {
  take(key: string, cost: number, message: string): Promise<void> | undefined;
  close(): void;
}

function reconciledAllowance(o: Parameters<typeof createReconciledLimiter>[0]): SharedAllowance {
  const limiter = createReconciledLimiter(o);
  return {
    take(key, cost, message) {
      const answer = limiter.consume(key, cost);
      if (!answer.ok) throw rateLimited(message, answer.retryAfterMs);
      return undefined;
    },
    close: () => limiter.close(),
  };
}

function redisAllowance(redis: Redis, keyPrefix: string, points: number): SharedAllowance {
  const limiter: RateLimiterAbstract = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: 1,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 1 }),
  });
  return { take: (key, cost, message) => consumeOrRefuse(limiter, key, message, cost), close: () => {} };
}

/**
 * Limits every command before it is parsed, cheapest check first:
 * 1. in flight on this socket (stops hundreds of parallel holds parking on one user's lock),
 * 2. this socket's token bucket, in memory (stops a loop of seats:subscribe or waitlist churn),
 * 3. per user and per address across all gateways (stops spreading the loop over many sockets or
 *    gateways): counted in this gateway's memory and reconciled through Redis every `syncMs`
 *    (core/rate-limits/create-reconciled-limiter.ts), so no command waits for Redis; with
 *    `syncMs` 0, asked of Redis before each command, with rate-limiter-flexible's insurance
 *    limiter counting in memory while Redis does not answer.
 * Each refusal is RATE_LIMITED with `details.retryAfterMs` and touches nothing else.
 */
export function createCommandLimits(
  redis: Redis,
  keys: Keys,
  limits: Config['commandLimits'],
  now: () => number = Date.now,
  onSyncError: (err: unknown) => void = () => {},
) {
  const rule = { ratePerSecond: limits.socketPerSecond, burst: limits.socketBurst };
  const sockets = new WeakMap<LimitedSocket, SocketState>();
  const perSecond = (keyPrefix: string, points: number): SharedAllowance | null => {
    if (points === 0) return null;
    if (limits.syncMs === 0) return redisAllowance(redis, keyPrefix, points);
    return reconciledAllowance({ redis, keyPrefix, points, syncMs: limits.syncMs, now, onSyncError });
  };
  const byUser = perSecond(keys.commandRateUser, limits.userPerSecond);
  const byAddress = perSecond(keys.commandRateAddress, limits.addressPerSecond);

  const takeShared = (socket: LimitedSocket, state: SocketState, cost: number): Promise<void> | undefined => {
    const userId = socket.data.principal?.userId;
    const address = socket.data.address;
    const byUserAsked = byUser && userId ? byUser.take(userId, cost, 'too many commands for this user, slow down') : undefined;
    const byAddressAsked =
      byAddress && address ? byAddress.take(address, cost, 'too many commands from this address, slow down') : undefined;
    // Answered in memory (the default): nothing to wait for, the command runs in this same turn.
    if (!byUserAsked && !byAddressAsked) return undefined;
    return Promise.all([byUserAsked, byAddressAsked]).then(
      () => undefined,
      (err: unknown) => {
        state.inFlight -= 1;
        throw err;
      },
    );
  };

  return {
    /**
     * Admits one command or throws RATE_LIMITED; hand what it returns to `release` once the
     * command is answered. Counted in memory (the default) it answers synchronously: no promise,
     * no closure per command; asked of Redis (`syncMs` 0), it is a promise of the same.
     */
    admit(socket: LimitedSocket, command: string): Admitted | Promise<Admitted> {
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
      try {
        const asked = takeShared(socket, state, cost);
        const admitted = state as unknown as Admitted;
        return asked ? asked.then(() => admitted) : admitted;
      } catch (err) {
        state.inFlight -= 1;
        throw err;
      }
    },
    /** The command `admit` let through is answered: its connection may run another. Once per admit. */
    release(admitted: Admitted): void {
      (admitted as unknown as SocketState).inFlight -= 1;
    },
    close(): void {
      byUser?.close();
      byAddress?.close();
    },
  };
}

export type CommandLimits = ReturnType<typeof createCommandLimits>;
