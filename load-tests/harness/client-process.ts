/**
 * A load-generator child process: connects its share of users (websocket, Engine.IO framing),
 * subscribes each to the seat map, then runs the flash-sale scenario for each user on `go` and
 * sends back what it measured. Talks to the orchestrator over the IPC channel only.
 */
import type { ClientProcessSetup, FromClient, ScenarioSettings, SeatMapFormat, ToClient } from './bench-types.js';
import { ClientRecorder } from './client-recorder.js';
import { connectEio, nowMs } from './eio-client.js';
import { PushWaiter, runFlashSaleUser, type SaleUser, subscribeSeatMap } from './flash-sale-user.js';

const send = (m: FromClient) => process.send?.(m);
const rec = new ClientRecorder();
const users: SaleUser[] = [];
const failures: string[] = [];
/** Seat id per layout index (compact deltas name seats by index). */
let seatIdAt: string[] = [];
const STATUS_OF: Record<string, string> = { a: 'available', h: 'held', s: 'sold' };
let gatewayUrl = '';

function listenerFor(user: { admitted: SaleUser['admitted']; offers: SaleUser['offers'] }, observed?: Record<string, number[]>) {
  // A user's pushes reach each of its sockets: the shop's listener records seat pushes only.
  return (name: string, raw: string) => {
    rec.push(name);
    if (name === 'seats:changed' || name === 'seats:delta') {
      if (!observed) return;
      const at = nowMs();
      const record = (seatId: string | undefined, status: string | undefined) => {
        const key = `${seatId}|${status}`;
        const list = observed[key];
        if (list) list.push(at);
        else observed[key] = [at];
      };
      if (name === 'seats:changed') {
        for (const c of (JSON.parse(raw) as { changes: { seatId: string; status: string }[] }).changes)
          record(c.seatId, c.status);
      } else {
        for (const [i, c] of (JSON.parse(raw) as { changes: [number, string][] }).changes) record(seatIdAt[i], STATUS_OF[c]);
      }
    } else if (name === 'queue:admitted') {
      user.admitted.deliver({ ...(JSON.parse(raw) as { admissionToken: string }), at: nowMs() });
    } else if (name === 'waitlist:offer') {
      user.offers.deliver(JSON.parse(raw));
    }
  };
}

let tiered = false;

async function connectAll(setup: ClientProcessSetup): Promise<void> {
  tiered = setup.tiered;
  let next = 0;
  const one = async (i: number) => {
    const u = setup.users[i] as ClientProcessSetup['users'][number];
    const waiters = {
      admitted: new PushWaiter<{ admissionToken: string; shopUrl?: string; at: number }>(),
      offers: new PushWaiter<any>(),
    };
    let observed: Record<string, number[]> | undefined;
    if (i < setup.observers) {
      observed = {};
      rec.observed.push(observed);
    }
    const url = setup.gatewayUrls[(setup.offset + i) % setup.gatewayUrls.length] as string;
    gatewayUrl ||= url;
    const openShop = async (shopUrl: string) =>
      new URL(shopUrl).origin === new URL(url).origin
        ? null
        : connectEio(shopUrl, u.token, listenerFor({ admitted: new PushWaiter(), offers: new PushWaiter() }, observed));
    try {
      const socket = await connectEio(url, u.token, listenerFor(waiters, observed));
      users.push({ id: u.id, socket, shop: null, openShop, ...waiters, observer: observed !== undefined, seatMap: false });
    } catch (err) {
      if (failures.length < 20) failures.push(String((err as Error).message ?? err));
      else failures.push('');
    }
  };
  const lanes = Array.from({ length: Math.min(setup.connectConcurrency, setup.users.length) }, async () => {
    while (next < setup.users.length) await one(next++);
  });
  await Promise.all(lanes);
}

/**
 * Before the sale. full: every socket takes the full seat map. compact (a frontend's way):
 * waiting users watch availability only; observers take the compact seat state (they measure
 * fan-out); the others take it once admitted (flash-sale-user.ts).
 */
async function subscribeAll(eventId: string, concurrency: number, format: SeatMapFormat): Promise<void> {
  if (format === 'compact') {
    const layout = (await (await fetch(`${gatewayUrl}/api/events/${eventId}/seats`)).json()) as { seats: { id: string }[] };
    seatIdAt = layout.seats.map((s) => s.id);
  }
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, users.length) }, async () => {
    while (next < users.length) {
      const u = users[next++] as SaleUser;
      // Tiered: seat maps are the shop's, for admitted users; everyone waits with availability.
      if (!tiered && (format === 'full' || u.observer)) await subscribeSeatMap(u, rec, eventId, format);
      else {
        const sub = await u.socket.emit('availability:subscribe', { eventId }, { skipReply: true });
        rec.sample('availability:subscribe', sub.sentAt, sub.ackAt - sub.sentAt, sub.ack.ok ? '' : (sub.ack.error?.code ?? '?'));
        if (!sub.ack.ok) rec.unexpected(`availability:subscribe ${sub.ack.error?.code}`);
      }
    }
  });
  await Promise.all(lanes);
}

async function go(s: ScenarioSettings): Promise<void> {
  const progress = setInterval(() => send({ type: 'progress', progress: rec.progress() }), 2500);
  try {
    await Promise.all(users.map((u) => runFlashSaleUser(u, rec, s)));
  } finally {
    clearInterval(progress);
  }
}

process.on('message', (m: ToClient) => {
  const fail = (err: unknown) => send({ type: 'error', message: String((err as Error)?.stack ?? err) });
  if (m.type === 'setup') {
    connectAll(m.setup).then(
      () => send({ type: 'connected', connected: users.length, failures: failures.filter(Boolean) }),
      fail,
    );
  } else if (m.type === 'subscribe') {
    subscribeAll(m.eventId, m.concurrency, m.format).then(() => send({ type: 'subscribed' }), fail);
  } else if (m.type === 'go') {
    go(m.scenario).then(() => send({ type: 'result', result: rec.result(users.length, failures.filter(Boolean)) }), fail);
  } else if (m.type === 'finish') {
    for (const u of users) {
      u.socket.close();
      u.shop?.close();
    }
    process.disconnect?.();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
