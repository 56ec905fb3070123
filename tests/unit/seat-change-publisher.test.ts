import { describe, expect, it } from 'vitest';
import type { SeatChange } from '../../core/contract/pushes.js';
import { rooms } from '../../core/rooms.js';
import { createSeatChangePublisher } from '../../core/seat-change-publisher.js';

const EVENT = '00000000-0000-4000-8000-000000000001';
const seat = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function recordingBroadcaster(costMs = () => 0) {
  const sent: { room: string; changes: SeatChange[] }[] = [];
  return {
    sent,
    to: (room: string) => ({
      emit: (_event: 'seats:changed', payload: { changes: SeatChange[] }) => {
        const until = performance.now() + costMs();
        while (performance.now() < until) {
          // stands for the synchronous work of writing to many sockets
        }
        sent.push({ room, changes: payload.changes });
      },
    }),
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('seat change publisher', () => {
  it('coalesces changes per event into one push carrying the newest version of each seat', async () => {
    const b = recordingBroadcaster();
    const p = createSeatChangePublisher(b, 20);
    p.publish(EVENT, [{ seatId: seat(1), status: 'held', version: 1 }]);
    p.publish(EVENT, [
      { seatId: seat(1), status: 'available', version: 2 },
      { seatId: seat(2), status: 'held', version: 5 },
    ]);
    p.publish(EVENT, [{ seatId: seat(1), status: 'held', version: 1 }]); // stale, arrives late
    await settle(60);
    expect(b.sent).toEqual([
      {
        room: rooms.seats(EVENT),
        changes: [
          { seatId: seat(1), status: 'available', version: 2 },
          { seatId: seat(2), status: 'held', version: 5 },
        ],
      },
    ]);
  });

  it('widens the window after an expensive broadcast and narrows it again when they get cheap', async () => {
    let cost = 30;
    const b = recordingBroadcaster(() => cost);
    const p = createSeatChangePublisher(b, 5);
    expect(p.windowMs()).toBe(5);
    p.publish(EVENT, [{ seatId: seat(1), status: 'held', version: 1 }]);
    await settle(40);
    expect(b.sent).toHaveLength(1);
    expect(p.windowMs()).toBeGreaterThanOrEqual(4 * 30); // broadcasting kept near a quarter of the loop
    cost = 0;
    p.publish(EVENT, [{ seatId: seat(1), status: 'available', version: 2 }]);
    await settle(p.windowMs() + 60);
    expect(b.sent).toHaveLength(2);
    expect(p.windowMs()).toBeLessThan(4 * 30);
  });

  it('sends what is pending at once on flushAll', () => {
    const b = recordingBroadcaster();
    const p = createSeatChangePublisher(b, 10_000);
    p.publish(EVENT, [{ seatId: seat(3), status: 'sold', version: 9 }]);
    p.flushAll();
    expect(b.sent).toHaveLength(1);
  });
});
