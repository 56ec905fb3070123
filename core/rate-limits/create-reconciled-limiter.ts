import type { Redis } from '../redis/connect-redis.js';
import { loadLuaScript } from '../redis/run-lua-script.js';

/** One-second windows, as the Redis limiter counted them (`duration: 1`). */
const WINDOW_MS = 1000;
/** Keys per script call: a sync of thousands of users is a few calls, none long for Redis. */
const KEYS_PER_CALL = 500;
const addWindowCounts = loadLuaScript(new URL('./add-window-counts.lua', import.meta.url));

export type LimitAnswer = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * An allowance per key and second shared by every gateway, counted in this gateway's memory and
 * reconciled through Redis in the background: each `syncMs`, what this gateway counted since the
 * last sync is added to the key's total in Redis (one pipeline for all keys) and the total, every
 * gateway's, comes back. A command is admitted if the last known total plus what this gateway
 * counted since fits the allowance: no Redis round trip in front of any command.
 *
 * The price: between two syncs, N gateways can each admit what they think is left, so a key
 * spread over gateways may exceed its allowance by up to N times for `syncMs` (one gateway alone
 * never does). When Redis does not answer, each gateway keeps limiting with its own counts.
 */
export function createReconciledLimiter(o: {
  redis: Redis;
  keyPrefix: string;
  points: number;
  syncMs: number;
  now: () => number;
  onSyncError: (err: unknown) => void;
}) {
  let window = -1;
  /** This window's totals across gateways, as of the last sync (ours included). */
  let known = new Map<string, number>();
  /** Counted here since the last sync. */
  let pending = new Map<string, number>();
  /** Counted here and sent to Redis, its total not back yet: still counted, or a gateway alone could
   * admit past the allowance while a sync is in flight. */
  let inFlight = new Map<string, number>();
  const add = (m: Map<string, number>, key: string, n: number) => {
    const v = (m.get(key) ?? 0) + n;
    if (v === 0) m.delete(key);
    else m.set(key, v);
  };

  const roll = (nowMs: number) => {
    const w = Math.floor(nowMs / WINDOW_MS);
    if (w === window) return;
    window = w;
    known = new Map();
    pending = new Map();
    inFlight = new Map();
  };

  const sync = async () => {
    if (pending.size === 0) return;
    const w = window;
    const sent = pending;
    pending = new Map();
    for (const [key, n] of sent) add(inFlight, key, n);
    const keys = [...sent.keys()];
    // One script call per chunk of keys instead of an INCRBY and a PEXPIRE per key: a sync in a
    // burst carries most active users, and each Redis command costs the gateway more than the
    // few bytes it adds to a script call's arguments.
    let failure: unknown = null;
    const chunks: string[][] = [];
    for (let from = 0; from < keys.length; from += KEYS_PER_CALL) chunks.push(keys.slice(from, from + KEYS_PER_CALL));
    const replies = await Promise.all(
      chunks.map((chunk) =>
        addWindowCounts
          .run(
            o.redis,
            // The window is the hash tag: one call is one slot on a Redis Cluster.
            chunk.map((key) => `${o.keyPrefix}:{${w}}:${key}`),
            [...chunk.map((key) => sent.get(key) as number), 2 * WINDOW_MS],
          )
          .then(
            (totals) => (Array.isArray(totals) ? totals : []),
            (err: unknown) => {
              failure ??= err;
              return [];
            },
          ),
      ),
    );
    const totals = replies.flatMap((r, i) => (r.length === chunks[i]?.length ? r : (chunks[i] ?? []).map(() => null)));
    if (w !== window) return; // a new window began meanwhile: these totals are history
    for (const [key, n] of sent) add(inFlight, key, -n);
    keys.forEach((key, i) => {
      const total = totals[i];
      if (typeof total === 'number') {
        known.set(key, Math.max(total, known.get(key) ?? 0));
      } else {
        // Counted here but not shared: kept in this gateway's own view of the window.
        known.set(key, (known.get(key) ?? 0) + (sent.get(key) as number));
        failure ??= new Error('no total from Redis');
      }
    });
    if (failure) o.onSyncError(failure);
  };
  const timer = setInterval(() => void sync(), o.syncMs);
  timer.unref();

  return {
    /** Takes `cost` from the key's allowance of this second, or says how long until the next. */
    consume(key: string, cost: number): LimitAnswer {
      const nowMs = o.now();
      roll(nowMs);
      const used = (known.get(key) ?? 0) + (inFlight.get(key) ?? 0) + (pending.get(key) ?? 0);
      if (used + cost > o.points) return { ok: false, retryAfterMs: WINDOW_MS - (nowMs % WINDOW_MS) };
      pending.set(key, (pending.get(key) ?? 0) + cost);
      return { ok: true };
    },
    /** Runs one reconciliation now (tests; shutdown). */
    sync,
    close(): void {
      clearInterval(timer);
    },
  };
}

export type ReconciledLimiter = ReturnType<typeof createReconciledLimiter>;
