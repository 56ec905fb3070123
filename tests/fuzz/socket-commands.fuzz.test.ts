import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Challenge, solveChallengeProof } from '../../core/contract/challenge.js';
import { adminCommands, commands } from '../../core/contract/commands.js';
import type { EventlyAdminClient, EventlyClient } from '../../core/contract/create-client.js';
import { errorCodes } from '../../core/contract/error-codes.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectAdmin, connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { hostilePayload } from '../support/hostile-values.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { stateFingerprint } from '../support/state-fingerprint.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { FUZZ_LIMITS, FUZZ_RUNS } from './fuzz-settings.js';

let t: TestEnv;
let gw: StartedProcess;
let attacker: EventlyClient;
let anonymous: EventlyClient;
let admin: EventlyAdminClient;
/** Real ids and tokens that belong to someone else: the fuzzers mix them into payloads. */
let known: string[] = [];
let before: unknown;
let cases = 0;

beforeAll(async () => {
  t = await createTestEnv(FUZZ_LIMITS);
  gw = await startGatewayProcess(t.env);
  const adminSession = await loginAdmin(gw.url);
  const event = await createTestEvent(gw.url, adminSession.accessToken, {
    admission: OPEN_ADMISSION,
    sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 6 }],
  });
  const seats = (
    await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 ORDER BY number', [event.id])
  ).map((r) => r.id);
  const victim = await admittedUser(gw.url, event.id);
  const hold = await victim.client.seatsHold({
    eventId: event.id,
    admissionToken: victim.admissionToken,
    idempotencyKey: randomUUID(),
    seatIds: [seats[0] as string],
  });
  const toBook = await victim.client.seatsHold({
    eventId: event.id,
    admissionToken: victim.admissionToken,
    idempotencyKey: randomUUID(),
    seatIds: [seats[1] as string],
  });
  if (!hold.ok || !toBook.ok) throw new Error('victim setup failed');
  const booking = await victim.client.holdConfirm({
    holdId: toBook.data.holdId,
    idempotencyKey: randomUUID(),
    payment: { method: 'mock' },
  });
  if (!booking.ok) throw new Error('victim booking failed');
  // An event behind the door, and a real proof solved by the victim: the fuzzer mixes both in.
  const door = await createTestEvent(gw.url, adminSession.accessToken, {
    admission: { ...OPEN_ADMISSION, challenge: { required: true } },
  });
  const verifiedOnly = await createTestEvent(gw.url, adminSession.accessToken, {
    admission: { ...OPEN_ADMISSION, requireVerifiedEmail: true },
  });
  const refused = await victim.client.queueJoin({ eventId: door.id });
  const victimChallenge = refused.ok ? null : (refused.error.details as { challenge?: Challenge } | undefined)?.challenge;
  if (!victimChallenge) throw new Error('the door asked no challenge');
  const victimProof = await solveChallengeProof(victimChallenge);
  known = [
    event.id,
    door.id,
    verifiedOnly.id,
    ...seats,
    hold.data.holdId,
    booking.data.bookingId,
    victim.userId,
    victim.admissionToken,
    'A',
    'mock',
    victimProof ?? 'unsolved',
  ];
  attacker = await connectClient(gw.url, (await registerUser(gw.url)).accessToken);
  anonymous = await connectClient(gw.url);
  admin = await connectAdmin(gw.url, adminSession.accessToken);
  before = await stateFingerprint(t.databaseUrl);
});

afterAll(() => {
  process.stdout.write(`socket fuzz: ${cases} cases\n`);
});

/** Every ack is a well-formed answer with a registered code, never INTERNAL, never missing. */
function expectSaneAck(name: string, payload: unknown, ack: any) {
  const where = `${name} ${JSON.stringify(payload)?.slice(0, 300)} -> ${JSON.stringify(ack)?.slice(0, 300)}`;
  expect(typeof ack?.ok, where).toBe('boolean');
  if (ack.ok) return;
  expect(errorCodes, where).toContain(ack.error.code);
  expect(ack.error.code, where).not.toBe('INTERNAL');
  expect(typeof ack.error.message, where).toBe('string');
  expect(typeof ack.error.retryable, where).toBe('boolean');
  expect(JSON.stringify(ack.error), where).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
}

describe('socket commands under hostile payloads', () => {
  it.each(Object.entries(commands))('%s: never INTERNAL, never a crash', async (name, schema) => {
    await fc.assert(
      fc.asyncProperty(hostilePayload(schema.payload, known), fc.boolean(), async (payload, asAnonymous) => {
        cases += 1;
        const ack = await (asAnonymous ? anonymous : attacker).send(name, payload, { timeoutMs: 15_000 });
        expectSaneAck(name, payload, ack);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it.each(Object.entries(adminCommands))('/admin %s: never INTERNAL, never a crash', async (name, schema) => {
    await fc.assert(
      fc.asyncProperty(hostilePayload(schema.payload, known), async (payload) => {
        cases += 1;
        expectSaneAck(name, payload, await admin.send(name, payload, { timeoutMs: 15_000 }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('leaves the gateway serving and every seat, hold, booking and user as it was', async () => {
    expect(gw.child.exitCode).toBeNull();
    expect((await http(gw.url, 'GET', '/health')).status).toBe(200);
    expect(attacker.socket.connected && anonymous.socket.connected && admin.socket.connected).toBe(true);
    expect(await stateFingerprint(t.databaseUrl)).toEqual(before);
  });
});
