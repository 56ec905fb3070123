import { beforeAll, describe, expect, it } from 'vitest';
import { type LayoutWire, type SeatMapStore, SOLD } from '../../gateway/web/src/live/seat-map-store.js';
import { syncSeatMap } from '../../gateway/web/src/live/seat-map-sync.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  const t = await createTestEnv();
  [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

/** What the server says now, as the app's one-character codes. */
async function serverTruth(eventId: string): Promise<string> {
  const c = await connectClient(gw.url);
  const ack = await c.send('seats:subscribe', { eventId, format: 'compact' });
  c.close();
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return (ack.data as { status: string }).status;
}
const codes = (store: SeatMapStore) => [...store.status].map((c) => 'ahs'[c]).join('');

describe("the web app's seat-map sync against a real gateway", () => {
  it('follows deltas, resubscribes on a gap and after a reconnect, and ends equal to the server', async () => {
    const event = await createTestEvent(gw.url, adminToken, { admission: OPEN_ADMISSION });
    const client = await connectClient(gw.url);
    let store: SeatMapStore | null = null;
    const sync = syncSeatMap({
      client,
      eventId: event.id,
      sectionOrder: event.sections.map((s) => s.name),
      connectedHook: (listener) => {
        client.socket.on('connect', listener);
        if (client.socket.connected) listener();
        return () => client.socket.off('connect', listener);
      },
      fetchLayout: async (id) => (await http<LayoutWire>(gw.url, 'GET', `/api/events/${id}/seats`)).body,
      onStore: (s) => {
        store = s;
      },
      onError: (err) => {
        throw err;
      },
    });
    const s = await waitUntil('the first snapshot', () => store);
    expect(sync.stats.mode).toBe('compact');
    expect(codes(s)).toBe('a'.repeat(20));

    const buyer = await admittedUser(gw.url, event.id);
    const hold = await buyer.client.seatsHold({
      eventId: event.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'h1',
      quantity: 3,
    });
    expect(hold.ok).toBe(true);
    await waitUntil('the hold reaches the store', () => s.counts().held === 3);
    expect(sync.stats.subscribes).toBe(1);

    // A push that says it follows one we never got: the store must not apply it, and resyncs.
    const seq = s.seq!;
    for (const l of client.socket.listeners('seats:delta'))
      l({ eventId: event.id, seq: seq + 5, prevSeq: seq + 4, changes: [[0, 's']] });
    await waitUntil('the resubscribe after the gap', () => sync.stats.subscribes === 2 && s.seq !== null);
    expect(sync.stats.gaps).toBe(1);
    expect(s.status[0]).not.toBe(SOLD);
    expect(codes(s)).toBe(await serverTruth(event.id));

    // Offline while the seats change: the reconnect resubscribes and catches up.
    client.socket.disconnect();
    expect(await buyer.client.holdRelease({ holdId: (hold as { data: { holdId: string } }).data.holdId })).toMatchObject({
      ok: true,
    });
    client.socket.connect();
    await waitUntil('the resync after reconnecting', () => sync.stats.subscribes === 3 && s.counts().held === 0);
    expect(codes(s)).toBe(await serverTruth(event.id));
    sync.close();
  });
});
