/**
 * Holds per second and hold-ack latency with 1,000 racing clients, next to this machine's
 * `pgbench -N` in the same run (DESIGN.md "Performance model": one durable commit per hold).
 *
 *   npx tsx scripts/bench-holds.ts [--clients 1000] [--holds-per-client 4] [--redlock true|false] [--pg-pool 20]
 *     [--pgbench-seconds 15] [--cpu-prof DIR] [--env KEY=VALUE ...] [--command hold|floor]
 *     [--tiered true|false] [--hot-seats N]
 *
 * Two gateways and one worker on a fresh database; every client is admitted through the real
 * waiting room, then all of them fire their holds at once (half explicit random seats, half best
 * available). Seats are plentiful so holds succeed; collisions on explicit seats answer
 * SEAT_UNAVAILABLE and are counted separately; an OVERLOADED answer is retried after its
 * retryAfterMs (up to 5 times, counted as `overloadRetries`), as a client would. Then pgbench once.
 * Every hold goes through the batch writer (the batch sizes the gateways saw are printed); the
 * comparison with one transaction per hold is in load-tests/results-history.md.
 * CPU per hold of each process kind (gateways, Postgres, Redis, workers, the load generator) comes
 * from /proc accounting around the burst, next to Postgres's CPU per `pgbench -N` transaction
 * measured the same way, and the targets.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createClient, type EventlyClient, followShop } from '../core/contract/create-client.js';
import { createPool } from '../core/db/pool.js';
import { sql } from '../core/db/sql.js';
import { isOneOf, isPostgresOf, isRedis, startCpuWindow } from '../load-tests/harness/cpu-accounting.js';
import { measurePgbench, type PgbenchResult } from '../load-tests/harness/measure-pgbench.js';
import {
  readCpuMs,
  readMachineBusyMs,
  readMachineContextSwitches,
  readSystemCpuMs,
  readWriteSyscalls,
} from '../load-tests/harness/read-server-figures.js';
import { seedUsers } from '../load-tests/harness/seed-users.js';
import { cpuProfileEnv, startSystem } from '../load-tests/harness/start-system.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    'holds-per-client': { type: 'string', default: '4' },
    redlock: { type: 'string', default: 'false' },
    'pgbench-seconds': { type: 'string', default: '15' },
    'pg-pool': { type: 'string', default: '20' },
    /** A directory: every process writes a V8 CPU profile there when it exits (scripts/cpu-profile.mjs). */
    'cpu-prof': { type: 'string' },
    /** `floor`: the same burst of a command that does nothing (`seats:unsubscribe`): what socket.io,
     * the limits and the command wrapper cost by themselves, next to the holds. */
    command: { type: 'string', default: 'hold' },
    /** KEY=VALUE, repeatable: more environment for every process (A/B of a setting in one run). */
    env: { type: 'string', multiple: true, default: [] },
    /** `true`: one queue-tier gateway (nice 10) where clients join, one shop-tier gateway where they
     * hold (they follow the admission's shopUrl), instead of two `all` gateways. */
    tiered: { type: 'string', default: 'false' },
    /** Explicit holds pick among the first N seats only (0: all of them): contention on named
     * seats, where Redlock may spare Postgres its row-lock waits. */
    'hot-seats': { type: 'string', default: '0' },
  },
});
const HOT_SEATS = Number(values['hot-seats']);
const TIERED = values.tiered === 'true';
/** Issue targets, printed next to the figures (ms of CPU per hold; Postgres as a share of pgbench's). */
const TARGETS = { serverCpuMsPerHold: 0.35, gatewayCpuMsPerHold: 0.25, postgresShareOfPgbenchTx: 0.25 };
const CLIENTS = Number(values.clients);
const HOLDS_PER_CLIENT = Number(values['holds-per-client']);
const FLOOR = values.command === 'floor';
if (!FLOOR && values.command !== 'hold') throw new Error('--command is hold or floor');
const EXTRA_ENV = Object.fromEntries(
  (values.env ?? []).map((kv) => {
    const at = kv.indexOf('=');
    if (at < 1) throw new Error(`--env ${kv}: expected KEY=VALUE`);
    return [kv.slice(0, at), kv.slice(at + 1)];
  }),
);
/** Retries of an OVERLOADED hold, each after the retryAfterMs it names. */
const MAX_OVERLOAD_RETRIES = 5;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = { email: 'bench-admin@evently.test', password: 'bench-admin-password' };

