import {
  type CommonQueryMethods,
  createPool as createSlonikPool,
  type DatabasePool,
  type DatabasePoolConnection,
  type DatabaseTransactionConnection,
  type QuerySqlToken,
} from 'slonik';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { connectKeeping } from './connect-keeping.js';
import { createDriverFactory } from './create-driver-factory.js';
import { createHostLocator } from './host-locator.js';
import { createResultParserInterceptor } from './result-parser-interceptor.js';

/** The pool or one transaction's connection: every statement runs through one of these. */
export type Db = CommonQueryMethods;
/** The connection of one transaction (withTransaction, pool.transaction). */
export type Tx = DatabaseTransactionConnection;

export interface PoolLimits {
  /** Callers waiting for a connection beyond this many are refused at once with OVERLOADED. */
  maxWaiting: number;
  /** Longest wait for a connection; past it the caller gets OVERLOADED. */
  waitMs: number;
}

const UNBOUNDED: PoolLimits = { maxWaiting: Number.POSITIVE_INFINITY, waitMs: 5000 };

/** A client should come back once about this many queue turns have passed. */
export function retryAfterMsFor(pool: { waitingCount: number; max: number }): number {
  const turns = Math.ceil((pool.waitingCount + 1) / Math.max(1, pool.max));
  return Math.min(5000, 50 * turns);
}

export function overloaded(pool: { waitingCount: number; max: number }, message = 'the database queue is full'): AppError {
  return new AppError('OVERLOADED', message, { retryAfterMs: retryAfterMsFor(pool) }, true);
}

/** The message of a wait for a connection that lasted `waitMs` (pg-pool's, which callers knew). */
const WAIT_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/** True when a caller waited `DB_QUEUE_WAIT_MS` for a connection and gave up. */
export function isPoolWaitTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === WAIT_TIMEOUT_MESSAGE;
}

/**
 * pg-style access (`query(text, values)`, `connect()` then `release()`) for tests that drive
 * Postgres directly. Product code uses the `sql` tag; these run through the same slonik pool and
 * bounded queue, with untyped rows.
 */
export interface PgStyleResult<R> {
  rows: R[];
  rowCount: number | null;
}
export interface Queryable {
  query<R = any>(text: string, values?: readonly unknown[]): Promise<PgStyleResult<R>>;
}
export interface PoolClient extends Queryable {
  release(): void;
}

/**
 * The process's one Postgres pool: slonik on pg, behind the bounded queue. Created synchronously
 * (slonik's own factory is async: it reads type oids once), so the first statement waits for it.
 */
export interface Pool extends Omit<CommonQueryMethods, 'query'> {
  query: CommonQueryMethods['query'] & Queryable['query'];
  connect: (<T>(routine: (connection: DatabasePoolConnection) => Promise<T>) => Promise<T>) & (() => Promise<PoolClient>);
  end(): Promise<void>;
  /** Callers queued for a connection (the admission controller and `evently_db_queue_depth` read it). */
  readonly waitingCount: number;
  /** Open connections, busy or idle. */
  readonly totalCount: number;
  readonly idleCount: number;
  /** Connections at most (DB pool size). */
  readonly max: number;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * At most `max` callers use the pool at once; the rest queue here, not in slonik's pool (which
 * has no bound and no wait timeout, and could not drop a waiter that gave up): a caller beyond
 * `maxWaiting` waiters is refused at once, and none waits longer than `waitMs`.
 */
function createGate(max: number, limits: PoolLimits) {
  let active = 0;
  const waiters: Waiter[] = [];
  const gate = {
    get waiting() {
      return waiters.length;
    },
    acquire(): Promise<void> | undefined {
      if (active < max) {
        active++;
        return undefined;
      }
      if (waiters.length >= limits.maxWaiting) throw overloaded({ waitingCount: waiters.length, max });
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(WAIT_TIMEOUT_MESSAGE));
          }, limits.waitMs),
        };
        waiters.push(waiter);
      });
    },
    release() {
      const next = waiters.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(); // the permit passes on: `active` stays
      } else active--;
    },
    async run<T>(work: () => Promise<T>): Promise<T> {
      const wait = gate.acquire();
      if (wait) await wait;
      try {
        return await work();
      } finally {
        gate.release();
      }
    },
  };
  return gate;
}

const QUERY_TOKEN = Symbol.for('SLONIK_TOKEN_QUERY');

/** A statement written as pg text with $n placeholders (pg-style callers: tests). */
function pgStyleToken(text: string, values: readonly unknown[] = []): QuerySqlToken {
  return { type: QUERY_TOKEN, sql: text, values, parser: z.any() } as unknown as QuerySqlToken;
}

