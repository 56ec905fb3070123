import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type {
  BenchUser,
  ClientProcessResult,
  FromClient,
  ProgressReport,
  ScenarioSettings,
  SeatMapFormat,
  ToClient,
} from './bench-types.js';
import { type CorrectnessVerdict, checkCorrectness } from './check-correctness.js';
import { isPostgresOf, isRedis, startCpuWindow } from './cpu-accounting.js';
import { measurePgbench, type PgbenchResult } from './measure-pgbench.js';
import { readCpuMs, readServerAcks, type ServerAck } from './read-server-figures.js';
import { seedUsers } from './seed-users.js';
import { type BenchSystem, cpuProfileEnv, ROOT, readRssKiB, startSystem } from './start-system.js';
import {
  ackLatencies,
  fairness,
  fanoutLag,
  type HoldPhases,
  holdPhases,
  mergeResults,
  type Percentiles,
  type TimelinePoint,
  timeline,
} from './summarize-run.js';

export interface BenchOptions {
  clients: number;
  seats: number;
  maxActive: number;
  admitPerTick: number;
  tickMs: number;
  sessionTtlSeconds: number;
  durationSeconds: number;
  rampSeconds: number;
  gateways: number;
  workers: number;
  /** Two tiers on this machine: the `gateways` are the queue tier (nice 10), one more the shop. */
  tiered: boolean;
  /** The queue tier's niceness when tiered (10 by default). */
  queueNice?: number;
  clientsPerProcess: number;
  observersPerProcess: number;
  confirmRate: number;
  thinkMs: [number, number];
  pgPoolSize: number;
  pgbenchSeconds: number;
  pgbenchScale: number;
  /** Seat-map format of the sale (compact: availability while waiting, compact once admitted). */
  format: SeatMapFormat;
  /** The event asks a proof of work at the door: every user solves it before joining. */
  challenge?: boolean;
  /** Where gateways and workers write V8 CPU profiles when they stop (none without it). */
  cpuProfileDir?: string;
  /** Extra environment for every gateway and worker (`--env KEY=VALUE`). */
  env?: Record<string, string>;
  adminDatabaseUrl: string;
  redisUrl: string;
  log: (line: string) => void;
}

export interface BenchReport {
  startedAt: string;
  options: Omit<BenchOptions, 'log'>;
  clients: { requested: number; connected: number; connectFailures: number; processes: number; failureSamples: string[] };
  gatewayRss: { pid: number; beforeKiB: number; afterKiB: number; sockets: number; kibPerConnection: number }[];
  /** Gateway RSS growth per socket: connected only, then after each fetched the seat map and joined its room. */
  rssPerConnectionKiB: number;
  rssPerSubscriberKiB: number;
  sale: {
    seconds: number;
    soldOutAfterSeconds: number | null;
    holdsOk: number;
    confirmsOk: number;
    releasesOk: number;
    holdsPerSecond: number;
    confirmsPerSecond: number;
    peakHoldsPerSecond: number;
  };
  ack: Record<string, Percentiles>;
  /** Hold ack latency of holds sent in the sale's opening seconds, and after them. */
  holdPhases: HoldPhases;
  fanout: Percentiles & { observers: number; missed: number };
  admission: {
    admitted: number;
    immediate: number;
    measuredPerSecond: number;
    configuredPerSecond: number;
    waited: number;
    maxDisplacement: number;
    p99Displacement: number;
  };
  pgbench: (PgbenchResult & { holdsRatio: number }) | null;
  outcomes: Record<string, number>;
  pushes: Record<string, number>;
  unexpectedErrors: { count: number; samples: string[] };
  correctness: CorrectnessVerdict;
  timeline: TimelinePoint[];
  /** The last warnings/errors each gateway and worker logged (LOG_LEVEL=warn). */
  serverLogs: { role: string; pid: number; tail: string }[];
  /** Gateway-side ack latency (receipt to ack, histogram bucket bounds), over the whole run. */
  serverAck: Record<string, ServerAck>;
  /** CPU seconds each process used during the sale phase, and the sale's wall seconds. */
  saleCpu: { role: string; cpuSeconds: number }[];
}

