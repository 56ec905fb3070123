import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SchemaValidationError } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lightRow } from '../../core/db/light-row.js';
import { createPool, type Pool } from '../../core/db/pool.js';
import { sql } from '../../core/db/sql.js';
import { translatePgError } from '../../core/db/translate-pg-error.js';
import { withLockedTransaction } from '../../core/db/with-locked-transaction.js';
import { withTransaction } from '../../core/db/with-transaction.js';
import { AppError } from '../../core/domain/app-error.js';
import { runIdempotent, settledAfterLookup } from '../../core/use-cases/idempotency/run-idempotent.js';
import { createTestEnv } from '../support/test-env.js';

let url: string;
let pool: Pool;

beforeAll(async () => {
  url = (await createTestEnv()).databaseUrl;
  pool = createPool(url, 4);
});
afterAll(() => pool?.end());

const Count = z.object({ n: z.number() });

async function insertUser(db: Pool, email: string): Promise<void> {
  await db.query(sql.typeAlias('void')`INSERT INTO users (email, name, password_hash) VALUES (${email}, 'T', '$argon2id$x')`);
}

describe('the data layer (slonik on pg)', () => {
  it('refuses a row that does not match its zod type, naming the column', async () => {
    const err = await pool.one(sql.type(z.object({ n: z.number() }))`SELECT 'not a number'::text AS n`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaValidationError);
    expect((err as Error).message).toMatch(/n: Expected number, received string/);
    // Not a protocol error: it stays INTERNAL at the edge, never passes as data.
    expect(translatePgError(err)).toBe(err);
    // The connection it ran on is healthy and back in the pool.
    expect(await pool.oneFirst(sql.type(Count)`SELECT 1 AS n`)).toBe(1);
  });

  it('checks nested json and refuses a missing column', async () => {
    const Row = z.object({ seats: z.array(z.object({ id: z.string(), version: z.number() })) });
    await expect(
      pool.one(sql.type(Row)`SELECT json_build_array(json_build_object('id', 'a', 'version', 'x')) AS seats`),
    ).rejects.toThrow(SchemaValidationError);
    await expect(pool.one(sql.type(z.object({ missing: z.string() }))`SELECT 1 AS other`)).rejects.toThrow(/missing: Required/);
    // A statement that should return no rows but does is refused too.
    await expect(pool.query(sql.typeAlias('void')`SELECT 1 AS n`)).rejects.toThrow(SchemaValidationError);
  });

  it('refuses rows the light check of the hold path finds wrong, nested fields included', async () => {
    const Seat = z.object({ id: z.string(), status: z.enum(['available', 'held', 'sold']), version: z.number() });
    const Row = lightRow(z.object({ at: z.date(), seats: z.array(Seat), stored: z.object({ key: z.string() }).nullable() }));
    const ok = await pool.one(
      sql.type(Row)`SELECT now() AS at, json_build_array(json_build_object('id', 'a', 'status', 'held', 'version', 2)) AS seats,
        NULL::json AS stored`,
    );
    expect(ok.seats[0]?.version).toBe(2);
    await expect(
      pool.one(sql.type(
        Row,
      )`SELECT now() AS at, json_build_array(json_build_object('id', 'a', 'status', 'lost', 'version', 2)) AS seats,
        NULL::json AS stored`),
    ).rejects.toThrow(/seats: 0: status: expected one of available, held, sold, received lost/);
    await expect(pool.one(sql.type(Row)`SELECT 'now' AS at, '[]'::json AS seats, NULL::json AS stored`)).rejects.toThrow(
      /at: expected date, received string/,
    );
    await expect(pool.one(sql.type(Row)`SELECT now() AS at, '[]'::json AS seats`)).rejects.toThrow(SchemaValidationError);
  });

  it('checks json records in the light form: an object, each value of its kind', async () => {
    const Row = lightRow(z.object({ data: z.record(z.string(), z.number()).nullable() }));
    expect((await pool.one(sql.type(Row)`SELECT '{"a": 1, "b": 2}'::jsonb AS data`)).data).toEqual({ a: 1, b: 2 });
    expect((await pool.one(sql.type(Row)`SELECT NULL::jsonb AS data`)).data).toBeNull();
    await expect(pool.one(sql.type(Row)`SELECT '[1]'::jsonb AS data`)).rejects.toThrow(/data: expected object, received array/);
    await expect(pool.one(sql.type(Row)`SELECT '{"a": "x"}'::jsonb AS data`)).rejects.toThrow(
      /data: a: expected number, received string/,
    );
  });

  it('returns typed rows: int8 as numbers, timestamptz as dates', async () => {
    const row = await pool.one(
      sql.type(z.object({ big: z.number(), at: z.date() }))`SELECT 9007199254740991::int8 AS big, now() AS at`,
    );
    expect(row.big).toBe(Number.MAX_SAFE_INTEGER);
    expect(row.at).toBeInstanceOf(Date);
  });

  it('turns a unique violation into CONFLICT, with the original on cause', async () => {
    const email = `dup-${randomUUID()}@evently.test`;
    await insertUser(pool, email);
    const err = await insertUser(pool, email).catch((e: unknown) => e);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('23505');
    const translated = translatePgError(err);
    expect(translated).toBeInstanceOf(AppError);
    expect((translated as AppError).code).toBe('CONFLICT');
    // Inside a transaction too, which rolls back and leaves the connection usable.
    const inTx = await withTransaction(pool, async (tx) => {
      await tx.query(sql.typeAlias('void')`INSERT INTO users (email, name, password_hash) VALUES (${email}, 'T', '$argon2id$x')`);
    }).catch((e: unknown) => e);
    expect((translatePgError(inTx) as AppError).code).toBe('CONFLICT');
    expect(await pool.oneFirst(sql.type(Count)`SELECT count(*) AS n FROM users WHERE email = ${email}`)).toBe(1);
  });

  it('answers OVERLOADED with retryAfterMs at once when the bounded queue is full', async () => {
    const small = createPool(url, 1, { maxWaiting: 1, waitMs: 5000 });
    try {
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let running = () => {};
      const busyRuns = new Promise<void>((r) => {
        running = r;
      });
      const busy = small.connect(async () => {
        running();
        return held;
      });
      await busyRuns;
      const waiting = small.oneFirst(sql.type(Count)`SELECT 2 AS n`);
      expect(small.waitingCount).toBe(1);
      const started = performance.now();
      const refused = await small.oneFirst(sql.type(Count)`SELECT 3 AS n`).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(50);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('OVERLOADED');
      expect((refused as AppError).details).toMatchObject({ retryAfterMs: expect.any(Number) });
      release();
      await busy;
      expect(await waiting).toBe(2);
      expect(small.waitingCount).toBe(0);
    } finally {
      await small.end();
    }
  });

  it('answers OVERLOADED once a caller waited DB_QUEUE_WAIT_MS', async () => {
    const small = createPool(url, 1, { maxWaiting: 10, waitMs: 100 });
    try {
      // The one connection is busy once the routine runs (opening it can take longer than any
      // fixed sleep on a loaded machine, and a release called before that would be lost).
      let release = () => {};
      let running = () => {};
      const started = new Promise<void>((r) => {
        running = r;
      });
      const busy = small.connect(
        () =>
          new Promise<void>((r) => {
            release = r;
            running();
          }),
      );
      await started;
      const err = await small.oneFirst(sql.type(Count)`SELECT 1 AS n`).catch((e: unknown) => e);
      expect((translatePgError(err) as AppError).code).toBe('OVERLOADED');
      expect(small.waitingCount).toBe(0);
      release();
      await busy;
      expect(await small.oneFirst(sql.type(Count)`SELECT 1 AS n`)).toBe(1);
    } finally {
      await small.end();
    }
  });

  it('retries a deadlock whole and commits once', async () => {
    const a = `a-${randomUUID()}@evently.test`;
    const b = `b-${randomUUID()}@evently.test`;
    await insertUser(pool, a);
    await insertUser(pool, b);
    let attempts = 0;
    const lockBoth = (first: string, second: string) =>
      withTransaction(pool, async (tx) => {
        attempts++;
        await tx.query(sql.typeAlias('void')`UPDATE users SET name = 'x' WHERE email = ${first}`);
        await new Promise((r) => setTimeout(r, 100));
        await tx.query(sql.typeAlias('void')`UPDATE users SET name = 'y' WHERE email = ${second}`);
      });
    await Promise.all([lockBoth(a, b), lockBoth(b, a)]);
    expect(attempts).toBe(3); // one of the two was chosen as the deadlock victim and ran again
  });

  it('answers a terminated backend mid-transaction with a retryable OVERLOADED, and keeps serving', async () => {
    const err = await withTransaction(
      pool,
      async (tx) => {
        const pid = await tx.oneFirst(sql.type(z.object({ pid: z.number() }))`SELECT pg_backend_pid() AS pid`);
        await pool.query(sql.type(z.object({ ok: z.boolean() }))`SELECT pg_terminate_backend(${pid}) AS ok`);
        await tx.query(sql.type(Count)`SELECT 1 AS n`);
      },
      1,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('OVERLOADED');
    expect((err as AppError).retryable).toBe(true);
    for (let i = 0; i < 8; i++) expect(await pool.oneFirst(sql.type(Count)`SELECT 1 AS n`)).toBe(1);
  });

  it('keeps its connections after a socket reset mid-statement (slonik 47 would keep the dead one for good)', async () => {
    // A proxy in front of Postgres whose client sockets we reset: pg sees ECONNRESET while a
    // statement is in flight, the case where slonik's own driver never finished the destroy.
    const sockets = new Set<net.Socket>();
    const target = new URL(url);
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      sockets.add(client);
      const drop = () => {
        upstream.destroy();
        client.destroy();
        sockets.delete(client);
      };
      for (const s of [client, upstream]) {
        s.on('error', drop);
        s.on('close', drop);
      }
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const one = createPool(proxied.toString(), 1, { maxWaiting: 10, waitMs: 5000 });
    try {
      for (let round = 0; round < 3; round++) {
        const slow = one.query(sql.unsafe`SELECT pg_sleep(2)`).catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 200));
        for (const s of sockets) s.resetAndDestroy();
        expect((translatePgError(await slow) as AppError).code).toBe('OVERLOADED');
        // The one place of the pool is free again at once, not after a timeout.
        const started = performance.now();
        expect(await one.oneFirst(sql.type(Count)`SELECT 1 AS n`)).toBe(1);
        expect(performance.now() - started).toBeLessThan(2000);
      }
    } finally {
      await one.end();
      proxy.close();
    }
  });

  it('takes the event row before the advisory locks (an event cancellation holding it blocks both)', async () => {
    const eventId = await pool.oneFirst(
      sql.type(z.object({ id: z.string() }))`INSERT INTO events (name, venue, starts_at, sale_starts_at, max_seats_per_user,
         hold_ttl_seconds, capacity, admission_max_active, admission_admit_per_tick, admission_tick_ms, admission_session_ttl_seconds)
       VALUES ('e', 'v', now() + interval '1 day', now(), 6, 300, 1, 10, 1, 1000, 60) RETURNING id`,
    );
    const key = 424_242;
    const advisory = () =>
      pool.oneFirst(
        sql.type(Count)`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = ${key}`,
      );
    let commit = () => {};
    const committed = new Promise<void>((r) => {
      commit = r;
    });
    let locked = () => {};
    const eventLocked = new Promise<void>((r) => {
      locked = r;
    });
    const cancelling = withTransaction(pool, async (tx) => {
      await tx.query(sql.type(z.object({ id: z.string() }))`SELECT id FROM events WHERE id = ${eventId} FOR UPDATE`);
      locked();
      await committed;
    });
    await eventLocked;
    let ran = false;
    const holding = withLockedTransaction(pool, { eventId, keys: [String(key)] }, async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    // Waiting for the event row, and no advisory lock taken or asked for yet.
    expect(ran).toBe(false);
    expect(await advisory()).toBe(0);
    commit();
    await Promise.all([cancelling, holding]);
    expect(ran).toBe(true);
  });

  it('takes the event row and the advisory locks before the work of a locked transaction', async () => {
    const eventId = randomUUID();
    const locks = await withLockedTransaction(pool, { eventId, keys: ['7', '-3', '7'] }, (tx) =>
      tx.oneFirst(
        sql.type(Count)`SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted`,
      ),
    );
    expect(locks).toBe(2);
    // Lock keys are integers, never text spliced into a statement.
    expect(() => withLockedTransaction(pool, { eventId, keys: ['1; DROP TABLE users'] }, async () => 1)).toThrow();
  });
});

