import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createReconciledLimiter, type ReconciledLimiter } from '../../core/rate-limits/create-reconciled-limiter.js';
import { connectRedis, type Redis } from '../../core/redis/connect-redis.js';
import { deleteKeysWithPrefix } from '../../core/redis/delete-keys-with-prefix.js';
import { testRedisUrl } from '../support/services.js';

const prefix = `rl-test:${randomBytes(4).toString('hex')}`;
const redis = connectRedis(testRedisUrl());
const opened: ReconciledLimiter[] = [];
afterAll(async () => {
  for (const l of opened) l.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

/** Two gateways' limiters of one allowance, on a clock the test moves (syncs run by hand). */
function gateways(points: number, clock: { ms: number }, store: Redis = redis, errors: unknown[] = []) {
  const make = () => {
    const l = createReconciledLimiter({
      redis: store,
      keyPrefix: `${prefix}:${points}:${clock.ms}`,
      points,
      syncMs: 60_000,
      now: () => clock.ms,
      onSyncError: (err) => errors.push(err),
    });
    opened.push(l);
    return l;
  };
  return [make(), make()] as const;
}

const taken = (l: ReconciledLimiter, key: string, n: number) =>
  Array.from({ length: n }, () => l.consume(key, 1)).filter((a) => a.ok).length;

describe('reconciled limiter: counted in memory, shared through Redis in the background', () => {
  it('one gateway never admits past the allowance, with no Redis in front of a command', () => {
    const clock = { ms: 1_000_000_250 };
    const [a] = gateways(10, clock);
    expect(taken(a, 'u1', 15)).toBe(10);
    const refused = a.consume('u1', 1);
    expect(refused).toEqual({ ok: false, retryAfterMs: 750 });
    // Another key has its own allowance; the next second a fresh one.
    expect(taken(a, 'u2', 3)).toBe(3);
    clock.ms += 1000;
    expect(taken(a, 'u1', 4)).toBe(4);
  });

  it("gateways learn each other's counts at each sync and then refuse what the total does not allow", async () => {
    const clock = { ms: 2_000_000_100 };
    const [a, b] = gateways(10, clock);
    expect(taken(a, 'spread', 6)).toBe(6);
    await a.sync();
    // B has not synced yet: it admits on what it knows (the documented price, one interval).
    expect(taken(b, 'spread', 5)).toBe(5);
    await b.sync();
    expect(b.consume('spread', 1).ok).toBe(false);
    // A's view is one sync old: one more, then its sync brings the total (12) and it refuses too.
    expect(a.consume('spread', 1).ok).toBe(true);
    await a.sync();
    expect(a.consume('spread', 1).ok).toBe(false);
    expect(Number(await redis.get(`${prefix}:10:${2_000_000_100}:{${Math.floor(clock.ms / 1000)}}:spread`))).toBe(12);
  });

  it('counts what is on its way to Redis: a sync in flight never frees the allowance it carries', async () => {
    const clock = { ms: 4_000_000_100 };
    const [a] = gateways(10, clock);
    expect(taken(a, 'busy', 8)).toBe(8);
    const syncing = a.sync();
    // The 8 are in the pipeline, their total not back: only 2 are left.
    expect(taken(a, 'busy', 5)).toBe(2);
    await syncing;
    expect(a.consume('busy', 1).ok).toBe(false);
    expect(Number(await redis.get(`${prefix}:10:${4_000_000_100}:{${Math.floor(clock.ms / 1000)}}:busy`))).toBe(8);
  });

  it('without Redis each gateway keeps limiting with its own counts, and says so', async () => {
    const clock = { ms: 3_000_000_500 };
    const dead = connectRedis('redis://127.0.0.1:1', { retryStrategy: () => null, lazyConnect: true } as never);
    const errors: unknown[] = [];
    const [a] = gateways(5, clock, dead, errors);
    expect(taken(a, 'u', 3)).toBe(3);
    await a.sync();
    expect(errors.length).toBe(1);
    expect(taken(a, 'u', 5)).toBe(2);
    dead.disconnect();
  });
});
