import type { SeatChange } from './contract/pushes.js';
import { rooms } from './rooms.js';

interface Broadcaster {
  to(room: string): { emit(event: 'seats:changed', payload: { eventId: string; changes: SeatChange[] }): unknown };
}

/**
 * Publishes seat changes after commit, coalesced per event over `coalesceMs` into one
 * `seats:changed` push (later versions of the same seat replace earlier ones in a batch).
 * Through the Redis adapter (gateway) or the socket emitter (worker) it reaches every instance.
 */
export function createSeatChangePublisher(
  broadcaster: Broadcaster,
  coalesceMs: number,
  onFlush?: (oldestCommitMs: number) => void,
) {
  const pending = new Map<string, { changes: Map<string, SeatChange>; since: number }>();
  const timers = new Set<NodeJS.Timeout>();

  const flush = (eventId: string) => {
    const batch = pending.get(eventId);
    if (!batch) return;
    pending.delete(eventId);
    broadcaster.to(rooms.seats(eventId)).emit('seats:changed', { eventId, changes: [...batch.changes.values()] });
    onFlush?.(batch.since);
  };

  return {
    publish(eventId: string, changes: readonly SeatChange[]): void {
      if (changes.length === 0) return;
      let batch = pending.get(eventId);
      if (!batch) {
        batch = { changes: new Map(), since: Date.now() };
        pending.set(eventId, batch);
        if (coalesceMs === 0) {
          queueMicrotask(() => flush(eventId));
        } else {
          const timer = setTimeout(() => {
            timers.delete(timer);
            flush(eventId);
          }, coalesceMs);
          timers.add(timer);
        }
      }
      for (const c of changes) {
        const prev = batch.changes.get(c.seatId);
        if (!prev || prev.version < c.version) batch.changes.set(c.seatId, c);
      }
    },
    /** Sends what is pending now (shutdown). */
    flushAll(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const eventId of [...pending.keys()]) flush(eventId);
    },
  };
}

export type SeatChangePublisher = ReturnType<typeof createSeatChangePublisher>;