/** Product code reaches Postgres only through the `sql` tag: no statement written as a string. */
describe('runIdempotent (the one idempotency wrapper)', () => {
  it('answers a retryable failure from the stored reply, and passes on one its work settled after looking', async () => {
    const email = `idem-${randomUUID()}@evently.test`;
    await insertUser(pool, email);
    const userId = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM users WHERE email = ${email}`);
    const ref = { userId, key: 'k-1', command: 'seats:hold', requestHash: 'h-1' };
    await pool.query(
      sql.typeAlias('void')`INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
        VALUES (${userId}, ${ref.key}, ${ref.command}, ${ref.requestHash}, ${sql.jsonb({ holdId: 'stored' })})`,
    );
    const run = (err: Error) =>
      runIdempotent<{ holdId: string }, string>(pool, ref, {
        replayAfter: (e) => e instanceof AppError && e.code === 'SEAT_UNAVAILABLE',
        work: () => Promise.reject(err),
        replayed: (reply) => reply.holdId,
      });
    // A failure met before the work looked (a retry of a hold that was made): the stored reply.
    expect(await run(new AppError('SEAT_UNAVAILABLE', 'gone'))).toBe('stored');
    // A failure the work decided after reading this key under its locks: final, as it is.
    const settled = settledAfterLookup(new AppError('SEAT_UNAVAILABLE', 'taken in this batch'));
    await expect(run(settled)).rejects.toBe(settled);
    // Failures that are not replayable are never looked up, settled or not.
    const other = new AppError('VALIDATION_FAILED', 'bad');
    await expect(run(other)).rejects.toBe(other);
    // The same key for another request is a CONFLICT when looked up.
    const conflict = await runIdempotent(
      pool,
      { ...ref, requestHash: 'h-2' },
      {
        replayAfter: () => true,
        work: () => Promise.reject(new AppError('SEAT_UNAVAILABLE', 'gone')),
        replayed: () => 'replayed',
      },
    ).catch((e: unknown) => e);
    expect(conflict instanceof AppError && conflict.code).toBe('CONFLICT');
  });
});

describe('no string-built SQL in product code', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      if (name === 'node_modules' || name === 'web') return [];
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  it('calls query/any/one/... with a sql token, never a string', () => {
    const offenders: string[] = [];
    for (const dir of ['core', 'gateway', 'workers', 'scripts']) {
      for (const file of files(path.join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        const calls =
          /\b(pool|tx|db|connection|c)\.(query|any|anyFirst|one|oneFirst|maybeOne|maybeOneFirst|many|manyFirst|exists)\(\s*[`'"]/g;
        for (const m of text.matchAll(calls)) {
          // The migration runner hands node-pg-migrate its own pg client (see core/db/migrate.ts).
          if (file.endsWith(path.join('core', 'db', 'migrate.ts'))) continue;
          offenders.push(`${path.relative(root, file)}: ${m[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
