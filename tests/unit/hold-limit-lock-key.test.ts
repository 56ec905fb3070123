import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { holdLimitLockKey } from '../../core/use-cases/seats/hold-limit-lock-key.js';

/** The definition: the first 8 bytes of SHA-256 of the pair, as a signed int8 in decimal. */
const direct = (userId: string, eventId: string) =>
  createHash('sha256').update(`hold-limit:${userId}:${eventId}`).digest().readBigInt64BE(0).toString();

describe('holdLimitLockKey', () => {
  it('is the int8 of its definition for every pair, remembered or not, and never another pair’s', () => {
    const events = [randomUUID(), randomUUID()];
    const users = Array.from({ length: 300 }, () => randomUUID());
    const seen = new Map<string, string>();
    for (let round = 0; round < 2; round++) {
      for (const u of users) {
        for (const e of events) {
          const key = holdLimitLockKey(u, e);
          expect(key).toBe(direct(u, e));
          expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
          seen.set(`${u}:${e}`, key);
        }
      }
    }
    // 600 pairs, 600 keys (a collision in 64 bits here would be a bug, not luck).
    expect(new Set(seen.values()).size).toBe(users.length * events.length);
  });
});
