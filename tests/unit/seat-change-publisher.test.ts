import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdaptiveWindow } from '../../core/adaptive-window.js';
import type { SeatChangeMessage } from '../../core/seat-change-publisher.js';
import { createSeatChangePublisher } from '../../core/seat-change-publisher.js';

const EVENT = '00000000-0000-4000-8000-000000000001';
const seat = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function recordingChannel() {
  const sent: SeatChangeMessage[] = [];
  return { sent, send: (m: string) => sent.push(JSON.parse(m) as SeatChangeMessage) };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('seat change publisher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once, then coalesces the window into one message carrying the newest version of each seat', () => {
    // Fake timers: on a busy machine a real 20 ms window can fire after the test's own wait and
    // reopen, so "the next change goes out at once" would depend on the scheduler.
    vi.useFakeTimers();
    const c = recordingChannel();
    const p = createSeatChangePublisher(c.send, 20);
    p.publish(EVENT, [{ seatId: seat(1), status: 'held', version: 1 }]);
    // Handed over before publish returns, i.e. before the command's ack goes out.
    expect(c.sent).toEqual([
      { eventId: EVENT, changes: [{ seatId: seat(1), status: 'held', version: 1 }], committedAtMs: expect.any(Number) },
    ]);
    p.publish(EVENT, [
      { seatId: seat(1), status: 'available', version: 2 },
      { seatId: seat(2), status: 'held', version: 5 },
    ]);
    p.publish(EVENT, [{ seatId: seat(1), status: 'held', version: 1 }]); // stale, arrives late
    expect(c.sent).toHaveLength(1);
    vi.advanceTimersByTime(60);
    expect(c.sent).toHaveLength(2);
    expect(c.sent[1]?.eventId).toBe(EVENT);
    expect(c.sent[1]?.changes).toEqual([
      { seatId: seat(1), status: 'available', version: 2 },
      { seatId: seat(2), status: 'held', version: 5 },
    ]);
    expect(c.sent[1]?.committedAtMs).toBeLessThanOrEqual(Date.now());
    // A quiet window closes: the next change goes out at once again.
    p.publish(EVENT, [{ seatId: seat(3), status: 'sold', version: 1 }]);
    expect(c.sent).toHaveLength(3);
  });

  it('sends what is pending at once on flushAll', () => {
    const c = recordingChannel();
    const p = createSeatChangePublisher(c.send, 10_000);
    p.publish(EVENT, [{ seatId: seat(3), status: 'held', version: 8 }]); // leading edge: sent at once
    p.publish(EVENT, [{ seatId: seat(3), status: 'sold', version: 9 }]); // waits for the window
    expect(c.sent).toHaveLength(1);
    p.flushAll();
    expect(c.sent).toHaveLength(2);
    expect(c.sent[1]?.changes).toEqual([{ seatId: seat(3), status: 'sold', version: 9 }]);
  });

  it('reports a failed send instead of throwing into the command that committed', async () => {
    const errors: unknown[] = [];
    const p = createSeatChangePublisher(() => Promise.reject(new Error('redis away')), 0, {
      onError: (e) => errors.push(e),
    });
    p.publish(EVENT, [{ seatId: seat(3), status: 'sold', version: 9 }]);
    await settle(10);
    expect(errors).toHaveLength(1);
  });
});

describe('adaptive fan-out window', () => {
  it('widens after an expensive broadcast, capped, and narrows again when they get cheap', () => {
    const w = createAdaptiveWindow(5, 100);
    expect(w.windowMs()).toBe(5);
    w.record(10);
    expect(w.windowMs()).toBe(40); // broadcasting kept near a quarter of the loop
    w.record(500);
    expect(w.windowMs()).toBe(100);
    w.record(0);
    expect(w.windowMs()).toBe(5);
  });
});
