import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminCommands, commands } from '../../core/contract/commands.js';
import { errorCodes } from '../../core/contract/error-codes.js';
import { adminPushes, pushes } from '../../core/contract/pushes.js';
import * as k6 from '../../load-tests/k6/lib/contract.js';

/** The k6 scripts cannot import zod: their copy of the contract must match it exactly. */
describe('k6 contract constants', () => {
  it('names every command, push and error code of core/contract and no others', () => {
    // v1.2 commands the scripts send (me:state) may be on the server already or not yet.
    const core = Object.keys(commands);
    expect([...k6.COMMANDS].sort()).toEqual(core.filter((c) => !k6.V12_COMMANDS.includes(c)).sort());
    expect([...k6.ADMIN_COMMANDS].sort()).toEqual(Object.keys(adminCommands).sort());
    expect([...k6.PUSHES].sort()).toEqual(Object.keys(pushes).sort());
    expect([...k6.ADMIN_PUSHES].sort()).toEqual(Object.keys(adminPushes).sort());
    expect([...k6.ERROR_CODES].sort()).toEqual([...errorCodes].sort());
  });

  it('sends only v1.2 commands that the contract has or PROTOCOL.md names', () => {
    const protocol = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8');
    expect(k6.V12_COMMANDS).toEqual(['me:state']);
    for (const name of k6.V12_COMMANDS) {
      expect(k6.COMMANDS).not.toContain(name);
      if (!(name in commands)) expect(protocol).toContain(`\`${name} {}\``);
    }
  });

  it('expects only real error codes of real commands', () => {
    for (const [command, codes] of Object.entries(k6.EXPECTED_ERRORS)) {
      expect(k6.COMMANDS).toContain(command);
      for (const code of codes) expect(k6.ERROR_CODES).toContain(code);
    }
    expect(k6.isExpectedError('seats:hold', 'SOLD_OUT')).toBe(true);
    expect(k6.isExpectedError('hold:confirm', 'SOLD_OUT')).toBe(false);
    expect(k6.isExpectedError('queue:join', 'CHALLENGE_REQUIRED')).toBe(true);
  });

  it('tells real work from trivial acks (thresholds judge work:real only)', () => {
    const refused = (code: string) => ({ ok: false, error: { code } });
    expect(k6.ackWork('queue:join', { ok: true })).toBe('real');
    expect(k6.ackWork('queue:join', refused('SOLD_OUT'))).toBe('trivial');
    expect(k6.ackWork('queue:join', refused('CHALLENGE_REQUIRED'))).toBe('trivial');
    expect(k6.ackWork('queue:join', refused('RATE_LIMITED'))).toBe('trivial');
    expect(k6.ackWork('seats:hold', refused('SOLD_OUT'))).toBe('real');
    expect(k6.ackWork('seats:hold', refused('SEAT_UNAVAILABLE'))).toBe('real');
    expect(k6.ackWork('seats:hold', refused('NOT_ADMITTED'))).toBe('trivial');
    expect(k6.ackWork('hold:confirm', refused('PAYMENT_DECLINED'))).toBe('real');
  });

  it('builds payloads the contract accepts', () => {
    const eventId = randomUUID();
    const valid: [keyof typeof commands, unknown][] = [
      ['seats:subscribe', k6.payloads.eventOnly(eventId)],
      ['seats:subscribe', k6.payloads.subscribeCompact(eventId)],
      ['availability:subscribe', k6.payloads.eventOnly(eventId)],
      ['queue:join', k6.payloads.eventOnly(eventId)],
      ['queue:join', k6.payloads.queueJoin(eventId)],
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
    // v1.2, checked once the contract has them (issues 20 and 21 build them).
    const allCommands: Record<string, { payload: { safeParse(p: unknown): { success: boolean } } }> = commands;
    if (allCommands['me:state']) expect(allCommands['me:state'].payload.safeParse(k6.payloads.meState()).success).toBe(true);
    const withProof = k6.payloads.queueJoin(eventId, 'eyJudW1iZXIiOjF9');
    expect(withProof).toEqual({ eventId, proof: 'eyJudW1iZXIiOjF9' });
    const joinShape = (commands['queue:join'].payload as unknown as { shape: Record<string, unknown> }).shape;
    if ('proof' in joinShape) expect(commands['queue:join'].payload.safeParse(withProof).success).toBe(true);
    expect(adminCommands['analytics:subscribe'].payload.safeParse(k6.payloads.analyticsSubscribe()).success).toBe(true);
    expect(adminCommands['analytics:subscribe'].payload.safeParse(k6.payloads.analyticsSubscribe(eventId)).success).toBe(true);
  });
});
