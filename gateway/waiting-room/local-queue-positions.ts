import type { PushPayload } from '../../core/contract/pushes.js';
import type { Pool } from '../../core/db/pool.js';
import { isPositionNews, type PositionView, positionRefreshMs } from '../../core/domain/admission-policy.js';
import { eachInSlices } from '../../core/each-in-slices.js';
import type { Logger } from '../../core/log.js';
import type { Redis } from '../../core/redis/connect-redis.js';
import type { Keys } from '../../core/redis/keys.js';
import { rooms } from '../../core/rooms.js';
import { loadAdmissionControl } from '../../core/use-cases/waiting-room/load-admission-control.js';
import { readQueuePlaces } from '../../core/use-cases/waiting-room/read-queue-places.js';
import type { UserSocket } from '../io/typed-server.js';

interface Waiter {
  sockets: Set<UserSocket>;
  /** The last position sent: pushes go out only when it is news (isPositionNews). */
  last: PositionView | null;
  /** When this user's place is read again (positionRefreshMs of the last place read). */
  dueMs: number;
}

/** Waiting users whose place a pass handles before it lets the event loop serve other I/O. */
const EMIT_SLICE = 200;

/** What of an event's waiting-room settings changes every waiting user's place at once. */
const controlMark = (c: { paused: boolean; saleStartsAtMs: number; cancelled: boolean }) =>
  `${c.paused}:${c.saleStartsAtMs}:${c.cancelled}`;

/**
 * `queue:position` computed by each gateway for its own waiting sockets: once per interval and
 * event, one pipelined batch of rank reads for the users whose place is due (positionRefreshMs:
 * every pass near the front, up to every 15 s far back), then a local emit to each socket whose
 * place changed. No pub/sub message per user (the old worker pass sent one per user per second
 * through Redis, received by every gateway), and far fewer reads and socket writes than one
 * per waiting socket per second, which at 20,000 waiting users took a quarter of each
 * gateway's CPU. A pause, a resume or a new sale start makes every place due at once. Sockets
 * also sit in the event's waiting room so `queue:state` reaches them.
 */
export function createLocalQueuePositions(deps: {
  pool: Pool;
  redis: Redis;
  keys: Keys;
  intervalMs: number;
  log: Logger;
  now: () => Date;
}) {
  const waiting = new Map<string, Map<string, Waiter>>();
  const socketEvents = new WeakMap<UserSocket, Set<string>>();
  /** Per event, the settings seen by the last pass (controlMark). */
  const lastControl = new Map<string, string>();

  const untrack = (socket: UserSocket, eventId: string) => {
    const users = waiting.get(eventId);
    const userId = socket.data.principal?.userId;
    const w = userId ? users?.get(userId) : undefined;
    if (w && userId) {
      w.sockets.delete(socket);
      if (w.sockets.size === 0) users?.delete(userId);
      if (users?.size === 0) {
        waiting.delete(eventId);
        lastControl.delete(eventId);
      }
    }
    socketEvents.get(socket)?.delete(eventId);
    void socket.leave(rooms.queueWaiting(eventId));
  };

  const pass = async (eventId: string, users: Map<string, Waiter>) => {
    const control = await loadAdmissionControl(deps, eventId);
    const nowMs = deps.now().getTime();
    const mark = controlMark(control);
    const everyone = lastControl.get(eventId) !== mark;
    lastControl.set(eventId, mark);
    const due = [...users].filter(([, w]) => everyone || w.dueMs <= nowMs).map(([userId]) => userId);
    if (due.length === 0) return;
    const places = await readQueuePlaces(deps, control, due, nowMs);
    // In slices: one pass may write to thousands of sockets; as one synchronous loop it ran up to
    // ~150 ms in the 20,000-client sale, and every reply that arrived meanwhile (a hold's) waited.
    await eachInSlices(places, EMIT_SLICE, ([userId, place]) => {
      const w = users.get(userId);
      if (!w) return;
      if (!place) {
        // Admitted (queue:admitted tells them) or gone: no more positions for this user.
        for (const s of [...w.sockets]) untrack(s, eventId);
        return;
      }
      const payload: PushPayload<'queue:position'> = {
        eventId,
        position: place.position,
        ahead: place.ahead,
        etaSeconds: place.etaSeconds,
        ...(place.paused ? { paused: true } : {}),
      };
      w.dueMs = nowMs + positionRefreshMs(payload, deps.intervalMs);
      if (!isPositionNews(w.last, payload)) return;
      w.last = payload;
      for (const s of w.sockets) s.emit('queue:position', payload);
    });
  };

  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.all(
      [...waiting].map(([eventId, users]) =>
        pass(eventId, users).catch((err: unknown) => deps.log.warn({ err, eventId }, 'queue position pass failed')),
      ),
    ).finally(() => {
      running = false;
    });
  }, deps.intervalMs);
  timer.unref();

  return {
    /** A socket whose user waits in the event's room (after a waiting join/status reply). */
    track(socket: UserSocket, eventId: string, first: PositionView): void {
      const userId = socket.data.principal?.userId;
      if (!userId) return;
      let users = waiting.get(eventId);
      if (!users) {
        users = new Map();
        waiting.set(eventId, users);
      }
      let w = users.get(userId);
      if (!w) {
        w = { sockets: new Set(), last: first, dueMs: deps.now().getTime() + positionRefreshMs(first, deps.intervalMs) };
        users.set(userId, w);
      }
      w.sockets.add(socket);
      let events = socketEvents.get(socket);
      if (!events) {
        events = new Set();
        socketEvents.set(socket, events);
      }
      events.add(eventId);
      void socket.join(rooms.queueWaiting(eventId));
    },
    untrack,
    /** On disconnect: forget every room this socket waited in. */
    forget(socket: UserSocket): void {
      for (const eventId of [...(socketEvents.get(socket) ?? [])]) untrack(socket, eventId);
    },
    /** Waiting sockets tracked here (metrics, tests). */
    size: () => [...waiting.values()].reduce((n, users) => n + users.size, 0),
    close(): void {
      clearInterval(timer);
      waiting.clear();
    },
  };
}

export type LocalQueuePositions = ReturnType<typeof createLocalQueuePositions>;
