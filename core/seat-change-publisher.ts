import type { SeatChange } from './contract/pushes.js';

/** What travels on the seat-change channel: committed changes of one event. */
export interface SeatChangeMessage {
  eventId: string;
  changes: SeatChange[];
  /** When the oldest change of the batch was handed over after its commit (fan-out lag). */
  committedAtMs: number;
  /** The event's sections, prices or seats were rewritten before its sale: drop any cached copy. */
  layoutChanged?: boolean;
}

export interface SeatChangePublisherOptions {
  /** Test hook (TEST_EXIT_AFTER_COMMIT): die between a commit and its publish, the failure the
   * gateways' repair pass must cover. Never set in production. */
  exitAfterCommit?: boolean;
  onError?: (err: unknown) => void;
  /** After a message left, with the batch's oldest commit time (ms). */
  onFlush?: (committedAtMs: number) => void;
}

/**
 * Publishes seat changes after commit, coalesced per event for `coalesceMs` (later versions of
 * the same seat replace earlier ones in a batch), as one message on the seat-change channel.
 * The first change after a quiet window goes out at once (leading edge), before the command's
 * ack is sent: a process killed right after acknowledging a lone change has already handed it
 * to Redis, so a client that resubscribes through another gateway sees it. Changes that follow
 * within the window are coalesced into one message at its end, and the window stays open while
 * changes keep coming (one message per window under load, as before).
 * Every gateway applies the message to its in-memory copy of the event and pushes to its own
 * subscribers (gateway/seats/live-seats.ts): one Redis message per batch whatever the number
 * of subscribers. A lost message (publisher died, Redis away) is repaired by the gateways'
 * periodic comparison with Postgres, so publishing is best effort and never fails a command.
 */
export function createSeatChangePublisher(
  send: (message: string) => unknown,
  coalesceMs: number,
  options: SeatChangePublisherOptions = {},
) {
  const pending = new Map<string, { changes: Map<string, SeatChange>; since: number }>();
  const timers = new Set<NodeJS.Timeout>();
  /** Events inside a coalescing window: their changes wait for its end. */
  const windowOpen = new Set<string>();

  const openWindow = (eventId: string) => {
    windowOpen.add(eventId);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (pending.has(eventId)) {
        flush(eventId);
        openWindow(eventId);
      } else {
        windowOpen.delete(eventId);
      }
    }, coalesceMs);
    timers.add(timer);
  };

  /** Best effort: settles once Redis took the message or it failed (onError), never rejects. */
  const sendMessage = async (message: SeatChangeMessage): Promise<void> => {
    try {
      await send(JSON.stringify(message));
    } catch (err) {
      options.onError?.(err);
    }
  };

  const flush = (eventId: string) => {
    const batch = pending.get(eventId);
    if (!batch) return;
    pending.delete(eventId);
    void sendMessage({ eventId, changes: [...batch.changes.values()], committedAtMs: batch.since });
    options.onFlush?.(batch.since);
  };

  return {
    publish(eventId: string, changes: readonly SeatChange[]): void {
      if (changes.length === 0) return;
      if (options.exitAfterCommit) process.exit(70);
      let batch = pending.get(eventId);
      if (!batch) {
        batch = { changes: new Map(), since: Date.now() };
        pending.set(eventId, batch);
        if (coalesceMs === 0) queueMicrotask(() => flush(eventId));
      }
      for (const c of changes) {
        const prev = batch.changes.get(c.seatId);
        if (!prev || prev.version < c.version) batch.changes.set(c.seatId, c);
      }
      if (coalesceMs > 0 && !windowOpen.has(eventId)) {
        flush(eventId);
        openWindow(eventId);
      }
    },
    /** The event's sections, prices or seats were rewritten (before its sale): every gateway,
     * this one too through its subscription, drops its cached layout and seat state. At once. */
    layoutChanged(eventId: string): Promise<void> {
      return sendMessage({ eventId, changes: [], committedAtMs: Date.now(), layoutChanged: true });
    },
    /** Sends what is pending now (shutdown). */
    flushAll(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      windowOpen.clear();
      for (const eventId of [...pending.keys()]) flush(eventId);
    },
  };
}

export type SeatChangePublisher = ReturnType<typeof createSeatChangePublisher>;
