import { describe, expect, it } from 'vitest';
import {
  AVAILABLE,
  HELD,
  type LayoutWire,
  layoutFromFullSeats,
  layoutFromWire,
  SeatMapStore,
  SOLD,
} from '../../gateway/web/src/live/seat-map-store.js';

const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function wire(): LayoutWire {
  const seats = [];
  for (let i = 0; i < 6; i++)
    seats.push({
      id: id(i),
      index: i,
      section: i < 4 ? 'A' : 'B',
      row: 1 + Math.floor((i % 4) / 2),
      number: 1 + (i % 2),
      priceCents: 100,
    });
  return {
    eventId: id(99),
    layoutVersion: 1,
    sections: [
      { id: id(100), name: 'B', priceCents: 100, position: 1 },
      { id: id(101), name: 'A', priceCents: 100, position: 0 },
    ],
    seats,
  };
}

describe('seat map store', () => {
  it('applies deltas by seq: in order, stale ones ignored, a gap reported without touching the state', () => {
    const store = new SeatMapStore(layoutFromWire(wire()));
    const seen: (number[] | 'all')[] = [];
    store.onChange((c) => seen.push(c));
    expect(store.applyDelta({ eventId: id(99), seq: 1, prevSeq: 0, changes: [[0, 'h']] })).toBe('stale'); // not loaded yet
    store.loadCompact(7, 'aahsaa');
    expect([...store.status]).toEqual([AVAILABLE, AVAILABLE, HELD, SOLD, AVAILABLE, AVAILABLE]);
    expect(
      store.applyDelta({
        eventId: id(99),
        seq: 8,
        prevSeq: 7,
        changes: [
          [0, 'h'],
          [2, 'a'],
        ],
      }),
    ).toBe('applied');
    expect(store.applyDelta({ eventId: id(99), seq: 8, prevSeq: 7, changes: [[0, 'a']] })).toBe('stale');
    expect(store.applyDelta({ eventId: id(99), seq: 6, prevSeq: 5, changes: [[1, 's']] })).toBe('stale');
    expect(store.applyDelta({ eventId: id(99), seq: 10, prevSeq: 9, changes: [[5, 's']] })).toBe('gap');
    expect([...store.status]).toEqual([HELD, AVAILABLE, AVAILABLE, SOLD, AVAILABLE, AVAILABLE]);
    expect(store.seq).toBe(8);
    expect(seen).toEqual(['all', [0, 2]]);
    expect(store.counts()).toEqual({ available: 4, held: 1, sold: 1 });
    // Out-of-range indices from a hostile or newer server are ignored, not written past the array.
    expect(
      store.applyDelta({
        eventId: id(99),
        seq: 9,
        prevSeq: 8,
        changes: [
          [6, 's'],
          [-1, 's'],
        ],
      }),
    ).toBe('applied');
    expect(store.counts()).toEqual({ available: 4, held: 1, sold: 1 });
  });

  it('orders sections by position and indexes seats by id', () => {
    const layout = layoutFromWire(wire());
    expect(layout.sections.map((s) => [s.name, s.rows, s.cols])).toEqual([
      ['A', 2, 2],
      ['B', 1, 2],
    ]);
    expect(layout.indexOf.get(id(5))).toBe(5);
    expect(layout.sections[layout.sectionOf[4]!]!.name).toBe('B');
  });

  it('v1 full maps: versions decide, older pushes lose, and the layout is built in seating order', () => {
    const seats = [
      { id: id(2), section: 'B', row: 1, number: 1, priceCents: 5, status: 'available', version: 3 },
      { id: id(1), section: 'A', row: 2, number: 1, priceCents: 9, status: 'sold', version: 2 },
      { id: id(0), section: 'A', row: 1, number: 1, priceCents: 9, status: 'held', version: 1 },
    ];
    const layout = layoutFromFullSeats(id(99), ['A', 'B'], seats);
    expect(layout.ids).toEqual([id(0), id(1), id(2)]);
    const store = new SeatMapStore(layout);
    // A push that raced the snapshot arrives first: the snapshot must not undo it.
    expect(store.applyChanged({ eventId: id(99), changes: [{ seatId: id(2), status: 'held', version: 4 }] })).toEqual([2]);
    store.loadFull(seats);
    expect([...store.status]).toEqual([HELD, SOLD, HELD]);
    expect(store.applyChanged({ eventId: id(99), changes: [{ seatId: id(0), status: 'available', version: 1 }] })).toEqual([]);
    expect(store.applyChanged({ eventId: id(99), changes: [{ seatId: id(0), status: 'available', version: 2 }] })).toEqual([0]);
    expect(store.applyChanged({ eventId: id(99), changes: [{ seatId: id(42), status: 'sold', version: 9 }] })).toEqual([]);
    expect(store.seq).toBeNull();
  });
});
