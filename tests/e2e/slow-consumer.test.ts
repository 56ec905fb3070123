import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  const t = await createTestEnv({ SOCKET_MAX_BACKPRESSURE_BYTES: String(256 * 1024) });
  [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
}, 180_000);

/** A raw Engine.IO websocket that connects the namespace and then stops reading its socket. */
async function connectNonReader(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (m) => {
      const text = String(m);
      if (text.startsWith('0')) ws.send('40');
      if (text.startsWith('40')) resolve();
    });
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', () => resolve(Date.now())));
  return { ws, closed };
}

describe('slow consumers', () => {
  it('closes a socket that never reads once its send buffer is full; the others keep receiving', async () => {
    const ev = await createTestEvent(gw.url, adminToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 100, rows: 20, seatsPerRow: 100 }], // a ~140 KB full map
    });
    const reader = await connectClient(gw.url);
    expect((await reader.seatsSubscribe({ eventId: ev.id, format: 'compact' })).ok).toBe(true);
    const slow = await connectNonReader(gw.url);
    // Stop reading at the TCP level: what the server sends piles up in the kernel, then in uWS.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Ask for far more than fits: 100 full seat maps, ~14 MB of acks.
    for (let i = 0; i < 100; i++) slow.ws.send(`42${i}["seats:subscribe",{"eventId":"${ev.id}"}]`);
    // The reader still gets its pushes while (and after) the slow socket is dealt with.
    const buyer = await admittedUser(gw.url, ev.id);
    const delta = nextPush(reader, 'seats:delta', (d) => d.eventId === ev.id, 20_000);
    const held = await buyer.client.seatsHold({
      eventId: ev.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'slow-1',
      quantity: 2,
    });
    expect(held.ok).toBe(true);
    expect((await delta).changes).toHaveLength(2);
    // Resume reading: the client drains what the kernel kept and then sees the server's close.
    await new Promise((r) => setTimeout(r, 2000));
    let received = 0;
    slow.ws.on('message', () => {
      received += 1;
    });
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.closed;
    // Closed well before all 100 replies were delivered: the rest was never queued without bound.
    expect(received).toBeLessThan(100);
    // The gateway is fine and the reader still connected.
    expect(reader.socket.connected).toBe(true);
    expect((await reader.seatsSubscribe({ eventId: ev.id, format: 'compact' })).ok).toBe(true);
  });
});
