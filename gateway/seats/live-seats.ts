import { createAdaptiveWindow } from '../../core/adaptive-window.js';
import type { Availability, CompactSeatMap } from '../../core/contract/commands.js';
import type { SeatChange } from '../../core/contract/pushes.js';
import type { Pool } from '../../core/db/pool.js';
import { createEventSeatState, type EventSeatState, SEAT_STATUSES, statusCode } from '../../core/domain/event-seat-state.js';
import type { Logger } from '../../core/log.js';
import type { Metrics } from '../../core/metrics.js';
import { rooms } from '../../core/rooms.js';
import type { SeatChangeMessage } from '../../core/seat-change-publisher.js';
import { buildSeatLayout, type SeatLayoutDocument } from '../../core/use-cases/seats/build-seat-layout.js';
import { findSeatVersions } from '../../core/use-cases/seats/find-seat-versions.js';
import { type EventSeats, loadEventSeats } from '../../core/use-cases/seats/load-event-seats.js';
import { sumSeatVersions } from '../../core/use-cases/seats/sum-seat-versions.js';
import { RawJson } from '../io/raw-json-parser.js';
import type { TypedServer } from '../io/typed-server.js';

export interface LiveSeatsOptions {
  seatPushCoalesceMs: number;
  seatPushMaxCoalesceMs: number;
  availabilityPushMs: number;
  seatRepairIntervalMs: number;
  liveEventIdleMs: number;
  /** Once per event when a batch leaves nothing available or held (this gateway saw it). */
  onSoldOut?: (eventId: string) => void;
}

/** A socket as far as rooms go (join/leave of the in-memory part are synchronous). */
interface RoomMember {
  join(room: string): unknown;
  leave(room: string): unknown;
}

interface LiveEvent {
  eventId: string;
  loaded: Promise<EventSeatState>;
  state: EventSeatState | null;
  layout: SeatLayoutDocument | null;
  seats: EventSeats['seats'];
  soldOut: boolean;
  /** Changes received and not yet applied, newest version per seat. */
  pending: Map<string, SeatChange>;
  oldestPendingMs: number;
  flushTimer: NodeJS.Timeout | null;
  /** When the last batch was pushed (ms): a change after a quiet window goes out at once. */
  lastFlushMs: number;
  /** This gateway's batch number for the event: +1 per applied batch (see docs/seat-state.md). */
  seq: number;
  compact: { seq: number; reply: RawJson } | null;
  full: { seq: number; reply: RawJson } | null;
  availabilityDirty: boolean;
  availabilityLastMs: number;
  availabilityTimer: NodeJS.Timeout | null;
  idleSinceMs: number | null;
}

/**
 * Each gateway's in-memory copy of the seat state of the events its sockets watch (one status
 * byte and one version per seat, see core/domain/event-seat-state.ts), kept current from the
 * seat-change channel. Subscribes in either format and availability summaries are answered from
 * it without touching Postgres; each push is built and serialized once per event and batch for
 * all local subscribers (`io.local`: nothing crosses Redis per push). A repair pass compares
 * the memory with Postgres every few seconds, so a change whose message was lost (the process
 * that committed it died first, Redis dropped it) reaches subscribers within seconds anyway.
 */
