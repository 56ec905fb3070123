import type { Ack } from '../../../../core/contract/ack.js';
import type { EventlyClient } from '../../../../core/contract/create-client.js';
import {
  type ChangedPush,
  type DeltaPush,
  type FullSeat,
  type LayoutWire,
  layoutFromFullSeats,
  layoutFromWire,
  SeatMapStore,
} from './seat-map-store.js';

type CompactReply = { eventId: string; format: 'compact'; seq: number; status: string };
type FullReply = { eventId: string; format?: 'full'; seats: FullSeat[] };

export interface SeatMapSyncStats {
  mode: 'compact' | 'full' | null;
  subscribes: number;
  gaps: number;
  /** performance.now() of each step of the first load, for the timing report. */
  startedAt: number;
  loadedAt: number | null;
}

export interface SeatMapSync {
  stats: SeatMapSyncStats;
  close(): void;
}

export interface SeatMapSyncOptions {
  client: EventlyClient;
  eventId: string;
  sectionOrder: string[];
  connectedHook: (listener: () => void) => () => void;
  fetchLayout: (eventId: string) => Promise<LayoutWire>;
  onStore: (store: SeatMapStore) => void;
  onError: (error: unknown) => void;
  /** Called with each delta's receive time once applied (the repaint measurement starts here). */
  onDelta?: (receivedAt: number, changed: number) => void;
}

/**
 * Keeps a SeatMapStore in step with the server. Speaks the compact format (compact snapshot + `seats:delta`
 * by `seq`, resubscribing on a gap) and falls back to the full one (`seats:changed` with versions) when the
 * server does not know the compact format. Resubscribes on every reconnect: the new socket has
 * missed whatever happened while it was away.
 */
export function syncSeatMap(o: SeatMapSyncOptions): SeatMapSync {
  const socket = o.client.socket;
  const stats: SeatMapSyncStats = { mode: null, subscribes: 0, gaps: 0, startedAt: performance.now(), loadedAt: null };
  let store: SeatMapStore | null = null;
  let layoutWire: LayoutWire | null = null;
  let closed = false;
  let subscribing: Promise<void> | null = null;
  let again = false;
  // Pushes that arrive while a (re)subscribe is under way are kept and replayed after its reply.
  let buffered: (DeltaPush | ChangedPush)[] = [];

  const send = <T>(name: string, payload: unknown) => o.client.send(name, payload) as Promise<Ack<T>>;

  async function subscribeOnce() {
    stats.subscribes += 1;
    const compact = await send<CompactReply | FullReply>('seats:subscribe', { eventId: o.eventId, format: 'compact' });
    if (compact.ok && compact.data.format === 'compact') {
      const reply = compact.data as CompactReply;
      layoutWire ??= await o.fetchLayout(o.eventId);
      if (!store) store = new SeatMapStore(layoutFromWire(layoutWire));
      stats.mode = 'compact';
      store.loadCompact(reply.seq, reply.status);
      return;
    }
    // A v1 server refuses the unknown `format` (VALIDATION_FAILED): ask for the full map.
    if (!compact.ok && compact.error.code !== 'VALIDATION_FAILED') throw new Error(compact.error.message);
    const full = compact.ok ? compact : await send<FullReply>('seats:subscribe', { eventId: o.eventId });
    if (!full.ok) throw new Error(full.error.message);
    const seats = (full.data as FullReply).seats;
    if (!store) store = new SeatMapStore(layoutFromFullSeats(o.eventId, o.sectionOrder, seats));
    stats.mode = 'full';
    store.loadFull(seats);
  }

  function replay() {
    const pending = buffered;
    buffered = [];
    for (const p of pending) if (!apply(p, performance.now())) return;
  }

  /** False when a gap was found (a resubscribe is now under way). */
  function apply(p: DeltaPush | ChangedPush, receivedAt: number): boolean {
    if (!store || subscribing) {
      buffered.push(p);
      return true;
    }
    if ('seq' in p) {
      const outcome = store.applyDelta(p);
      if (outcome === 'gap') {
        stats.gaps += 1;
        resubscribe();
        return false;
      }
      if (outcome === 'applied') o.onDelta?.(receivedAt, p.changes.length);
    } else if (store.applyChanged(p).length > 0) o.onDelta?.(receivedAt, p.changes.length);
    return true;
  }

  function resubscribe() {
    if (closed) return;
    if (subscribing) {
      again = true;
      return;
    }
    buffered = [];
    subscribing = (async () => {
      try {
        do {
          again = false;
          await subscribeOnce();
        } while (again && !closed);
        if (stats.loadedAt === null) stats.loadedAt = performance.now();
        if (store) o.onStore(store);
      } catch (err) {
        o.onError(err);
      } finally {
        subscribing = null;
      }
      replay();
    })();
  }

  const onDelta = (p: DeltaPush) => p.eventId === o.eventId && apply(p, performance.now());
  const onChanged = (p: ChangedPush) => p.eventId === o.eventId && apply(p, performance.now());
  socket.on('seats:delta', onDelta);
  socket.on('seats:changed', onChanged);
  const offConnected = o.connectedHook(resubscribe);

  return {
    stats,
    close() {
      closed = true;
      offConnected();
      socket.off('seats:delta', onDelta);
      socket.off('seats:changed', onChanged);
      if (socket.connected) send('seats:unsubscribe', { eventId: o.eventId }).catch(() => {});
    },
  };
}
