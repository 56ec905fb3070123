/**
 * `npx tsx load-tests/harness/measure-fanout.ts [--subscribers 10000] [--gateways 2] [--rounds 40] [--format compact|full]`
 *
 * Fan-out lag from commit to delivery and memory per connected socket. Starts a fresh system
 * (N gateways, one worker), spreads anonymous seat-map subscribers evenly over the gateways from
 * several load-generator processes (a process holds at most ~19,970 sockets here), then makes one
 * hold per round through gateway 1 and records when each subscriber gets the `seats:changed`.
 *
 * Lag is bounded on both sides: the hold commits after the command is sent and before its ack
 * arrives, so `delivery - ack` is at most the commit-to-delivery lag and `delivery - sent` at
 * least it. Memory: gateway RSS (and V8 heap) with every subscriber connected and subscribed,
 * minus the same before the first connection, divided by that gateway's sockets.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { connectEio, type EioClient, nowMs } from './eio-client.js';
import { readRssKiB, startSystem } from './start-system.js';

type ToChild =
  | { type: 'connect'; urls: string[]; count: number; offset: number; eventId: string; format: 'compact' | 'full' }
  | { type: 'round'; round: number }
  | { type: 'report'; round: number }
  | { type: 'exit' };
type FromChild =
  | { type: 'connected'; connected: number; failed: number }
  | { type: 'ready'; round: number }
  /** Arrival times per gateway index (which gateway each socket is connected to). */
  | { type: 'arrivals'; round: number; at: number[][] };

const ADMIN = { email: 'fanout-admin@evently.test', password: 'fanout-admin-password' };

if (process.argv.includes('--child')) runChild();
else await runOrchestrator();