const CLIENT_ENTRY = path.join(ROOT, 'load-tests/harness/client-process.ts');
const ADMIN = { email: 'bench-admin@evently.test', password: 'bench-admin-password' };

interface ClientProc {
  child: ChildProcess;
  next(): Promise<FromClient>;
  send(m: ToClient): void;
}

const onProgress = new Map<ChildProcess, (p: ProgressReport) => void>();

function spawnClientProcess(): ClientProc {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT_ENTRY], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const inbox: FromClient[] = [];
  const waiters: ((m: FromClient) => void)[] = [];
  const deliver = (m: FromClient) => {
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  };
  child.on('message', (m: FromClient) => {
    // Status reports go to whoever prints the status line; everything else to expect().
    if (m.type === 'progress') onProgress.get(child)?.(m.progress);
    else deliver(m);
  });
  child.on('exit', (code) => deliver({ type: 'error', message: `client process exited with ${code}` }));
  return {
    child,
    next: () => {
      const m = inbox.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push(resolve));
    },
    send: (m) => child.send(m),
  };
}

/** One status line every STATUS_EVERY_MS during the sale, from the client processes' reports. */
const STATUS_EVERY_MS = 5000;
function startStatusLines(procs: ClientProc[], saleStart: number, capacity: number, log: (line: string) => void) {
  const latest = new Map<ChildProcess, ProgressReport>();
  const holdMs: number[] = [];
  for (const p of procs) {
    onProgress.set(p.child, (r) => {
      latest.set(p.child, r);
      for (const ms of r.recentHoldMs) holdMs.push(ms);
    });
  }
  let lastHolds = 0;
  let lastAt = saleStart;
  const timer = setInterval(() => {
    const all = [...latest.values()];
    const total = (k: keyof Omit<ProgressReport, 'recentHoldMs'>) => all.reduce((n, r) => n + r[k], 0);
    const now = Date.now();
    const holds = total('holdsOk');
    const sorted = [...holdMs].sort((a, b) => a - b);
    const p99 = sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] as number) : null;
    log(
      `  t=${((now - saleStart) / 1000).toFixed(0)}s sold ${total('soldSeats')}/${capacity}, ` +
        `holds/s ${((holds - lastHolds) / ((now - lastAt) / 1000)).toFixed(0)}, ` +
        `hold ack p99 so far ${p99 === null ? '-' : `${p99.toFixed(0)} ms`}, ` +
        `admitted ${total('admitted')} / waiting ${total('joined') - total('admitted')}, errors ${total('unexpected')}`,
    );
    lastHolds = holds;
    lastAt = now;
  }, STATUS_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      for (const p of procs) onProgress.delete(p.child);
    },
  };
}

async function expect<T extends FromClient['type']>(p: ClientProc, type: T): Promise<Extract<FromClient, { type: T }>> {
  const m = await p.next();
  if (m.type === 'error') throw new Error(`client process failed: ${m.message}`);
  if (m.type !== type) throw new Error(`client process sent ${m.type}, expected ${type}`);
  return m as Extract<FromClient, { type: T }>;
}

