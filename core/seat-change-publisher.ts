import type { SeatChange } from './contract/pushes.js';
import { rooms } from './rooms.js';

interface Broadcaster {
  to(room: string): { emit(event: 'seats:changed', payload: { eventId: string; changes: SeatChange[] }): unknown };
}

/** A broadcast may take at most about this share of the event loop; see `windowMs`. */
const BROADCAST_SHARE = 0.25;
const MAX_COALESCE_MS = 250;

/**
 * Publishes seat changes after commit, coalesced per event into one `seats:changed` push (later
 * versions of the same seat replace earlier ones in a batch). Through the Redis adapter
 * (gateway) or the socket emitter (worker) it reaches every instance.
 *
 * The window is `coalesceMs` while broadcasts are cheap. A broadcast to many thousands of
 * sockets costs the event loop milliseconds per push, and at one push every few ms it would
 * starve the commands (holds waiting on the loop keep their database connections, the pool
 * runs dry): after an expensive broadcast the window widens so broadcasting stays near
 * BROADCAST_SHARE of the loop, up to MAX_COALESCE_MS, and narrows again as they get cheap.
 */
export function createSeatChangePublisher(
  broadcaster: Broadcaster,
  coalesceMs: number,
  onFlush?: (oldestCommitMs: number) => void,
) {
  const pending = new Map<string, { changes: Map<string, SeatChange>; since: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let windowMs = coalesceMs;

  const flush = (eventId: string) => {
    const batch = pending.get(eventId);
    if (!batch) return;
    pending.delete(eventId);
    const started = performance.now();
    broadcaster.to(rooms.seats(eventId)).emit('seats:changed', { eventId, changes: [...batch.changes.values()] });
    const spentMs = performance.now() - started;
    windowMs = Math.min(MAX_COALESCE_MS, Math.max(coalesceMs, spentMs / BROADCAST_SHARE));
    onFlush?.(batch.since);
  };

  return {
    publish(eventId: string, changes: readonly SeatChange[]): void {
      if (changes.length === 0) return;
      let batch = pending.get(eventId);
      if (!batch) {
        batch = { changes: new Map(), since: Date.now() };
        pending.set(eventId, batch);
        if (windowMs === 0) {
          queueMicrotask(() => flush(eventId));
        } else {
          const timer = setTimeout(() => {
            timers.delete(timer);
            flush(eventId);
          }, windowMs);
          timers.add(timer);
        }
      }
      for (const c of changes) {
        const prev = batch.changes.get(c.seatId);
        if (!prev || prev.version < c.version) batch.changes.set(c.seatId, c);
      }
    },
    /** The current coalescing window (ms). */
    windowMs: () => windowMs,
    /** Sends what is pending now (shutdown). */
    flushAll(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const eventId of [...pending.keys()]) flush(eventId);
    },
  };
}

export type SeatChangePublisher = ReturnType<typeof createSeatChangePublisher>;