/** A load generator: bare Engine.IO sockets, one timestamp per subscriber per round. */
function runChild(): void {
  const sockets: EioClient[] = [];
  let round = -1;
  let arrivals: number[][] = [];
  const send = (m: FromChild) => process.send?.(m);
  const onPushVia = (gateway: number) => (name: string) => {
    if (name !== 'seats:changed' && name !== 'seats:delta') return;
    const list = arrivals[gateway];
    if (list) list.push(nowMs());
    else arrivals[gateway] = [nowMs()];
  };
  process.on('message', async (m: ToChild) => {
    if (m.type === 'connect') {
      let failed = 0;
      let next = 0;
      const lanes = Array.from({ length: 100 }, async () => {
        while (next < m.count) {
          const i = next++;
          const gateway = (m.offset + i) % m.urls.length;
          try {
            const s = await connectEio(m.urls[gateway] as string, undefined, onPushVia(gateway));
            const payload = m.format === 'compact' ? { eventId: m.eventId, format: 'compact' } : { eventId: m.eventId };
            const sub = await s.emit('seats:subscribe', payload, { skipReply: true, timeoutMs: 60_000 });
            if (!sub.ack.ok) throw new Error(sub.ack.error?.code);
            sockets.push(s);
          } catch {
            failed++;
          }
        }
      });
      await Promise.all(lanes);
      send({ type: 'connected', connected: sockets.length, failed });
    } else if (m.type === 'round') {
      round = m.round;
      arrivals = [];
      send({ type: 'ready', round });
    } else if (m.type === 'report') {
      send({ type: 'arrivals', round: m.round, at: arrivals });
    } else if (m.type === 'exit') {
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
}

/** A full GC in another Node process through its inspector (CDP HeapProfiler.collectGarbage). */
async function collectGarbage(stderr: string): Promise<void> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
  if (!url) throw new Error('gateway inspector not found; was NODE_OPTIONS=--inspect passed?');
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await new Promise<void>((resolve) => {
    ws.on('message', (d) => {
      if ((JSON.parse(d.toString()) as { id?: number }).id === 1) resolve();
    });
    ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
  });
  ws.close();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function metricValue(url: string, name: string, metricsToken: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function runOrchestrator(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '10000' },
      gateways: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '40' },
      'per-process': { type: 'string', default: '5000' },
      adapter: { type: 'string', default: 'sharded' },
      format: { type: 'string', default: 'compact' },
    },
  });
  const subscribers = Number(values.subscribers);
  const perProcess = Math.min(Number(values['per-process']), 19_000);
  const rounds = Number(values.rounds);
  const system = await startSystem({
    adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    gateways: Number(values.gateways),
    workers: 1,
    pgPoolSize: 10,
    admin: ADMIN,
    // The inspector (random port) lets the harness run a full GC before each memory sample.
    env: { SOCKET_ADAPTER: String(values.adapter), LOG_LEVEL: 'error', NODE_OPTIONS: '--inspect=127.0.0.1:0' },
  });
  const children: ReturnType<typeof fork>[] = [];
  try {
    const urls = system.gateways.map((g) => g.url);
    const gw1 = urls[0] as string;
    const admin = await postJson<{ accessToken: string }>(`${gw1}/api/auth/login`, ADMIN);
    const event = await postJson<{ id: string }>(
      `${gw1}/api/admin/events`,
      {
        name: 'Fan-out',
        venue: 'Hall',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        maxSeatsPerUser: 100,
        holdTtlSeconds: 3600,
        sections: [{ name: 'A', priceCents: 1000, rows: 10, seatsPerRow: Math.max(10, Math.ceil(rounds / 10)) }],
        admission: { maxActive: 1000, admitPerTick: 1000, tickMs: 100, sessionTtlSeconds: 3600 },
      },
      admin.accessToken,
    );

    // The holder: a user admitted to the event, on gateway 1.
    const user = await postJson<{ accessToken: string }>(`${gw1}/api/auth/register`, {
      email: `holder-${Date.now()}@evently.test`,
      password: 'holder-password',
      name: 'Holder',
    });
    let admissionToken = '';
    let onAdmitted: () => void = () => {};
    const admitted = new Promise<void>((resolve) => {
      onAdmitted = resolve;
    });
    const holder = await connectEio(gw1, user.accessToken, (name, raw) => {
      if (name !== 'queue:admitted') return;
      admissionToken = (JSON.parse(raw) as { admissionToken: string }).admissionToken;
      onAdmitted();
    });
    const joined = await holder.emit('queue:join', { eventId: event.id });
    if (joined.ack.ok && joined.ack.data.state === 'admitted') {
      admissionToken = joined.ack.data.admissionToken;
      onAdmitted();
    }
    await admitted;

    const gatewayPids = system.gateways.map((g) => g.pid);
    // After a full GC in each gateway: garbage of the connection phase is not per-socket memory.
    const settledMemory = async () => {
      await Promise.all(system.gateways.map((g) => collectGarbage(g.tail())));
      await new Promise((r) => setTimeout(r, 500));
      return {
        rss: gatewayPids.map((pid) => readRssKiB(pid) ?? Number.NaN),
        heap: await Promise.all(
          urls.map((u) => metricValue(u, 'nodejs_heap_size_used_bytes', system.env.METRICS_TOKEN as string)),
        ),
      };
    };
    const { rss: rssBefore, heap: heapBefore } = await settledMemory();

    // Load generators, each connecting its share alternately to every gateway.
    const processes = Math.ceil(subscribers / perProcess);
    const script = fileURLToPath(import.meta.url);
    const replies = new Map<ReturnType<typeof fork>, (m: FromChild) => void>();
    const ask = (c: ReturnType<typeof fork>, m: ToChild) =>
      new Promise<FromChild>((resolve) => {
        replies.set(c, resolve);
        c.send(m);
      });
    for (let p = 0; p < processes; p++) {
      const c = fork(script, ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      c.on('message', (m: FromChild) => replies.get(c)?.(m));
      children.push(c);
    }
    const connectStarted = Date.now();
    const connected = await Promise.all(
      children.map((c, p) =>
        ask(c, {
          type: 'connect',
          format: values.format === 'full' ? 'full' : 'compact',
          urls,
          count: Math.min(perProcess, subscribers - p * perProcess),
          offset: p,
          eventId: event.id,
        }),
      ),
    );
    const total = connected.reduce((n, m) => n + (m.type === 'connected' ? m.connected : 0), 0);
    const failed = connected.reduce((n, m) => n + (m.type === 'connected' ? m.failed : 0), 0);
    const connectSeconds = (Date.now() - connectStarted) / 1000;
    const { rss: rssAfter, heap: heapAfter } = await settledMemory();
    const socketsPerGateway = await Promise.all(
      urls.map((u) => metricValue(u, 'evently_socket_connections{namespace="/"', system.env.METRICS_TOKEN as string)),
    );

    // Rounds: one hold through gateway 1, every subscriber's delivery time.
    const fromAck: number[] = [];
    const fromSent: number[] = [];
    const fromAckByGateway: number[][] = urls.map(() => []);
    let missing = 0;
    const seatMap = await holder.emit('seats:subscribe', { eventId: event.id });
    const seatIds = (seatMap.ack.data as { seats: { id: string }[] }).seats.map((s) => s.id);
    await holder.emit('seats:unsubscribe', { eventId: event.id });
    for (let r = 0; r < rounds; r++) {
      await Promise.all(children.map((c) => ask(c, { type: 'round', round: r })));
      const hold = await holder.emit('seats:hold', {
        eventId: event.id,
        admissionToken,
        idempotencyKey: `fanout-${r}`,
        seatIds: [seatIds[r]],
      });
      if (!hold.ack.ok) throw new Error(`hold failed: ${JSON.stringify(hold.ack.error)}\n${system.gateways[0]?.tail()}`);
      // Wait until every subscriber has it (or 10 s), then collect.
      const deadline = Date.now() + 10_000;
      let got: number[][] = [];
      for (;;) {
        await new Promise((res) => setTimeout(res, 100));
        const reports = await Promise.all(children.map((c) => ask(c, { type: 'report', round: r })));
        got = urls.map((_, g) => reports.flatMap((m) => (m.type === 'arrivals' ? (m.at[g] ?? []) : [])));
        if (got.flat().length >= total || Date.now() > deadline) break;
      }
      missing += Math.max(0, total - got.flat().length);
      got.forEach((list, g) => {
        for (const at of list) {
          fromAck.push(at - hold.ackAt);
          fromSent.push(at - hold.sentAt);
          fromAckByGateway[g]?.push(at - hold.ackAt);
        }
      });
    }
    fromAck.sort((a, b) => a - b);
    fromSent.sort((a, b) => a - b);
    for (const list of fromAckByGateway) list.sort((a, b) => a - b);
    const gatewayLag = await Promise.all(
      urls.map(async (u) => {
        const sum = await metricValue(u, 'evently_fanout_lag_seconds_sum', system.env.METRICS_TOKEN as string);
        const count = await metricValue(u, 'evently_fanout_lag_seconds_count', system.env.METRICS_TOKEN as string);
        return count > 0 ? (sum / count) * 1000 : Number.NaN;
      }),
    );

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const lines = [
      `subscribers connected: ${total} (failed ${failed}) over ${urls.length} gateways in ${connectSeconds.toFixed(1)} s, ${processes} load processes`,
      `sockets per gateway (evently_socket_connections): ${socketsPerGateway.join(', ')}`,
      `rounds: ${rounds}, deliveries: ${fromAck.length}, missing: ${missing}, adapter: ${values.adapter}`,
      `commit->delivery lag, upper bound (delivery - command sent): p50 ${ms(percentile(fromSent, 50))}, p90 ${ms(percentile(fromSent, 90))}, p99 ${ms(percentile(fromSent, 99))}, max ${ms(fromSent.at(-1) ?? Number.NaN)}`,
      `commit->delivery lag, lower bound (delivery - ack received): p50 ${ms(percentile(fromAck, 50))}, p90 ${ms(percentile(fromAck, 90))}, p99 ${ms(percentile(fromAck, 99))}, max ${ms(fromAck.at(-1) ?? Number.NaN)}`,
      ...fromAckByGateway.map(
        (list, g) =>
          `  subscribers on gateway ${g + 1}${g === 0 ? ' (where the hold commits)' : ''}: p50 ${ms(percentile(list, 50))}, p99 ${ms(percentile(list, 99))}`,
      ),
      `publish lag on gateway 1 (evently_fanout_lag_seconds mean: commit to emit, incl. the coalescing window): ${ms(gatewayLag[0] ?? Number.NaN)}`,
      ...gatewayPids.map((pid, i) => {
        const n = socketsPerGateway[i] || 1;
        const rss = ((rssAfter[i] as number) - (rssBefore[i] as number)) * 1024;
        const heap = (heapAfter[i] as number) - (heapBefore[i] as number);
        return `gateway ${i + 1} (pid ${pid}): RSS ${((rssBefore[i] as number) / 1024).toFixed(0)} -> ${((rssAfter[i] as number) / 1024).toFixed(0)} MiB, ${(rss / n / 1024).toFixed(1)} KiB RSS and ${(heap / n / 1024).toFixed(1)} KiB V8 heap per socket`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    holder.close();
  } finally {
    for (const c of children) c.send({ type: 'exit' } satisfies ToChild);
    await system.stopProcesses();
    await system.cleanUp();
  }
}