/** int8 (COUNT(*), SUM, bigint ids) come back as numbers: ours fit in a JS number. */
const INT8_AS_NUMBER = { name: 'int8', parse: (v: string) => Number.parseInt(v, 10) };

/**
 * The process's one slonik pool, with the bounded queue in front of Postgres (createGate) and
 * these settings kept from the pg pool it replaces:
 * - a connection that a backend termination (failover, pg_terminate_backend) broke never crashes
 *   the process and is destroyed, never handed out again: slonik's pg driver listens for client
 *   errors and destroys the client, and the pool's own 'error' event (slonik emits every failed
 *   statement there) has a listener;
 * - no DISCARD ALL on every release (slonik's default reset: one more round trip per statement;
 *   our transactions end with COMMIT or ROLLBACK and take only transaction-level locks);
 * - no statement or idle-in-transaction timeouts, and no retries of single statements: deadlocks
 *   and serialization failures are retried by withTransaction, whole.
 */
export function createPool(databaseUrl: string, max: number, limits: PoolLimits = UNBOUNDED): Pool {
  const gate = createGate(max, limits);
  // DATABASE_URL may name several hosts: every new connection goes to the one that accepts writes.
  const locator = createHostLocator(databaseUrl);
  let slonik: Promise<DatabasePool> | null = null;
  let current: DatabasePool | null = null;
  let ended = false;
  const open = (): Promise<DatabasePool> => {
    if (ended) return Promise.reject(new Error('the database pool has ended'));
    slonik ??= createSlonikPool(locator.urls[0] as string, {
      maximumPoolSize: max,
      connectionTimeout: limits.waitMs,
      idleTimeout: 10_000,
      statementTimeout: 'DISABLE_TIMEOUT',
      idleInTransactionSessionTimeout: 'DISABLE_TIMEOUT',
      queryRetryLimit: 0,
      transactionRetryLimit: 0,
      // No DISCARD ALL, but a reset that yields: without one slonik 47's driver finishes its
      // release synchronously and then marks the client PENDING_RELEASE for good (it is only
      // reused once the idle timeout destroys it), measured: every second statement waited 10 s.
      resetConnection: async () => {},
      typeParsers: [INT8_AS_NUMBER],
      interceptors: [createResultParserInterceptor()],
      driverFactory: createDriverFactory(locator),
    }).then(
      (p) => {
        p.on('error', () => {});
        current = p;
        return p;
      },
      (err) => {
        // Postgres was unreachable: the next caller tries again instead of inheriting this failure.
        slonik = null;
        throw err;
      },
    );
    return slonik;
  };
  const through =
    <K extends keyof CommonQueryMethods>(method: K) =>
    (...args: any[]) =>
      gate.run(async () => {
        const p = await open();
        return connectKeeping(p.connect, (connection) => (connection[method] as (...a: unknown[]) => Promise<unknown>)(...args));
      });

  const checkOut = async (): Promise<PoolClient> => {
    const wait = gate.acquire();
    if (wait) await wait;
    let p: DatabasePool;
    try {
      p = await open();
    } catch (err) {
      gate.release();
      throw err;
    }
    return new Promise<PoolClient>((resolve, reject) => {
      let release = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      p.connect(async (connection) => {
        resolve({ query: (text, values) => connection.query(pgStyleToken(text, values)) as never, release });
        await released;
      })
        .catch(reject)
        .finally(() => gate.release());
    });
  };

  const pool = {
    any: through('any'),
    anyFirst: through('anyFirst'),
    exists: through('exists'),
    many: through('many'),
    manyFirst: through('manyFirst'),
    maybeOne: through('maybeOne'),
    maybeOneFirst: through('maybeOneFirst'),
    one: through('one'),
    oneFirst: through('oneFirst'),
    stream: through('stream'),
    transaction: through('transaction'),
    query: (token: QuerySqlToken | string, values?: readonly unknown[]) =>
      gate.run(async () =>
        connectKeeping((await open()).connect, (connection) =>
          connection.query(typeof token === 'string' ? pgStyleToken(token, values) : token),
        ),
      ),
    connect: (routine?: (connection: DatabasePoolConnection) => Promise<unknown>) =>
      routine ? gate.run(async () => (await open()).connect(routine)) : checkOut(),
    async end() {
      ended = true;
      const p = slonik;
      slonik = null;
      current = null;
      if (p) await (await p.catch(() => null))?.end();
    },
    get waitingCount() {
      return gate.waiting;
    },
    get totalCount() {
      const s = current?.state();
      return s ? s.acquiredConnections + s.idleConnections + s.pendingConnections + s.pendingReleaseConnections : 0;
    },
    get idleCount() {
      return current?.state().idleConnections ?? 0;
    },
    max,
  };
  return pool as unknown as Pool;
}
