/**
 * What `me:state` costs on reconnect, and what an HTTP poller costs next to a waiting socket.
 *
 *   npx tsx scripts/bench-me-state.ts [--users 2000] [--calls 20000] [--concurrency 200] [--events 10]
 *
 * One gateway and one worker on a fresh database. Every user is admitted to a sale (half hold a
 * seat) and waits in one of `events - 1` other rooms, so each answer has a hold, an admission and
 * a place, and the Postgres statement sees `events` upcoming events. Then:
 * 1. `--calls` me:state over the users' sockets, `--concurrency` at once (a reconnect storm):
 *    client p50/p99 and the gateway's CPU per call.
 * 2. The same users' sockets waiting in a room for 20 s (the gateway refreshes each place on its
 *    pass): the gateway's CPU per waiting socket and second, against 20 s idle before.
 * 3. GET /api/events/:id/queue polls from the same users (`--concurrency` at once): CPU per poll.
 * The machine is shared: run it quiet, read CPU per call rather than wall time.
 */
import { parseArgs } from 'node:util';
import { createClient, type EventlyClient } from '../core/contract/create-client.js';
import { readCpuMs } from '../load-tests/harness/read-server-figures.js';
import { seedUsers } from '../load-tests/harness/seed-users.js';
import { startSystem } from '../load-tests/harness/start-system.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '200' },
    events: { type: 'string', default: '10' },
    'wait-seconds': { type: 'string', default: '20' },
  },
});
const USERS = Number(values.users);
const CALLS = Number(values.calls);
const CONCURRENCY = Number(values.concurrency);
const EVENTS = Math.max(2, Number(values.events));
const WAIT_SECONDS = Number(values['wait-seconds']);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = { email: 'bench-admin@evently.test', password: 'bench-admin-password' };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function http<T>(url: string, method: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `total` tasks, `width` at a time. */
async function pool(total: number, width: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

const system = await startSystem({
  adminDatabaseUrl: ADMIN_URL,
  redisUrl: REDIS_URL,
  gateways: 1,
  workers: 1,
  pgPoolSize: 10,
  admin,
  env: { USER_COMMANDS_PER_SECOND: '0', SOCKET_COMMANDS_PER_SECOND: '100000', SOCKET_COMMAND_BURST: '100000' },
});
const clients: EventlyClient[] = [];
try {
  const gw = system.gateways[0];
  if (!gw) throw new Error('no gateway');
  const { accessToken } = await http<{ accessToken: string }>(`${gw.url}/api/auth/login`, 'POST', admin);
  const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const makeEvent = (name: string, admission: object, seats: number) =>
    http<{ id: string }>(
      `${gw.url}/api/admin/events`,
      'POST',
      {
        name,
        venue: 'Bench Hall',
        startsAt,
        holdTtlSeconds: 3600,
        sections: [{ name: 'A', priceCents: 1000, rows: Math.ceil(seats / 100), seatsPerRow: 100 }],
        admission,
      },
      accessToken,
    );
  const sale = await makeEvent('Sale', { maxActive: 100_000, admitPerTick: 10_000, tickMs: 50, sessionTtlSeconds: 3600 }, USERS);
  const rooms: { id: string }[] = [];
  for (let i = 1; i < EVENTS; i++) {
    rooms.push(await makeEvent(`Room ${i}`, { maxActive: 1, admitPerTick: 1, tickMs: 60_000, sessionTtlSeconds: 3600 }, 100));
  }
  const users = await seedUsers(system.databaseUrl, system.env.JWT_ACCESS_SECRET as string, USERS, system.id);
  for (let i = 0; i < users.length; i += 200) {
    clients.push(
      ...(await Promise.all(
        users.slice(i, i + 200).map(async (u) => {
          const c = createClient(gw.url, u.token, { timeoutMs: 60_000 });
          await c.connected();
          return c;
        }),
      )),
    );
  }
  await pool(clients.length, 100, async (i) => {
    const c = clients[i] as EventlyClient;
    const joined = await c.queueJoin({ eventId: sale.id });
    if (!joined.ok || joined.data.state !== 'admitted') throw new Error(`join: ${JSON.stringify(joined)}`);
    if (i % 2 === 0) {
      const held = await c.seatsHold({
        eventId: sale.id,
        admissionToken: joined.data.admissionToken,
        idempotencyKey: `h${i}`,
        quantity: 1,
      });
      if (!held.ok) throw new Error(`hold: ${JSON.stringify(held.error)}`);
    }
    const room = rooms[i % rooms.length] as { id: string };
    const waiting = await c.queueJoin({ eventId: room.id });
    if (!waiting.ok) throw new Error(`room: ${JSON.stringify(waiting.error)}`);
  });
  console.log(
    `${USERS} users: admitted to a sale (${USERS / 2} holding a seat), waiting in ${rooms.length} rooms; ${EVENTS} upcoming events`,
  );

  // 1. me:state storm.
  const latencies: number[] = [];
  const cpu0 = readCpuMs(gw.pid);
  const t0 = Date.now();
  await pool(CALLS, CONCURRENCY, async (i) => {
    const started = performance.now();
    const r = await (clients[i % clients.length] as EventlyClient).meState({});
    latencies.push(performance.now() - started);
    if (!r.ok) throw new Error(`me:state: ${JSON.stringify(r.error)}`);
    if (r.data.queues.length !== 2) throw new Error(`me:state lists ${r.data.queues.length} places`);
  });
  const wallMs = Date.now() - t0;
  const cpuPerCall = (readCpuMs(gw.pid) - cpu0) / CALLS;
  latencies.sort((a, b) => a - b);
  console.log(
    `me:state: ${CALLS} calls, ${CONCURRENCY} at once, ${Math.round((CALLS / wallMs) * 1000)}/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, gateway CPU ${cpuPerCall.toFixed(3)} ms per call`,
  );
  console.log(
    `  20,000 reconnects in 10 s (2,000 me:state/s) would take about ${((cpuPerCall * 2000) / 1000).toFixed(2)} gateway cores for me:state alone`,
  );

  // 2. Waiting sockets: the gateway's CPU while its sockets wait, against idle (nobody waiting).
  await pool(clients.length, 100, async (i) => {
    await (clients[i] as EventlyClient).queueLeave({ eventId: (rooms[i % rooms.length] as { id: string }).id });
  });
  await sleep(2000);
  const idle0 = readCpuMs(gw.pid);
  await sleep(WAIT_SECONDS * 1000);
  const idleMs = readCpuMs(gw.pid) - idle0;
  await pool(clients.length, 100, async (i) => {
    await (clients[i] as EventlyClient).queueJoin({ eventId: (rooms[i % rooms.length] as { id: string }).id });
  });
  await sleep(2000);
  const wait0 = readCpuMs(gw.pid);
  await sleep(WAIT_SECONDS * 1000);
  const waitMs = readCpuMs(gw.pid) - wait0;
  const perSocketSecond = (waitMs - idleMs) / (USERS * WAIT_SECONDS);
  console.log(
    `waiting sockets: ${USERS} for ${WAIT_SECONDS} s: gateway CPU ${waitMs} ms (idle ${idleMs} ms): ${(perSocketSecond * 1000).toFixed(2)} µs per waiting socket and second`,
  );

  // 3. HTTP polls of the same places.
  const polls = Math.min(CALLS, 10_000);
  const pollLatencies: number[] = [];
  const poll0 = readCpuMs(gw.pid);
  let refreshAfterMs = 0;
  await pool(polls, CONCURRENCY, async (i) => {
    const u = users[i % users.length] as { token: string };
    const started = performance.now();
    const r = await http<{ state: string; refreshAfterMs?: number }>(
      `${gw.url}/api/events/${(rooms[(i % users.length) % rooms.length] as { id: string }).id}/queue`,
      'GET',
      undefined,
      u.token,
    );
    pollLatencies.push(performance.now() - started);
    refreshAfterMs = Math.max(refreshAfterMs, r.refreshAfterMs ?? 0);
  });
  const cpuPerPoll = (readCpuMs(gw.pid) - poll0) / polls;
  pollLatencies.sort((a, b) => a - b);
  console.log(
    `polls: ${polls} GET /api/events/:id/queue: p50 ${percentile(pollLatencies, 50).toFixed(1)} ms, p99 ${percentile(pollLatencies, 99).toFixed(1)} ms, gateway CPU ${cpuPerPoll.toFixed(3)} ms per poll; largest refreshAfterMs ${refreshAfterMs}`,
  );
  const socketPerMinute = perSocketSecond * 60;
  const pollerPerMinute = cpuPerPoll * (60_000 / Math.max(1, refreshAfterMs));
  console.log(
    `per minute of waiting: a socket ${socketPerMinute.toFixed(3)} ms of gateway CPU, a poller at refreshAfterMs ${pollerPerMinute.toFixed(3)} ms; 20,000 of each: ${((socketPerMinute * 20_000) / 60_000).toFixed(3)} vs ${((pollerPerMinute * 20_000) / 60_000).toFixed(3)} cores`,
  );
} finally {
  for (const c of clients) c.close();
  await system.stopProcesses();
  await system.cleanUp();
}
