import { type CompactSeatView, createCompactSeatView } from '../../core/contract/compact-seat-view.js';
import type { EventlyClient } from '../../core/contract/create-client.js';

/** A v1 subscriber's view: the full map, then `seats:changed` applied by per-seat version. */
export async function followFull(client: EventlyClient, eventId: string) {
  const seats = new Map<string, { status: string; version: number }>();
  client.on('seats:changed', (p) => {
    if (p.eventId !== eventId) return;
    for (const c of p.changes) {
      const old = seats.get(c.seatId);
      if (!old || old.version < c.version) seats.set(c.seatId, { status: c.status, version: c.version });
    }
  });
  const reply = await client.seatsSubscribe({ eventId });
  if (!reply.ok) throw new Error(`subscribe failed: ${JSON.stringify(reply.error)}`);
  for (const s of reply.data.seats) {
    const old = seats.get(s.id);
    if (!old || old.version < s.version) seats.set(s.id, { status: s.status, version: s.version });
  }
  return { statusOf: (seatId: string) => seats.get(seatId)?.status, size: () => seats.size };
}

/**
 * A v1.1 compact subscriber: `seats:delta` applied in seq order; a gap resubscribes (counted).
 * `drop` lets a test lose deltas on purpose, as a client that missed one would.
 */
export async function followCompact(client: EventlyClient, eventId: string, drop: (seq: number) => boolean = () => false) {
  let view: CompactSeatView | null = null;
  let resyncs = 0;
  let resyncing = false;
  const subscribe = async () => {
    const reply = await client.seatsSubscribe({ eventId, format: 'compact' });
    if (!reply.ok) throw new Error(`subscribe failed: ${JSON.stringify(reply.error)}`);
    if (view) view.reset(reply.data);
    else view = createCompactSeatView(reply.data);
  };
  client.on('seats:delta', (d) => {
    if (d.eventId !== eventId || !view || resyncing || drop(d.seq)) return;
    if (view.apply(d) === 'resync') {
      resyncs += 1;
      resyncing = true;
      void subscribe().finally(() => {
        resyncing = false;
      });
    }
  });
  await subscribe();
  return {
    status: () => (view as CompactSeatView).status(),
    seq: () => (view as CompactSeatView).seq(),
    resyncs: () => resyncs,
  };
}
