import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminCommands, commands } from '../../core/contract/commands.js';
import { errorCodes } from '../../core/contract/error-codes.js';
import { adminPushes, pushes } from '../../core/contract/pushes.js';
import * as k6 from '../../load-tests/k6/lib/contract.js';
import { parseDurationMs } from '../../load-tests/k6/lib/duration.js';

/** The k6 scripts cannot import zod: their copy of the contract must match it exactly. */
describe('k6 contract constants', () => {
  it('names every command, push and error code of core/contract and no others', () => {
    expect([...k6.COMMANDS].sort()).toEqual(Object.keys(commands).sort());
    expect([...k6.ADMIN_COMMANDS].sort()).toEqual(Object.keys(adminCommands).sort());
    expect([...k6.PUSHES].sort()).toEqual(Object.keys(pushes).sort());
    expect([...k6.ADMIN_PUSHES].sort()).toEqual(Object.keys(adminPushes).sort());
    expect([...k6.ERROR_CODES].sort()).toEqual([...errorCodes].sort());
  });

  it('expects only real error codes of real commands', () => {
    for (const [command, codes] of Object.entries(k6.EXPECTED_ERRORS)) {
      expect(k6.COMMANDS).toContain(command);
      for (const code of codes) expect(k6.ERROR_CODES).toContain(code);
    }
    expect(k6.isExpectedError('seats:hold', 'SOLD_OUT')).toBe(true);
    expect(k6.isExpectedError('hold:confirm', 'SOLD_OUT')).toBe(false);
  });

  it('builds payloads the contract accepts', () => {
    const eventId = randomUUID();
    const valid: [keyof typeof commands, unknown][] = [
      ['seats:subscribe', k6.payloads.eventOnly(eventId)],
      ['seats:subscribe', k6.payloads.subscribeCompact(eventId)],
      ['availability:subscribe', k6.payloads.eventOnly(eventId)],
      ['queue:join', k6.payloads.eventOnly(eventId)],
      ['queue:leave', k6.payloads.eventOnly(eventId)],
      ['seats:hold', k6.payloads.holdBestAvailable({ eventId, admissionToken: 't', idempotencyKey: randomUUID(), quantity: 3 })],
      [
        'seats:hold',
        k6.payloads.holdBestAvailable({ eventId, admissionToken: 't', idempotencyKey: randomUUID(), quantity: 1, section: 'A' }),
      ],
      ['hold:confirm', k6.payloads.confirm(randomUUID(), randomUUID())],
      ['hold:release', k6.payloads.release(randomUUID())],
      ['booking:cancel', k6.payloads.cancelBooking(randomUUID())],
      ['booking:list', k6.payloads.bookingList()],
      ['waitlist:join', k6.payloads.waitlistJoin(eventId, 2)],
    ];
    for (const [name, payload] of valid) {
      const parsed = commands[name].payload.safeParse(payload);
      expect(parsed.success, `${name} ${JSON.stringify(payload)}`).toBe(true);
    }
    expect(adminCommands['analytics:subscribe'].payload.safeParse(k6.payloads.analyticsSubscribe()).success).toBe(true);
    expect(adminCommands['analytics:subscribe'].payload.safeParse(k6.payloads.analyticsSubscribe(eventId)).success).toBe(true);
  });
});

describe('k6 duration parsing', () => {
  it('reads 500ms, 90s, 30m, 1h and plain seconds, and refuses anything else', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('1h')).toBe(3_600_000); // admin-watch used to turn this into NaN
    expect(parseDurationMs('45')).toBe(45_000);
    for (const bad of ['', '1d', 'h', '10 m', 'soon']) expect(() => parseDurationMs(bad)).toThrow(/DURATION/);
  });
});