export function createLiveSeats(io: TypedServer, pool: Pool, options: LiveSeatsOptions, log: Logger, metrics: Metrics) {
  const events = new Map<string, LiveEvent>();
  const window = createAdaptiveWindow(options.seatPushCoalesceMs, options.seatPushMaxCoalesceMs);
  const roomSize = (room: string) => io.of('/').adapter.rooms.get(room)?.size ?? 0;
  let closed = false;

  const live = (eventId: string): LiveEvent => {
    let ev = events.get(eventId);
    if (ev) return ev;
    const created: LiveEvent = {
      eventId,
      loaded: null as unknown as Promise<EventSeatState>,
      state: null,
      layout: null,
      seats: [],
      soldOut: false,
      pending: new Map(),
      oldestPendingMs: 0,
      flushTimer: null,
      lastFlushMs: 0,
      seq: 0,
      compact: null,
      full: null,
      availabilityDirty: false,
      availabilityLastMs: 0,
      availabilityTimer: null,
      idleSinceMs: null,
    };
    created.loaded = loadEventSeats(pool, eventId).then(
      (seats) => {
        created.layout = buildSeatLayout(seats);
        created.seats = seats.seats;
        created.state = createEventSeatState(seats.sections, seats.seats, seats.statuses, seats.versions);
        const c = created.state.counts();
        created.soldOut = c.available === 0 && c.held === 0;
        // Changes that arrived while loading: the versions decide which of them are news.
        if (created.pending.size > 0) scheduleFlush(created);
        return created.state;
      },
      (err: unknown) => {
        // Nothing cached for a failed load (unknown event, database away): the next caller retries.
        if (events.get(eventId) === created) events.delete(eventId);
        throw err;
      },
    );
    ev = created;
    events.set(eventId, ev);
    return ev;
  };

  /** Loaded, with everything received so far applied (pushed to current subscribers first). */
  const ready = async (eventId: string) => {
    const ev = live(eventId);
    await ev.loaded;
    ev.idleSinceMs = null;
    if (ev.pending.size > 0) {
      if (ev.flushTimer) clearTimeout(ev.flushTimer);
      ev.flushTimer = null;
      flush(ev);
    }
    return ev;
  };

  const receive = (ev: LiveEvent, changes: readonly SeatChange[], committedAtMs: number) => {
    if (ev.pending.size === 0) ev.oldestPendingMs = committedAtMs;
    ev.oldestPendingMs = Math.min(ev.oldestPendingMs, committedAtMs);
    for (const c of changes) {
      const prev = ev.pending.get(c.seatId);
      if (!prev || prev.version < c.version) ev.pending.set(c.seatId, c);
    }
    scheduleFlush(ev);
  };

  /**
   * Leading edge, then coalescing: the first change after a quiet window is pushed on the next
   * turn of the event loop (with whatever else arrived in this one), later ones wait for the end
   * of the window that push opened. One push per window under load, as before; no window's wait
   * for a lone change.
   */
  const scheduleFlush = (ev: LiveEvent) => {
    if (ev.flushTimer || !ev.state || closed) return;
    const wait = Math.max(0, ev.lastFlushMs + window.windowMs() - Date.now());
    ev.flushTimer = setTimeout(() => {
      ev.flushTimer = null;
      flush(ev);
    }, wait);
  };

  /** Applies the pending changes as one batch (one seq) and pushes it to both per-seat tiers. */
  const flush = (ev: LiveEvent) => {
    const state = ev.state;
    if (!state || ev.pending.size === 0) return;
    const batch = [...ev.pending.values()];
    const committedAtMs = ev.oldestPendingMs;
    ev.pending.clear();
    ev.lastFlushMs = Date.now();
    const indexed = [];
    for (const c of batch) {
      const index = state.indexOf(c.seatId);
      if (index !== undefined) indexed.push({ index, status: statusCode(c.status), version: c.version });
    }
    const applied = state.apply(indexed);
    if (applied.length === 0) return;
    const started = performance.now();
    const prevSeq = ev.seq;
    ev.seq += 1;
    const eventId = ev.eventId;
    if (roomSize(rooms.seats(eventId)) > 0) {
      const changes = applied.map((c) => ({
        seatId: state.idAt(c.index),
        status: SEAT_STATUSES[c.status] as SeatChange['status'],
        version: c.version,
      }));
      io.local.to(rooms.seats(eventId)).emit('seats:changed', { eventId, changes });
    }
    if (roomSize(rooms.seatsCompact(eventId)) > 0) {
      const changes = applied.map((c) => [c.index, state.charOf(c.status)] as [number, 'a' | 'h' | 's']);
      io.local.to(rooms.seatsCompact(eventId)).emit('seats:delta', { eventId, seq: ev.seq, prevSeq, changes });
    }
    window.record(performance.now() - started);
    metrics.fanoutLag.observe(Math.max(0, Date.now() - committedAtMs) / 1000);
    ev.availabilityDirty = true;
    scheduleAvailability(ev);
    const counts = state.counts();
    const soldOut = counts.available === 0 && counts.held === 0;
    if (soldOut && !ev.soldOut) options.onSoldOut?.(eventId);
    ev.soldOut = soldOut;
  };

  const availabilityOf = (ev: LiveEvent, state: EventSeatState): Availability => ({
    eventId: ev.eventId,
    at: new Date().toISOString(),
    capacity: state.capacity,
    available: state.counts().available,
    sections: state.sectionAvailability(),
  });

  /** At most one availability push per event and interval, only when something changed. */
  const scheduleAvailability = (ev: LiveEvent) => {
    if (ev.availabilityTimer || closed) return;
    const dueInMs = Math.max(0, ev.availabilityLastMs + options.availabilityPushMs - Date.now());
    ev.availabilityTimer = setTimeout(() => {
      ev.availabilityTimer = null;
      if (!ev.availabilityDirty || !ev.state) return;
      ev.availabilityDirty = false;
      ev.availabilityLastMs = Date.now();
      const room = rooms.availability(ev.eventId);
      if (roomSize(room) > 0) io.local.to(room).emit('availability:changed', availabilityOf(ev, ev.state));
    }, dueInMs);
  };

  const accept = (m: SeatChangeMessage) => {
    const ev = events.get(m?.eventId);
    // A layout rewritten before the sale: the next subscribe or layout request loads it afresh.
    if (ev && m.layoutChanged === true) return drop(ev);
    // Events nobody here watches are not in memory: loading one later reads Postgres anyway.
    if (ev && Array.isArray(m.changes)) receive(ev, m.changes, Number(m.committedAtMs) || Date.now());
  };

  const onMessage = (raw: string) => {
    let m: SeatChangeMessage;
    try {
      m = JSON.parse(raw) as SeatChangeMessage;
    } catch {
      log.warn('malformed seat-change message');
      return;
    }
    accept(m);
  };

  /** Compares one live event with Postgres; queues what memory missed as a normal batch. */
  const repair = async (ev: LiveEvent) => {
    const state = ev.state;
    if (!state) return;
    const total = await sumSeatVersions(pool, ev.eventId);
    if (total === null || total === state.versionSum()) return;
    const rows = await findSeatVersions(pool, ev.eventId);
    const missed = rows.filter((r) => {
      const i = state.indexOf(r.id);
      return i !== undefined && r.version > state.versionAt(i);
    });
    if (missed.length === 0) return;
    metrics.seatRepairs.inc(missed.length);
    log.info({ eventId: ev.eventId, seats: missed.length }, 'seat state repaired from Postgres');
    receive(
      ev,
      missed.map((r) => ({ seatId: r.id, status: r.status, version: r.version })),
      Date.now(),
    );
  };

  const isWatched = (eventId: string) =>
    roomSize(rooms.seats(eventId)) +
      roomSize(rooms.seatsCompact(eventId)) +
      roomSize(rooms.availability(eventId)) +
      roomSize(rooms.queueWaiting(eventId)) >
    0;

  const drop = (ev: LiveEvent) => {
    if (ev.flushTimer) clearTimeout(ev.flushTimer);
    if (ev.availabilityTimer) clearTimeout(ev.availabilityTimer);
    events.delete(ev.eventId);
  };

  let repairing = false;
  const repairTimer = setInterval(() => {
    if (repairing) return;
    repairing = true;
    void (async () => {
      for (const ev of [...events.values()]) {
        if (!ev.state) continue;
        if (!isWatched(ev.eventId)) {
          ev.idleSinceMs ??= Date.now();
          if (Date.now() - ev.idleSinceMs > options.liveEventIdleMs) drop(ev);
          continue;
        }
        ev.idleSinceMs = null;
        await repair(ev).catch((err: unknown) => log.warn({ err, eventId: ev.eventId }, 'seat repair pass failed'));
      }
    })().finally(() => {
      repairing = false;
    });
  }, options.seatRepairIntervalMs);
  repairTimer.unref();

  return {
    onMessage,
    /** Changes this gateway committed itself, before they travel through Redis. */
    receiveLocal: accept,
    /** The full map (also `format:'full'`), serialized once per seq. Joins before answering: no
     * await between joining and reading memory, so no batch can fall in between. */
    async subscribeFull(socket: RoomMember, eventId: string): Promise<RawJson> {
      const ev = await ready(eventId);
      const state = ev.state as EventSeatState;
      void socket.leave(rooms.seatsCompact(eventId));
      void socket.join(rooms.seats(eventId));
      if (ev.full?.seq !== ev.seq) ev.full = { seq: ev.seq, reply: new RawJson(fullMapJson(ev, state)) };
      return ev.full.reply;
    },
    async subscribeCompact(socket: RoomMember, eventId: string): Promise<RawJson> {
      const ev = await ready(eventId);
      const state = ev.state as EventSeatState;
      void socket.leave(rooms.seats(eventId));
      void socket.join(rooms.seatsCompact(eventId));
      if (ev.compact?.seq !== ev.seq) {
        const reply: CompactSeatMap = { eventId, format: 'compact', seq: ev.seq, status: state.compactStatus() };
        ev.compact = { seq: ev.seq, reply: new RawJson(JSON.stringify(reply)) };
      }
      return ev.compact.reply;
    },
    async subscribeAvailability(socket: RoomMember, eventId: string): Promise<Availability> {
      const ev = await ready(eventId);
      void socket.join(rooms.availability(eventId));
      return availabilityOf(ev, ev.state as EventSeatState);
    },
    async layout(eventId: string): Promise<SeatLayoutDocument> {
      const ev = await ready(eventId);
      return ev.layout as SeatLayoutDocument;
    },
    /** Seats left to sell (available or held); loads the event once. */
    async seatsLeft(eventId: string): Promise<number> {
      const ev = await ready(eventId);
      const c = (ev.state as EventSeatState).counts();
      return c.available + c.held;
    },
    /** For tests and metrics: this gateway's seq of an event (-1 when not in memory). */
    seqOf: (eventId: string) => events.get(eventId)?.seq ?? -1,
    close(): void {
      closed = true;
      clearInterval(repairTimer);
      for (const ev of [...events.values()]) {
        flush(ev);
        drop(ev);
      }
    },
  };
}

function fullMapJson(ev: LiveEvent, state: EventSeatState): string {
  const seats = ev.seats.map((s, i) => ({
    id: s.id,
    section: s.section,
    row: s.row,
    number: s.number,
    priceCents: s.priceCents,
    status: SEAT_STATUSES[state.statusAt(i)],
    version: state.versionAt(i),
  }));
  return JSON.stringify({ eventId: ev.eventId, seq: ev.seq, seats });
}

export type LiveSeats = ReturnType<typeof createLiveSeats>;
