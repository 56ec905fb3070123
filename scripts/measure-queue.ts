/**
 * Waiting-room figures on this machine: Redis memory per 100,000 waiting users, time and CPU of one
 * `queue:position` pass (gateway-side rank reads) over every waiting user, admission rate achieved vs
 * configured with the real BullMQ admitter. Uses a throwaway database and Redis prefix.
 *   npx tsx scripts/measure-queue.ts            (WAITING=100000 to change)
 * Env: MEASURE_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *      MEASURE_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { QuerySqlToken } from 'slonik';
import { loadConfig } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { createPool } from '../core/db/pool.js';
import { sql } from '../core/db/sql.js';
import { createLogger } from '../core/log.js';
import { connectRedis } from '../core/redis/connect-redis.js';
import { createKeys } from '../core/redis/keys.js';
import { createEvent } from '../core/use-cases/catalog/create-event.js';
import { controlAdmission } from '../core/use-cases/waiting-room/control-admission.js';
import { joinQueue } from '../core/use-cases/waiting-room/join-queue.js';
import { loadAdmissionControl } from '../core/use-cases/waiting-room/load-admission-control.js';
import { readQueuePlaces } from '../core/use-cases/waiting-room/read-queue-places.js';
import { startWorkers } from '../workers/start-workers.js';

const WAITING = Number(process.env.WAITING ?? 100_000);
const adminUrl = process.env.MEASURE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.MEASURE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const id = randomBytes(4).toString('hex');
const database = `evently_measure_${id}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(statement: QuerySqlToken) {
  const c = createPool(adminUrl, 1);
  await c.query(statement).finally(() => c.end());
}

const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${database}`;
const config = loadConfig({
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `measure:${id}:`,
  JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
  ADMISSION_TOKEN_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'warn',
  QUEUE_POSITION_PUSH_MS: '60000',
});
await admin(sql.typeAlias('void')`CREATE DATABASE ${sql.identifier([database])}`);
const pool = createPool(config.databaseUrl, 4);
const redis = connectRedis(redisUrl);
const keys = createKeys(config.redisPrefix);
try {
  await migrate(config.databaseUrl);
  const event = await createEvent(
    pool,
    {
      name: 'Measure',
      venue: 'Here',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      sections: [{ name: 'A', priceCents: 100, rows: 1, seatsPerRow: 10 }],
      admission: { maxActive: 1_000_000, admitPerTick: 100, tickMs: 100, sessionTtlSeconds: 3600 },
    },
    { holdTtlSeconds: 300, maxSeatsPerUser: 6, admission: config.admission },
    null,
    new Date(),
  );
  const eventId = event.id;
  const deps = { pool, redis, keys, admissionTokenSecret: config.admissionTokenSecret, challenge: config.challenge };
  await controlAdmission(deps, { eventId, action: 'pause' }, randomUUID());

  // 1. Memory of the queue per 100,000 waiting users.
  const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  let started = performance.now();
  for (let i = 0; i < WAITING; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, WAITING - i) }, () => joinQueue(deps, eventId, randomUUID(), new Date())),
    );
  }
  const joinMs = performance.now() - started;
  const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  const queueBytes = Number(await redis.call('MEMORY', 'USAGE', keys.queue(eventId), 'SAMPLES', '0'));
  console.log(`joins: ${WAITING} in ${joinMs.toFixed(0)} ms (${((WAITING / joinMs) * 1000).toFixed(0)}/s, one process)`);
  console.log(
    `memory: queue key ${(queueBytes / 1048576).toFixed(2)} MiB, used_memory delta ${((after - before) / 1048576).toFixed(2)} MiB ` +
      `for ${WAITING} waiting -> ${(((queueBytes / WAITING) * 100_000) / 1048576).toFixed(2)} MiB per 100,000`,
  );

  // 2. Position passes as a gateway runs them once a second for its own waiting sockets: one
  // chunked, pipelined batch of rank reads, no pub/sub message per user. Measured over the whole
  // queue (as if every waiting user were on this one gateway), with gateway and Redis CPU.
  const control = await loadAdmissionControl(deps, eventId);
  const users = await redis.zrange(keys.queue(eventId), '0', '-1');
  const redisCpu = async () => {
    const info = await redis.info('cpu');
    return Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]);
  };
  for (const label of ['position pass (warm-up)', 'position pass', 'position pass']) {
    const cpu0 = process.cpuUsage();
    const r0 = await redisCpu();
    started = performance.now();
    const places = await readQueuePlaces(deps, control, users, Date.now());
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const gatewayCpuMs = (cpu.user + cpu.system) / 1000;
    const redisCpuMs = ((await redisCpu()) - r0) * 1000;
    console.log(
      `${label}: ${places.size} waiting users in ${ms.toFixed(0)} ms; gateway CPU ${gatewayCpuMs.toFixed(0)} ms, ` +
        `Redis CPU ${redisCpuMs.toFixed(0)} ms -> ${(((gatewayCpuMs + redisCpuMs) * 1000) / places.size).toFixed(2)} µs CPU per waiting user per second`,
    );
  }

  // 3. Admission rate achieved by the BullMQ admitter vs configured.
  const workers = await startWorkers(config, createLogger('warn', {}));
  for (const [admitPerTick, tickMs] of [
    [100, 100],
    [500, 100],
    [50, 1000],
  ] as const) {
    await controlAdmission(deps, { eventId, action: 'configure', admitPerTick, tickMs }, randomUUID());
    await controlAdmission(deps, { eventId, action: 'resume' }, randomUUID());
    await sleep(1500); // let the scheduler pick up the interval
    const from = Number(await redis.hget(keys.admissionStats(eventId), 'admitted'));
    const t0 = performance.now();
    await sleep(5000);
    const admitted = Number(await redis.hget(keys.admissionStats(eventId), 'admitted')) - from;
    const seconds = (performance.now() - t0) / 1000;
    await controlAdmission(deps, { eventId, action: 'pause' }, randomUUID());
    console.log(
      `admission: configured ${admitPerTick}/${tickMs} ms = ${((admitPerTick * 1000) / tickMs).toFixed(0)}/s, ` +
        `achieved ${(admitted / seconds).toFixed(0)}/s over ${seconds.toFixed(1)} s`,
    );
  }
  await workers.close();
} finally {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${config.redisPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== '0');
  redis.disconnect();
  await pool.end();
  await admin(sql.typeAlias('void')`DROP DATABASE IF EXISTS ${sql.identifier([database])} WITH (FORCE)`);
}
