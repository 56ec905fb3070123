import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findWritableUrl } from '../../core/db/host-locator.js';
import { createPool, type Pool } from '../../core/db/pool.js';
import { sql } from '../../core/db/sql.js';
import { translatePgError } from '../../core/db/translate-pg-error.js';
import { withTransaction } from '../../core/db/with-transaction.js';
import { AppError } from '../../core/domain/app-error.js';
import { type PgServer, query, startPgServer } from '../support/pg-replicated.js';

/**
 * Two standalone servers named by one libpq multi-host URL: which one accepts writes is switched
 * by making a server read-only (default_transaction_read_only, reloaded into live sessions: what a
 * demoted primary answers, SQLSTATE 25006) or by killing it.
 */
let a: PgServer;
let b: PgServer;
let pool: Pool;
let url: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startPgServer(), startPgServer()]);
  for (const s of [a, b]) await query(s.port, 'CREATE TABLE marks (port int NOT NULL, n int NOT NULL)', 'evently');
  url = `postgres://postgres@127.0.0.1:${a.port},127.0.0.1:${b.port}/evently`;
  pool = createPool(url, 4, { maxWaiting: 100, waitMs: 3000 });
}, 60_000);
afterAll(async () => {
  await pool?.end();
});

async function setReadOnly(port: number, on: boolean): Promise<void> {
  await query(
    port,
    on ? 'ALTER SYSTEM SET default_transaction_read_only = on' : 'ALTER SYSTEM RESET default_transaction_read_only',
  );
  await query(port, 'SELECT pg_reload_conf()');
}

/** One write; returns the port of the server that took it, or the protocol error it became. */
async function write(n: number): Promise<number | AppError> {
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query(sql.typeAlias('void')`INSERT INTO marks (port, n) VALUES (inet_server_port(), ${n})`);
      return tx.oneFirst(sql.type(z.object({ p: z.number() }))`SELECT inet_server_port() AS p`);
    });
  } catch (err) {
    const e = translatePgError(err);
    if (e instanceof AppError) return e;
    throw err;
  }
}

/** Writes until one lands; what the callers saw on the way. */
async function writeUntilLanded(from: number, limitMs = 15_000) {
  const started = Date.now();
  const codes: string[] = [];
  for (let n = from; Date.now() - started < limitMs; n++) {
    const r = await write(n);
    if (typeof r === 'number') return { port: r, codes, ms: Date.now() - started };
    codes.push(`${r.code}${r.retryable ? '' : '(final)'}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  return { port: null, codes, ms: Date.now() - started };
}

describe('a multi-host DATABASE_URL', () => {
  it('writes to the first host that accepts writes, moves when it turns read-only (25006) or dies, and says OVERLOADED meanwhile', async () => {
    expect(await write(1)).toBe(a.port);
    expect(await findWritableUrl(url)).toBe(a.url);

    // a is demoted: the pooled connection's next write is refused (25006) -> OVERLOADED, then b.
    await setReadOnly(a.port, true);
    const toB = await writeUntilLanded(100);
    console.log(`multi-host: a read-only -> writes on b after ${toB.ms} ms, callers saw ${JSON.stringify(toB.codes)}`);
    expect(toB.port).toBe(b.port);
    expect(toB.codes.every((c) => c === 'OVERLOADED')).toBe(true);
    expect(await findWritableUrl(url)).toBe(b.url);

    // b dies, a takes writes again.
    await b.kill();
    await setReadOnly(a.port, false);
    const toA = await writeUntilLanded(200);
    console.log(`multi-host: b killed, a writable -> writes on a after ${toA.ms} ms, callers saw ${JSON.stringify(toA.codes)}`);
    expect(toA.port).toBe(a.port);
    expect(toA.codes.every((c) => c === 'OVERLOADED')).toBe(true);

    // Nothing accepts writes: a caller is answered (retryable), not left waiting.
    await setReadOnly(a.port, true);
    const started = Date.now();
    const none = [await write(300), await write(301)];
    const answeredMs = Date.now() - started;
    console.log(`multi-host: no writable host -> answered in ${answeredMs} ms`);
    for (const r of none) expect(r).toMatchObject({ code: 'OVERLOADED', retryable: true });
    expect(answeredMs).toBeLessThan(10_000);

    // Every acknowledged write is where it was acknowledged.
    const onA = await query<{ n: number }>(a.port, 'SELECT n FROM marks ORDER BY n', 'evently');
    expect(onA.map((r) => r.n)).toEqual([1, 200 + toA.codes.length]);
  }, 60_000);
});
