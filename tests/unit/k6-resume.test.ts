import { describe, expect, it } from 'vitest';
import { nextStep, shopBaseUrl } from '../../load-tests/k6/lib/resume.js';

const E = 'ev-1';
const empty = { at: '2026-12-07T10:00:00Z', holds: [], waitlists: [], queues: [] };

/** After a reconnect the scripts ask `me:state` (PROTOCOL v1.2) and carry on from it. */
describe('k6 resume from me:state', () => {
  it('pays for a hold first, then shops with an admission, then waits where it was', () => {
    const hold = { holdId: 'h1', eventId: E, seats: [], totalCents: 5000, expiresAt: 'x', origin: 'buyer' };
    const admitted = { eventId: E, state: 'admitted', admissionToken: 't', expiresAt: 'x', shopUrl: 'https://shop.example.com' };
    expect(nextStep({ ...empty, holds: [hold], queues: [admitted] }, E)).toEqual({ step: 'pay', hold });
    expect(nextStep({ ...empty, queues: [admitted] }, E)).toEqual({ step: 'shop', admission: admitted });
    expect(nextStep({ ...empty, queues: [{ eventId: E, state: 'waiting', position: 3 }] }, E)).toEqual({
      step: 'wait-admission',
    });
    expect(nextStep({ ...empty, waitlists: [{ eventId: E, position: 1, quantity: 2 }] }, E)).toEqual({ step: 'wait-offer' });
    expect(nextStep(empty, E)).toEqual({ step: 'join' });
  });

  it('looks only at this event, and joins when there is no state (older server, failed me:state)', () => {
    const other = {
      holds: [{ holdId: 'h9', eventId: 'other', seats: [] }],
      queues: [{ eventId: 'other', state: 'admitted', admissionToken: 't' }],
      waitlists: [],
    };
    expect(nextStep(other, E)).toEqual({ step: 'join' });
    expect(nextStep(undefined, E)).toEqual({ step: 'join' });
    expect(nextStep({ holds: 'x', queues: null }, E)).toEqual({ step: 'join' });
    expect(nextStep({ ...empty, queues: [{ eventId: E, state: 'admitted' }] }, E)).toEqual({ step: 'join' });
  });

  it('shops where the admission says (shopUrl), else stays', () => {
    const base = 'http://queue.example.com:3000';
    expect(shopBaseUrl(base, undefined)).toBe(base);
    expect(shopBaseUrl(`${base}/`, '')).toBe(base);
    expect(shopBaseUrl(base, 'https://shop.example.com/')).toBe('https://shop.example.com');
    expect(shopBaseUrl(base, 'wss://shop.example.com')).toBe('https://shop.example.com');
    expect(shopBaseUrl(base, 'ws://10.0.0.5:3001')).toBe('http://10.0.0.5:3001');
    expect(shopBaseUrl(base, '/shop')).toBe('http://queue.example.com:3000/shop');
    for (const odd of ['//evil.example.com', 'javascript:alert(1)', 'shop', 42, 'ftp://x'])
      expect(shopBaseUrl(base, odd)).toBe(base);
  });
});
