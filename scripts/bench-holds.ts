/**
 * Holds per second and hold-ack latency with 1,000 racing clients, next to this machine's
 * `pgbench -N` in the same run (DESIGN.md "Performance model": one durable commit per hold).
 *
 *   npx tsx scripts/bench-holds.ts [--clients 1000] [--holds-per-client 4] [--redlock true|false] [--pg-pool 20]
 *
 * Two gateways and one worker on a fresh database; every client is admitted through the real
 * waiting room, then all of them fire their holds at once (half explicit random seats, half best
 * available), each hold one transaction. Seats are plentiful so holds succeed; collisions on
 * explicit seats answer SEAT_UNAVAILABLE and are counted separately.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createClient, type EventlyClient } from '../core/contract/create-client.js';
import { measurePgbench } from '../load-tests/harness/measure-pgbench.js';
import { seedUsers } from '../load-tests/harness/seed-users.js';
import { ROOT, startSystem } from '../load-tests/harness/start-system.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    'holds-per-client': { type: 'string', default: '4' },
    redlock: { type: 'string', default: 'true' },
    'pgbench-seconds': { type: 'string', default: '15' },
    'pg-pool': { type: 'string', default: '20' },
    /** A directory: every process writes a V8 CPU profile there when it exits (scripts/cpu-profile.mjs). */
    'cpu-prof': { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const HOLDS_PER_CLIENT = Number(values['holds-per-client']);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = { email: 'bench-admin@evently.test', password: 'bench-admin-password' };

/** User plus system CPU time of a process so far (Linux /proc, clock ticks of 10 ms). */
function readCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function http<T>(url: string, method: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main() {
  const system = await startSystem({
    adminDatabaseUrl: ADMIN_URL,
    redisUrl: REDIS_URL,
    gateways: 2,
    workers: 1,
    pgPoolSize: Number(values['pg-pool']),
    admin,
    env: {
      REDLOCK_ENABLED: values.redlock as string,
      MAX_SEATS_PER_USER: String(Math.min(100, Math.max(10, HOLDS_PER_CLIENT))),
      ...(values['cpu-prof']
        ? { NODE_OPTIONS: `--import ${path.join(ROOT, 'scripts/cpu-profile.mjs')}`, CPU_PROFILE_DIR: values['cpu-prof'] }
        : {}),
    },
  });
  const clients: EventlyClient[] = [];
  try {
    const [g1, g2] = system.gateways.map((g) => g.url) as [string, string];
    const { accessToken } = await http<{ accessToken: string }>(`${g1}/api/auth/login`, 'POST', admin);
    const rows = Math.ceil((CLIENTS * HOLDS_PER_CLIENT * 2) / 100);
    const ev = await http<{ id: string }>(
      `${g1}/api/admin/events`,
      'POST',
      {
        name: 'Bench',
        venue: 'Bench Arena',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        holdTtlSeconds: 3600,
        sections: [{ name: 'Floor', priceCents: 5000, rows, seatsPerRow: 100 }],
        admission: { maxActive: 1_000_000, admitPerTick: 100_000, tickMs: 50, sessionTtlSeconds: 3600 },
      },
      accessToken,
    );
    const db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
    const seatIds = (await db.query<{ id: string }>('SELECT id FROM seats WHERE event_id = $1', [ev.id])).rows.map((r) => r.id);
    const users = await seedUsers(system.databaseUrl, system.env.JWT_ACCESS_SECRET as string, CLIENTS, system.id);
    const tokens: string[] = [];
    for (let i = 0; i < users.length; i += 100) {
      const batch = await Promise.all(
        users.slice(i, i + 100).map(async (u, j) => {
          const client = createClient((i + j) % 2 ? g2 : g1, u.token, { reconnection: false, timeoutMs: 60_000 });
          clients.push(client);
          await client.connected();
          const joined = await client.queueJoin({ eventId: ev.id });
          if (!joined.ok || joined.data.state !== 'admitted') throw new Error(`not admitted at once: ${JSON.stringify(joined)}`);
          return joined.data.admissionToken;
        }),
      );
      tokens.push(...batch);
    }

    const latencies: number[] = [];
    const okLatencies: number[] = [];
    const outcomes = new Map<string, number>();
    const cpuBefore = system.gateways.map((g) => readCpuMs(g.pid));
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, i) => {
        for (let k = 0; k < HOLDS_PER_CLIENT; k++) {
          const explicit = (i + k) % 2 === 0;
          const t0 = performance.now();
          const ack = await client.seatsHold({
            eventId: ev.id,
            admissionToken: tokens[i] as string,
            idempotencyKey: randomUUID(),
            ...(explicit ? { seatIds: [seatIds[Math.floor(Math.random() * seatIds.length)] as string] } : { quantity: 1 }),
          });
          const ms = performance.now() - t0;
          latencies.push(ms);
          if (ack.ok) okLatencies.push(ms);
          const key = `${explicit ? 'explicit' : 'best'}:${ack.ok ? 'ok' : ack.error.code}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const gatewayCpuMs = system.gateways.reduce((n, g, i) => n + readCpuMs(g.pid) - (cpuBefore[i] ?? 0), 0);
    const held = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM seats WHERE status = 'held'`)).rows[0]?.n ?? 0;
    await db.end();
    const internal = [...outcomes.keys()].some((k) => k.endsWith(':INTERNAL'));
    if (internal) {
      // Say why (pool waits past their timeout, usually): the gateways logged each one.
      const reasons = new Map<string, number>();
      for (const g of system.gateways) {
        for (const m of g.tail().matchAll(/"err":\{"type":"[^"]*","message":"([^"]{0,80})/g)) {
          reasons.set(m[1] as string, (reasons.get(m[1] as string) ?? 0) + 1);
        }
      }
      process.stdout.write(
        `INTERNAL errors logged by the gateways (last lines): ${JSON.stringify(Object.fromEntries(reasons))}\n`,
      );
    }
    for (const c of clients) c.close();
    await system.stopProcesses();

    const pgbench = await measurePgbench(ADMIN_URL, { scale: 10, clients: 20, seconds: Number(values['pgbench-seconds']) });
    latencies.sort((a, b) => a - b);
    okLatencies.sort((a, b) => a - b);
    const holdsPerSecond = okLatencies.length / seconds;
    const report = {
      clients: CLIENTS,
      holdsPerClient: HOLDS_PER_CLIENT,
      redlock: values.redlock,
      pgPoolPerGateway: Number(values['pg-pool']),
      seconds: Number(seconds.toFixed(2)),
      outcomes: Object.fromEntries(outcomes),
      seatsHeldInPostgres: held,
      holdsPerSecond: Math.round(holdsPerSecond),
      ackMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
      okAckMs: { p50: percentile(okLatencies, 50), p99: percentile(okLatencies, 99) },
      clientCpuMsPerRequest: Number(((clientCpu.user + clientCpu.system) / 1000 / latencies.length).toFixed(2)),
      gatewayCpuMsPerRequest: Number((gatewayCpuMs / latencies.length).toFixed(2)),
      pgbench,
      ratioToPgbench: Number((holdsPerSecond / pgbench.tps).toFixed(3)),
    };
    const round = (o: { p50: number; p99: number }) => `p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms`;
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `\n${report.holdsPerSecond} holds/s (${CLIENTS} clients, Redlock ${values.redlock}); ack ${round(report.ackMs)}; ` +
        `pgbench -N ${pgbench.tps.toFixed(0)} tps; ratio ${report.ratioToPgbench}\n`,
    );
  } finally {
    for (const c of clients) c.close();
    await system.stopProcesses();
    await system.cleanUp();
  }
}

await main();