/** User plus system CPU time of a process so far (Linux /proc, clock ticks of 10 ms). */
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

async function runBurst() {
  const system = await startSystem({
    adminDatabaseUrl: ADMIN_URL,
    redisUrl: REDIS_URL,
    gateways: TIERED ? 1 : 2,
    workers: 1,
    ...(TIERED ? { tiered: { queueNice: 10 } } : {}),
    pgPoolSize: Number(values['pg-pool']),
    admin,
    env: {
      REDLOCK_ENABLED: values.redlock as string,
      MAX_SEATS_PER_USER: String(Math.min(100, Math.max(10, HOLDS_PER_CLIENT))),
      ...cpuProfileEnv(values['cpu-prof']),
      ...EXTRA_ENV,
    },
  });
  const clients: EventlyClient[] = [];
  /** The sockets the clients joined on, when they hold elsewhere (tiered). */
  const waitingClients: EventlyClient[] = [];
  try {
    const g1 = system.gateways[0]?.url as string;
    const g2 = (system.gateways[1] ?? system.gateways[0])?.url as string;
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
    const db = createPool(system.databaseUrl, 1);
    const seatIds = await db.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM seats WHERE event_id = ${ev.id}`);
    const users = await seedUsers(system.databaseUrl, system.env.JWT_ACCESS_SECRET as string, CLIENTS, system.id);
    const tokens: string[] = [];
    for (let i = 0; i < users.length; i += 100) {
      const batch = await Promise.all(
        users.slice(i, i + 100).map(async (u, j) => {
          const options = { reconnection: false, timeoutMs: 60_000 };
          const waiting = createClient((i + j) % 2 ? g2 : g1, u.token, options);
          waitingClients.push(waiting);
          await waiting.connected();
          const joined = await waiting.queueJoin({ eventId: ev.id });
          if (!joined.ok || joined.data.state !== 'admitted') throw new Error(`not admitted at once: ${JSON.stringify(joined)}`);
          // Tiered: the admission names the shop; the holds go there (one tier: the same socket).
          const client = followShop(waiting, joined.data, u.token, options);
          clients[i + j] = client;
          await client.connected();
          return joined.data.admissionToken;
        }),
      );
      tokens.push(...batch);
    }

    let retries = 0;
    const latencies: number[] = [];
    const okLatencies: number[] = [];
    const outcomes = new Map<string, number>();
    const allGateways = [...system.gateways, ...system.shopGateways];
    const cpuBefore = allGateways.map((g) => readCpuMs(g.pid));
    const systemCpuBefore = allGateways.map((g) => readSystemCpuMs(g.pid));
    const writesBefore = allGateways.map((g) => readWriteSyscalls(g.pid));
    // /proc accounting of every process kind around the burst (cpu-accounting.ts); Redis and the
    // shared Postgres writers serve other runs on a shared machine too.
    const cpuWindow = startCpuWindow({
      queueGateways: isOneOf(TIERED ? system.gateways.map((g) => g.pid) : []),
      gateways: isOneOf(allGateways.map((g) => g.pid)),
      workers: isOneOf(system.workers.map((w) => w.pid)),
      postgres: isPostgresOf(new URL(system.databaseUrl).pathname.slice(1)),
      // Every other Postgres process: other databases' backends (other runs on a shared machine).
      postgresOthers: (p) => p.name === 'postgres',
      redis: isRedis,
      loadGenerator: isOneOf([process.pid]),
    });
    const machineBefore = readMachineBusyMs();
    const switchesBefore = readMachineContextSwitches();
    const pool = HOT_SEATS > 0 ? Math.min(HOT_SEATS, seatIds.length) : seatIds.length;
    const started = performance.now();
    const startedUs = process.hrtime.bigint() / 1000n;
    await Promise.all(
      clients.map(async (client, i) => {
        for (let k = 0; k < HOLDS_PER_CLIENT; k++) {
          const explicit = (i + k) % 2 === 0;
          const t0 = performance.now();
          const request = {
            eventId: ev.id,
            admissionToken: tokens[i] as string,
            idempotencyKey: randomUUID(),
            ...(explicit ? { seatIds: [seatIds[Math.floor(Math.random() * pool)] as string] } : { quantity: 1 }),
          };
          // As a client should: an OVERLOADED answer is retried (same key) after its retryAfterMs,
          // a few times; the latency is the user's, from the first send to the last answer.
          const send = () => (FLOOR ? client.seatsUnsubscribe({ eventId: ev.id }) : client.seatsHold(request));
          let ack = await send();
          for (let retry = 0; retry < MAX_OVERLOAD_RETRIES && !ack.ok && ack.error.code === 'OVERLOADED'; retry++) {
            retries += 1;
            const after = Number((ack.error.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs);
            await new Promise((r) => setTimeout(r, (Number.isFinite(after) ? after : 100) + Math.random() * 50));
            ack = await send();
          }
          const ms = performance.now() - t0;
          latencies.push(ms);
          if (ack.ok) okLatencies.push(ms);
          const key = `${explicit ? 'explicit' : 'best'}:${ack.ok ? 'ok' : ack.error.code}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // The burst on the monotonic clock V8's CPU profiles use: cut a --cpu-prof profile to it.
    const burstMonotonicUs = [String(startedUs), String(process.hrtime.bigint() / 1000n)];
    const used = cpuWindow.stop();
    const gatewayCpuMs = allGateways.reduce((n, g, i) => n + readCpuMs(g.pid) - (cpuBefore[i] ?? 0), 0);
    const gatewaySystemCpuMs = allGateways.reduce((n, g, i) => n + readSystemCpuMs(g.pid) - (systemCpuBefore[i] ?? 0), 0);
    const gatewayWrites = allGateways.reduce((n, g, i) => n + readWriteSyscalls(g.pid) - (writesBefore[i] ?? 0), 0);
    const machineBusyMs = readMachineBusyMs() - machineBefore;
    const switches = readMachineContextSwitches() - switchesBefore;
    const held = await db.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM seats WHERE status = 'held'`,
    );
    await db.end();
    const internal = [...outcomes.keys()].some((k) => k.endsWith(':INTERNAL'));
    if (internal) {
      // Say why (pool waits past their timeout, usually): the gateways logged each one.
      const reasons = new Map<string, number>();
      for (const g of allGateways) {
        for (const m of g.tail().matchAll(/"err":\{"type":"[^"]*","message":"([^"]{0,80})/g)) {
          reasons.set(m[1] as string, (reasons.get(m[1] as string) ?? 0) + 1);
        }
      }
      process.stdout.write(
        `INTERNAL errors logged by the gateways (last lines): ${JSON.stringify(Object.fromEntries(reasons))}\n`,
      );
    }
    const batches = await Promise.all(allGateways.map((g) => readBatchSizes(g.url, system.env.METRICS_TOKEN as string)));
    for (const c of [...clients, ...waitingClients]) c.close();
    await system.stopProcesses();

    latencies.sort((a, b) => a - b);
    okLatencies.sort((a, b) => a - b);
    const holdsPerSecond = okLatencies.length / seconds;
    // Per hold that succeeded (floor: per command answered): what the issue's targets count.
    const holds = FLOOR ? latencies.length : okLatencies.length;
    const perHold = (ms: number | undefined) => Number(((ms ?? 0) / holds).toFixed(3));
    const serverCpuMs = (used.gateways ?? 0) + (used.workers ?? 0) + (used.postgres ?? 0) + (used.redis ?? 0);
    return {
      tiered: TIERED,
      command: FLOOR ? 'seats:unsubscribe (floor)' : 'seats:hold',
      clients: CLIENTS,
      holdsPerClient: HOLDS_PER_CLIENT,
      redlock: values.redlock,
      hotSeats: HOT_SEATS || null,
      pgPoolPerGateway: Number(values['pg-pool']),
      seconds: Number(seconds.toFixed(2)),
      outcomes: Object.fromEntries(outcomes),
      overloadRetries: retries,
      seatsHeldInPostgres: held,
      holdsPerSecond: Math.round(holdsPerSecond),
      ackMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
      okAckMs: { p50: percentile(okLatencies, 50), p99: percentile(okLatencies, 99) },
      gatewayCpuMsPerRequest: Number((gatewayCpuMs / latencies.length).toFixed(2)),
      /**
       * CPU ms per hold of each process kind, from /proc (utime + stime) read around the burst:
       * server = gateways + workers + Postgres (this database's backends and the shared WAL
       * writer, checkpointer, background writer) + Redis (the whole server: shared with other
       * runs on this machine). The load generator is this process (the clients).
       */
      cpuMsPerHold: {
        server: perHold(serverCpuMs),
        gateways: perHold(used.gateways),
        ...(TIERED
          ? {
              queueGateways: perHold(used.queueGateways),
              shopGateways: perHold((used.gateways ?? 0) - (used.queueGateways ?? 0)),
            }
          : {}),
        postgres: perHold(used.postgres),
        postgresAllProcesses: perHold((used.postgres ?? 0) + (used.postgresOthers ?? 0)),
        redis: perHold(used.redis),
        workers: perHold(used.workers),
        loadGenerator: perHold(used.loadGenerator),
        wholeMachine: perHold(machineBusyMs),
      },
      /** The gateways' share of CPU spent in the kernel (socket reads and writes, epoll). */
      gatewayKernelShare: Number((gatewaySystemCpuMs / gatewayCpuMs).toFixed(2)),
      /** The gateways' write system calls (Redis, Postgres; /proc syscw) per request: a count, steady run to run. */
      gatewayWriteSyscallsPerRequest: Number((gatewayWrites / latencies.length).toFixed(2)),
      /** The whole machine's context switches per request (/proc/stat ctxt): every wake-up of a
       * store, a gateway or the clients is one; a count, steady run to run. */
      contextSwitchesPerRequest: Number((switches / latencies.length).toFixed(1)),
      ...(values['cpu-prof'] ? { burstMonotonicUs } : {}),
      machineBusyShare: Number((machineBusyMs / (seconds * 1000 * os.availableParallelism())).toFixed(2)),
      batchSizes: mergeBatchSizes(batches),
    };
  } finally {
    for (const c of [...clients, ...waitingClients]) c.close();
    await system.stopProcesses();
    await system.cleanUp();
  }
}

/** The gateways' `evently_hold_batch_size` histogram: batches, mean size, bucket counts. */
async function readBatchSizes(url: string, token: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^evently_hold_batch_size_(bucket|sum|count)(?:\{([^}]*)\})? (\S+)$/gm)) {
    const le = /le="([^"]+)"/.exec(m[2] ?? '')?.[1];
    out.set(m[1] === 'bucket' ? `le ${le}` : (m[1] as string), Number(m[3]));
  }
  for (const m of text.matchAll(/^evently_hold_batch_seconds_(sum|count)(?:\{[^}]*\})? (\S+)$/gm)) {
    out.set(`seconds_${m[1]}`, Number(m[2]));
  }
  return out;
}

function mergeBatchSizes(perGateway: Map<string, number>[]) {
  const total = new Map<string, number>();
  for (const g of perGateway) for (const [k, v] of g) total.set(k, (total.get(k) ?? 0) + v);
  const count = total.get('count') ?? 0;
  // Cumulative buckets to "how many batches of size in (previous bound, bound]".
  const histogram: Record<string, number> = {};
  let previous = 0;
  let previousBound = 0;
  const secondsCount = total.get('seconds_count') ?? 0;
  const meanBatchMs = secondsCount ? Number((((total.get('seconds_sum') ?? 0) / secondsCount) * 1000).toFixed(1)) : 0;
  for (const [k, v] of [...total].filter(([k]) => k.startsWith('le '))) {
    const bound = k.slice(3);
    if (v - previous > 0) histogram[bound === '+Inf' ? `>${previousBound}` : `<=${bound}`] = v - previous;
    previous = v;
    previousBound = Number(bound);
  }
  return {
    batches: count,
    meanSize: count ? Number(((total.get('sum') ?? 0) / count).toFixed(1)) : 0,
    meanBatchMs,
    histogram,
  };
}

async function main() {
  const runs = [await runBurst()];
  const pgbench = await measurePgbench(ADMIN_URL, { scale: 10, clients: 20, seconds: Number(values['pgbench-seconds']) });
  const report = {
    runs: runs.map((r) => ({
      ...r,
      ratioToPgbench: Number((r.holdsPerSecond / pgbench.tps).toFixed(3)),
      postgresCpuShareOfPgbenchTx: Number((r.cpuMsPerHold.postgres / pgbench.postgresCpuMsPerTx).toFixed(3)),
    })),
    pgbench,
    targets: TARGETS,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
  const round = (o: { p50: number; p99: number }) => `p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms`;
  for (const r of report.runs) {
    process.stdout.write(
      `${r.holdsPerSecond} ${FLOOR ? 'floor commands' : 'holds'}/s (${CLIENTS} clients, Redlock ${values.redlock}); ` +
        `ack ${round(r.ackMs)}; gateway CPU ${r.gatewayCpuMsPerRequest} ms/${FLOOR ? 'command' : 'hold'}; ratio to pgbench -N ${r.ratioToPgbench}; ` +
        `${r.overloadRetries} OVERLOADED retried` +
        `; batches ${r.batchSizes.batches}, mean size ${r.batchSizes.meanSize}` +
        '\n',
    );
  }
  process.stdout.write(
    `pgbench -N ${pgbench.tps.toFixed(0)} tps; Postgres CPU ${pgbench.postgresCpuMsPerTx} ms/tx, pgbench client ${pgbench.pgbenchCpuMsPerTx} ms/tx\n`,
  );
  for (const r of report.runs) printCpuPerHold(r, pgbench);
}

/** The CPU figures next to their targets, one line each. */
function printCpuPerHold(
  r: { cpuMsPerHold: Record<string, number>; postgresCpuShareOfPgbenchTx: number },
  pgbench: PgbenchResult,
) {
  const c = r.cpuMsPerHold;
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const unit = FLOOR ? 'command' : 'hold';
  process.stdout.write(
    [
      `CPU per ${unit}${TIERED ? ', tiered' : ''} (/proc utime+stime around the burst):`,
      `  server (gateways+workers+Postgres+Redis) ${c.server} ms  [target <= ${TARGETS.serverCpuMsPerHold}: ${mark((c.server ?? 0) <= TARGETS.serverCpuMsPerHold)}]`,
      `  gateways ${c.gateways} ms${TIERED ? ` (shop ${c.shopGateways}, queue ${c.queueGateways})` : ''}  [target <= ${TARGETS.gatewayCpuMsPerHold}: ${mark((c.gateways ?? 0) <= TARGETS.gatewayCpuMsPerHold)}]`,
      `  Postgres ${c.postgres} ms = ${r.postgresCpuShareOfPgbenchTx} x its ${pgbench.postgresCpuMsPerTx} ms per pgbench -N tx  [target <= ${TARGETS.postgresShareOfPgbenchTx}: ${mark(r.postgresCpuShareOfPgbenchTx <= TARGETS.postgresShareOfPgbenchTx)}]`,
      `  (all Postgres processes, other databases' too: ${c.postgresAllProcesses} ms)`,
      `  Redis ${c.redis} ms (the whole server, shared), workers ${c.workers} ms, load generator ${c.loadGenerator} ms, whole machine ${c.wholeMachine} ms`,
      '',
    ].join('\n'),
  );
}

await main();