async function http<T>(base: string, method: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Sections of 25 seats a row, at most 100 rows each, as many as the seat count needs. */
export function layoutFor(seats: number) {
  const perRow = 25;
  const sectionCount = Math.min(100, Math.max(1, Math.ceil(seats / (perRow * 100))));
  const rows = Math.max(1, Math.ceil(seats / (sectionCount * perRow)));
  return Array.from({ length: sectionCount }, (_, i) => ({
    name: `S${i + 1}`,
    priceCents: 5000 + 1000 * i,
    rows,
    seatsPerRow: perRow,
  }));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The flash-sale benchmark end to end: pgbench ceiling, a fresh system, seeded users, client
 * processes, the sale, the Postgres audit; everything it started is stopped and dropped.
 */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const { log: _log, ...options } = o;
  let pgbench: PgbenchResult | null = null;
  if (o.pgbenchSeconds > 0) {
    o.log(`pgbench -N for ${o.pgbenchSeconds}s (scale ${o.pgbenchScale}) …`);
    pgbench = await measurePgbench(o.adminDatabaseUrl, { scale: o.pgbenchScale, clients: 8, seconds: o.pgbenchSeconds });
    o.log(`  ${pgbench.tps.toFixed(0)} tps`);
  }
  o.log(`starting ${o.gateways} gateways and ${o.workers} worker(s) …`);
  const system: BenchSystem = await startSystem({
    adminDatabaseUrl: o.adminDatabaseUrl,
    redisUrl: o.redisUrl,
    gateways: o.gateways,
    workers: o.workers,
    pgPoolSize: o.pgPoolSize,
    admin: ADMIN,
    ...(o.tiered ? { tiered: { queueNice: o.queueNice ?? 10 } } : {}),
    env: {
      ADMISSION_MAX_ACTIVE: String(o.maxActive),
      ADMISSION_ADMIT_PER_TICK: String(o.admitPerTick),
      ADMISSION_TICK_MS: String(o.tickMs),
      ADMISSION_SESSION_TTL_SECONDS: String(o.sessionTtlSeconds),
      ...cpuProfileEnv(o.cpuProfileDir),
      ...o.env,
    },
  });
  const procs: ClientProc[] = [];
  const killAll = () => {
    for (const p of procs) p.child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    const base = system.gateways[0]?.url as string;
    const admin = await http<{ accessToken: string }>(base, 'POST', '/api/auth/login', ADMIN);
    const sections = layoutFor(o.seats);
    const event = await http<{ id: string; capacity: number }>(
      base,
      'POST',
      '/api/admin/events',
      {
        name: `Bench flash sale ${system.id}`,
        venue: 'Bench Arena',
        startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        saleStartsAt: new Date(Date.now() - 1000).toISOString(),
        sections,
        admission: {
          maxActive: o.maxActive,
          admitPerTick: o.admitPerTick,
          tickMs: o.tickMs,
          sessionTtlSeconds: o.sessionTtlSeconds,
          ...(o.challenge ? { challenge: { required: true } } : {}),
        },
      },
      admin.accessToken,
    );
    o.log(`event ${event.id}: ${event.capacity} seats in ${sections.length} section(s); seeding ${o.clients} users …`);
    const users: BenchUser[] = await seedUsers(system.databaseUrl, system.env.JWT_ACCESS_SECRET as string, o.clients, system.id);

    const rssBefore = system.gateways.map((g) => readRssKiB(g.pid) ?? 0);
    const processCount = Math.max(1, Math.ceil(o.clients / Math.min(19_000, o.clientsPerProcess)));
    const perProcess = Math.ceil(o.clients / processCount);
    o.log(`connecting ${o.clients} clients from ${processCount} process(es), subscribing each to the seat map …`);
    for (let i = 0; i < processCount; i++) {
      const p = spawnClientProcess();
      procs.push(p);
      const slice = users.slice(i * perProcess, (i + 1) * perProcess);
      p.send({
        type: 'setup',
        setup: {
          gatewayUrls: system.gateways.map((g) => g.url),
          users: slice,
          offset: i * perProcess,
          observers: Math.min(o.observersPerProcess, slice.length),
          eventId: event.id,
          connectConcurrency: 100,
          tiered: o.tiered,
        },
      });
    }
    const connected = await Promise.all(procs.map((p) => expect(p, 'connected')));
    const connectedCount = sum(connected.map((c) => c.connected));
    await new Promise((r) => setTimeout(r, 2000)); // let allocations settle before reading RSS
    const rssAfter = system.gateways.map((g) => readRssKiB(g.pid) ?? 0);
    const perGateway = connectedCount / Math.max(1, system.gateways.length);
    const gatewayRss = system.gateways.map((g, i) => {
      const beforeKiB = rssBefore[i] ?? 0;
      const afterKiB = rssAfter[i] ?? 0;
      return {
        pid: g.pid,
        beforeKiB,
        afterKiB,
        sockets: Math.round(perGateway),
        kibPerConnection: (afterKiB - beforeKiB) / Math.max(1, perGateway),
      };
    });
    const rssPerConnectionKiB = (sum(rssAfter) - sum(rssBefore)) / Math.max(1, connectedCount);
    o.log(`  ${connectedCount} connected; gateway RSS +${rssPerConnectionKiB.toFixed(2)} KiB per connection`);
    for (const p of procs) p.send({ type: 'subscribe', eventId: event.id, concurrency: 50, format: o.format });
    await Promise.all(procs.map((p) => expect(p, 'subscribed')));
    await new Promise((r) => setTimeout(r, 2000));
    const rssSubscribed = system.gateways.map((g) => readRssKiB(g.pid) ?? 0);
    const rssPerSubscriberKiB = (sum(rssSubscribed) - sum(rssBefore)) / Math.max(1, connectedCount);
    o.log(`  all subscribed to the seat map; gateway RSS +${rssPerSubscriberKiB.toFixed(2)} KiB per connection`);

    const roles = [
      ...system.gateways.map((g) => ({ role: o.tiered ? 'queue gateway' : 'gateway', pid: g.pid })),
      ...system.shopGateways.map((g) => ({ role: 'shop gateway', pid: g.pid })),
      ...system.workers.map((w) => ({ role: 'worker', pid: w.pid })),
      ...procs.map((p) => ({ role: 'load generator', pid: p.child.pid as number })),
    ];
    const cpuAtSaleStart = roles.map((r) => readCpuMs(r.pid));
    // The stores' share, from /proc like the processes above (Redis: the whole, shared server).
    const storesCpu = startCpuWindow({ postgres: isPostgresOf(new URL(system.databaseUrl).pathname.slice(1)), redis: isRedis });
    const saleStart = Date.now();
    const scenario: ScenarioSettings = {
      eventId: event.id,
      sections: sections.map((s) => s.name),
      confirmRate: o.confirmRate,
      thinkMs: o.thinkMs,
      rampMs: o.rampSeconds * 1000,
      deadlineAt: saleStart + o.durationSeconds * 1000,
      waitlistUntil: saleStart + o.durationSeconds * 1000,
      format: o.format,
    };
    o.log(`sale open: up to ${o.durationSeconds}s …`);
    const status = startStatusLines(procs, saleStart, event.capacity, o.log);
    for (const p of procs) p.send({ type: 'go', scenario });
    const results: ClientProcessResult[] = (await Promise.all(procs.map((p) => expect(p, 'result')))).map((m) => m.result);
    status.stop();
    const saleSeconds = (Date.now() - saleStart) / 1000;
    const storesUsed = storesCpu.stop();
    const saleCpu = [
      ...roles.map((r, i) => ({ role: r.role, cpuSeconds: (readCpuMs(r.pid) - (cpuAtSaleStart[i] ?? 0)) / 1000 })),
      { role: 'postgres', cpuSeconds: (storesUsed.postgres ?? 0) / 1000 },
      { role: 'redis', cpuSeconds: (storesUsed.redis ?? 0) / 1000 },
    ];
    const serverAck = await readServerAcks(
      [...system.gateways, ...system.shopGateways].map((g) => g.url),
      system.env.METRICS_TOKEN as string,
    ).catch(() => ({}));
    for (const p of procs) p.send({ type: 'finish' });

    o.log('stopping the system and auditing Postgres …');
    await system.stopProcesses();
    const serverLogs = [...system.gateways, ...system.shopGateways, ...system.workers].map((p) => ({
      role: p.role,
      pid: p.pid,
      tail: p.tail().slice(-4000),
    }));
    const merged = mergeResults(results);
    const correctness = await checkCorrectness(system.databaseUrl, event.id, merged.holds, merged.bookings);

    const holdSamples = (merged.latencies['seats:hold'] ?? []).filter(([, , c]) => c === '');
    const confirmSamples = (merged.latencies['hold:confirm'] ?? []).filter(([, , c]) => c === '');
    const span = (xs: [number, number, string][]) =>
      xs.length < 2 ? 1 : Math.max(1, (Math.max(...xs.map(([t, ms]) => t + ms)) - Math.min(...xs.map(([t]) => t))) / 1000);
    const holdsPerSecond = holdSamples.length / span(holdSamples);
    const points = timeline(merged, saleStart);
    const soldOut = [...merged.bookings].sort((a, b) => a.ackAt - b.ackAt);
    let soldSeats = 0;
    let soldOutAfterSeconds: number | null = null;
    for (const b of soldOut) {
      soldSeats += b.seatIds.length;
      if (soldSeats >= event.capacity) {
        soldOutAfterSeconds = (b.ackAt - saleStart) / 1000;
        break;
      }
    }
    const admitted = merged.admissions.filter((a) => a.admittedAt !== null);
    const waitedAdmits = admitted.filter((a) => !a.immediate).map((a) => a.admittedAt as number);
    const admitSpan = waitedAdmits.length > 1 ? (Math.max(...waitedAdmits) - Math.min(...waitedAdmits)) / 1000 : 0;
    const lag = fanoutLag(merged.commits, merged.observed);
    const connectFailures = connected.flatMap((c) => c.failures);
    return {
      startedAt,
      options,
      clients: {
        requested: o.clients,
        connected: connectedCount,
        connectFailures: o.clients - connectedCount,
        processes: processCount,
        failureSamples: connectFailures.slice(0, 5),
      },
      gatewayRss,
      rssPerConnectionKiB,
      rssPerSubscriberKiB,
      sale: {
        seconds: saleSeconds,
        soldOutAfterSeconds,
        holdsOk: holdSamples.length,
        confirmsOk: confirmSamples.length,
        releasesOk: merged.holds.filter((h) => h.released).length,
        holdsPerSecond,
        confirmsPerSecond: confirmSamples.length / span(confirmSamples),
        peakHoldsPerSecond: Math.max(0, ...points.map((p) => p.holdsOk)),
      },
      ack: ackLatencies(merged.latencies),
      holdPhases: holdPhases(merged.latencies['seats:hold'] ?? [], saleStart),
      fanout: { ...lag.lag, observers: merged.observed.length, missed: lag.missed },
      admission: {
        admitted: admitted.length,
        immediate: admitted.filter((a) => a.immediate).length,
        measuredPerSecond: admitSpan > 0 ? waitedAdmits.length / admitSpan : 0,
        configuredPerSecond: (o.admitPerTick * 1000) / o.tickMs,
        ...fairness(merged.admissions),
      },
      pgbench: pgbench ? { ...pgbench, holdsRatio: holdsPerSecond / pgbench.tps } : null,
      outcomes: merged.outcomes,
      pushes: merged.pushCounts,
      unexpectedErrors: { count: merged.unexpectedCount, samples: merged.unexpected.slice(0, 20) },
      correctness,
      timeline: points,
      serverLogs,
      serverAck,
      saleCpu,
    };
  } catch (err) {
    const tails = [...system.gateways, ...system.shopGateways, ...system.workers].map(
      (p) => `--- ${p.role} ${p.pid}\n${p.tail().slice(-3000)}`,
    );
    throw new Error(`${(err as Error).stack}\n${tails.join('\n')}`);
  } finally {
    killAll();
    process.off('exit', killAll);
    await system.stopProcesses();
    await system.cleanUp();
  }
}
