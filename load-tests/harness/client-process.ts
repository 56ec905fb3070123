/**
 * A load-generator child process: connects its share of users (websocket, Engine.IO framing),
 * subscribes each to the seat map, then runs the flash-sale scenario for each user on `go` and
 * sends back what it measured. Talks to the orchestrator over the IPC channel only.
 */
import type { ClientProcessSetup, FromClient, ScenarioSettings, ToClient } from './bench-types.js';
import { ClientRecorder } from './client-recorder.js';
import { connectEio, nowMs } from './eio-client.js';
import { PushWaiter, runFlashSaleUser, type SaleUser } from './flash-sale-user.js';

const send = (m: FromClient) => process.send?.(m);
const rec = new ClientRecorder();
const users: SaleUser[] = [];
const failures: string[] = [];

function listenerFor(user: { admitted: SaleUser['admitted']; offers: SaleUser['offers'] }, observed?: Record<string, number[]>) {
  return (name: string, raw: string) => {
    rec.push(name);
    if (name === 'seats:changed') {
      if (!observed) return;
      const at = nowMs();
      const { changes } = JSON.parse(raw) as { changes: { seatId: string; status: string }[] };
      for (const c of changes) {
        const key = `${c.seatId}|${c.status}`;
        const list = observed[key];
        if (list) list.push(at);
        else observed[key] = [at];
      }
    } else if (name === 'queue:admitted') {
      user.admitted.deliver({ ...(JSON.parse(raw) as { admissionToken: string }), at: nowMs() });
    } else if (name === 'waitlist:offer') {
      user.offers.deliver(JSON.parse(raw));
    }
  };
}

async function connectAll(setup: ClientProcessSetup): Promise<void> {
  let next = 0;
  const one = async (i: number) => {
    const u = setup.users[i] as ClientProcessSetup['users'][number];
    const waiters = { admitted: new PushWaiter<{ admissionToken: string; at: number }>(), offers: new PushWaiter<any>() };
    let observed: Record<string, number[]> | undefined;
    if (i < setup.observers) {
      observed = {};
      rec.observed.push(observed);
    }
    const url = setup.gatewayUrls[(setup.offset + i) % setup.gatewayUrls.length] as string;
    try {
      const socket = await connectEio(url, u.token, listenerFor(waiters, observed));
      users.push({ id: u.id, socket, ...waiters });
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

/** Every socket subscribes to the seat map (the reply is the whole map: throttled by lanes). */
async function subscribeAll(eventId: string, concurrency: number): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, users.length) }, async () => {
    while (next < users.length) {
      const u = users[next++] as SaleUser;
      const sub = await u.socket.emit('seats:subscribe', { eventId }, { skipReply: true });
      rec.sample('seats:subscribe', sub.sentAt, sub.ackAt - sub.sentAt, sub.ack.ok ? '' : (sub.ack.error?.code ?? '?'));
      if (!sub.ack.ok) rec.unexpected(`seats:subscribe ${sub.ack.error?.code}`);
    }
  });
  await Promise.all(lanes);
}

async function go(s: ScenarioSettings): Promise<void> {
  await Promise.all(users.map((u) => runFlashSaleUser(u, rec, s)));
}

process.on('message', (m: ToClient) => {
  const fail = (err: unknown) => send({ type: 'error', message: String((err as Error)?.stack ?? err) });
  if (m.type === 'setup') {
    connectAll(m.setup).then(
      () => send({ type: 'connected', connected: users.length, failures: failures.filter(Boolean) }),
      fail,
    );
  } else if (m.type === 'subscribe') {
    subscribeAll(m.eventId, m.concurrency).then(() => send({ type: 'subscribed' }), fail);
  } else if (m.type === 'go') {
    go(m.scenario).then(() => send({ type: 'result', result: rec.result(users.length, failures.filter(Boolean)) }), fail);
  } else if (m.type === 'finish') {
    for (const u of users) u.socket.close();
    process.disconnect?.();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
