import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { collectPushes, connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin } from '../support/http-client.js';
import { followCompact } from '../support/seat-views.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gws: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv();
  gws = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gws[0]?.url as string)).accessToken;
}, 180_000);

const url = (i: number) => (gws[i] as StartedProcess).url;
const transportOf = (c: EventlyClient) => (c.socket.io.engine as unknown as { transport: { name: string } }).transport.name;

// A gateway publishes a room's pushes to its WebSocket subscribers in one uWS call and writes
// them one by one only to sockets on long-polling (gateway/io/publish-visits-polling-only.ts).
describe('seat pushes to sockets on each transport', () => {
  it('reach long-polling, upgraded and WebSocket sockets alike, each push once, from this gateway and from another', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 3600,
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 10 }],
    });
    const kinds = {
      websocket: ['websocket'],
      polling: ['polling'],
      upgraded: ['polling', 'websocket'],
    } as const;
    const watchers = await Promise.all(
      Object.entries(kinds).map(async ([kind, transports]) => {
        const client = await connectClient(url(0), undefined, { transports: [...transports] });
        const deltas = collectPushes(client, 'seats:delta');
        const view = await followCompact(client, ev.id);
        return { kind, client, deltas, view };
      }),
    );
    const [ws, polling, upgraded] = watchers as [(typeof watchers)[0], (typeof watchers)[0], (typeof watchers)[0]];
    await waitUntil('the upgrade', () => transportOf(upgraded.client) === 'websocket', 10_000);
    expect(transportOf(polling.client)).toBe('polling');
    expect(transportOf(ws.client)).toBe('websocket');

    // Holds answered on this gateway (a local broadcast) and on the other (one through Redis).
    const buyers: AdmittedUser[] = [await admittedUser(url(0), ev.id), await admittedUser(url(1), ev.id)];
    for (let i = 0; i < 6; i++) {
      const u = buyers[i % 2] as AdmittedUser;
      const held = await u.client.seatsHold({
        eventId: ev.id,
        admissionToken: u.admissionToken,
        idempotencyKey: randomUUID(),
        quantity: 1,
      });
      expect(held.ok, JSON.stringify(held)).toBe(true);
    }
    const heldSeats = (w: (typeof watchers)[0]) => [...w.view.status()].filter((c) => c === 'h').length;
    for (const w of watchers) await waitUntil(`six held seats seen over ${w.kind}`, () => heldSeats(w) === 6, 15_000);
    await waitUntil('the same last delta everywhere', () => watchers.every((w) => w.view.seq() === ws.view.seq()), 10_000);

    for (const w of watchers) {
      const seqs = w.deltas.items.filter((d) => d.eventId === ev.id).map((d) => d.seq);
      // Each push once, in order, none missing (no resubscription was needed).
      expect(seqs, w.kind).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      expect(w.view.resyncs(), w.kind).toBe(0);
      expect(w.view.status(), w.kind).toBe(ws.view.status());
    }
    expect(polling.deltas.items.map((d) => d.seq)).toEqual(ws.deltas.items.map((d) => d.seq));
    expect(upgraded.deltas.items.map((d) => d.seq)).toEqual(ws.deltas.items.map((d) => d.seq));
  });
});
