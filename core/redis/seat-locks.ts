import Redlock, { type Lock } from 'redlock';
import { AppError } from '../domain/app-error.js';
import type { Redis } from './connect-redis.js';
import type { Keys } from './keys.js';

export interface HeldSeatLock {
  release(): Promise<void>;
}

export interface SeatLocks {
  /**
   * Locks every seat at once or fails fast with SEAT_UNAVAILABLE (retryable): a gate in Redis in
   * front of the batch writer. Returns a no-op lock when Redlock is off (REDLOCK_ENABLED, the
   * default: the writer locks seats SKIP LOCKED, so there is no row-lock wait for it to spare).
   */
  acquire(eventId: string, seatIds: readonly string[]): Promise<HeldSeatLock>;
}

const NO_LOCK: HeldSeatLock = { release: async () => {} };

/**
 * Redlock over the seat keys, sorted so two requests for overlapping seats ask in the same order,
 * with no retries and a short TTL: if this process dies holding them they lapse on their own.
 * Not the guarantee (Postgres is); losing Redis only loses the gate.
 */
export function createSeatLocks(redis: Redis, keys: Keys, opts: { enabled: boolean; ttlMs: number }): SeatLocks {
  if (!opts.enabled) return { acquire: async () => NO_LOCK };
  const redlock = new Redlock([redis], { retryCount: 0, driftFactor: 0.01, automaticExtensionThreshold: 200 });
  redlock.on('error', () => {});
  return {
    async acquire(eventId, seatIds) {
      const resources = [...new Set(seatIds)].sort().map((id) => keys.seatLock(eventId, id));
      let lock: Lock;
      try {
        lock = await redlock.acquire(resources, opts.ttlMs);
      } catch {
        throw new AppError('SEAT_UNAVAILABLE', 'seats are being taken right now, try again', undefined, true);
      }
      return {
        release: async () => {
          // A lock that cannot be released lapses after its TTL; nothing to do but move on.
          await lock.release().catch(() => {});
        },
      };
    },
  };
}
