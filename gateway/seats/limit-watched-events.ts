import type { Config } from '../../core/config.js';
import { AppError } from '../../core/domain/app-error.js';
import { rooms } from '../../core/rooms.js';

/** A socket as far as the events it watches go. */
interface Watcher {
  readonly connected: boolean;
  readonly rooms: ReadonlySet<string>;
  data: { principal: unknown };
  leave(room: string): unknown;
}

/** The rooms that keep an event in a gateway's memory: its availability and its seat map. */
const WATCH_ROOMS = [rooms.availability, rooms.seats, rooms.seatsCompact] as const;
const PREFIXES = WATCH_ROOMS.map((room) => room(''));
const eventOfRoom = (room: string): string | null => {
  const prefix = PREFIXES.find((p) => room.startsWith(p));
  return prefix ? room.slice(prefix.length) : null;
};
const watches = (w: Watcher, eventId: string) => WATCH_ROOMS.some((room) => w.rooms.has(room(eventId)));

/** Anonymous watchers are recounted at most this often when the gateway is at its bound. */
const RECOUNT_MS = 1000;
const RETRY_AFTER_MS = 5000;

/**
 * Bounds what `availability:subscribe` and `seats:subscribe` can pin in a gateway's memory and
 * its seat repair pass:
 * - per socket: at most `eventsPerSocket` events; one more ends the subscriptions of the oldest
 *   (a catalog that pages on keeps the events it shows now);
 * - anonymous sockets together: at most `anonymousEvents` distinct events; an anonymous
 *   subscribe to one more is refused OVERLOADED (retryable), signed-in users are not.
 */
export function limitWatchedEvents(limits: Config['watchLimits']) {
  /** Events anonymous sockets subscribed to here, with those sockets (pruned lazily). */
  const anonymous = new Map<string, Set<Watcher>>();
  let recountedAtMs = 0;
  const recount = () => {
    recountedAtMs = Date.now();
    for (const [eventId, watchers] of anonymous) {
      for (const w of watchers) if (!w.connected || !watches(w, eventId)) watchers.delete(w);
      if (watchers.size === 0) anonymous.delete(eventId);
    }
  };
  return {
    /** Before a socket joins one of an event's watch rooms: makes room for it, or refuses. */
    admit(socket: Watcher, eventId: string): void {
      if (watches(socket, eventId)) return;
      if (!socket.data.principal && !anonymous.has(eventId)) {
        if (anonymous.size >= limits.anonymousEvents && Date.now() - recountedAtMs >= RECOUNT_MS) recount();
        if (anonymous.size >= limits.anonymousEvents)
          throw new AppError(
            'OVERLOADED',
            `this server watches as many events for visitors as it may (${limits.anonymousEvents}): sign in, or try again later`,
            { retryAfterMs: RETRY_AFTER_MS },
          );
      }
      // Set order is join order: the first events are the oldest subscriptions.
      const watched = [...new Set([...socket.rooms].map(eventOfRoom).filter((e): e is string => e !== null))];
      for (const old of watched.slice(0, Math.max(0, watched.length - limits.eventsPerSocket + 1))) {
        for (const room of WATCH_ROOMS) void socket.leave(room(old));
      }
    },
    /** After the subscribe succeeded (an unknown event id pins nothing and counts nothing). */
    watching(socket: Watcher, eventId: string): void {
      if (socket.data.principal) return;
      const watchers = anonymous.get(eventId) ?? new Set<Watcher>();
      anonymous.set(eventId, watchers);
      watchers.add(socket);
    },
    /** For tests and metrics: distinct events anonymous sockets are counted as watching. */
    anonymousEvents: () => anonymous.size,
  };
}

export type WatchedEventLimits = ReturnType<typeof limitWatchedEvents>;
