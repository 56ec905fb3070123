import pg from 'pg';
import { AppError } from '../domain/app-error.js';

// bigint counts (COUNT(*), SUM) come back as strings by default; ours fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

export interface PoolLimits {
  /** Callers waiting for a connection beyond this many are refused at once with OVERLOADED. */
  maxWaiting: number;
  /** Longest wait for a connection; past it the caller gets OVERLOADED (pg-pool's timeout). */
  waitMs: number;
}

const UNBOUNDED: PoolLimits = { maxWaiting: Number.POSITIVE_INFINITY, waitMs: 5000 };

/** What pg-pool throws when `connectionTimeoutMillis` passed while waiting for a client. */
export function isPoolWaitTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'timeout exceeded when trying to connect';
}

/** A client should come back once about this many queue turns have passed. */
export function retryAfterMsFor(pool: Pool): number {
  const turns = Math.ceil((pool.waitingCount + 1) / Math.max(1, pool.options.max ?? 10));
  return Math.min(5000, 50 * turns);
}

export function overloaded(pool: Pool, message = 'the database queue is full'): AppError {
  return new AppError('OVERLOADED', message, { retryAfterMs: retryAfterMsFor(pool) }, true);
}

/**
 * The process's one pg pool, with the bounded queue in front of Postgres: a connection request
 * beyond `limits.maxWaiting` waiters is refused at once (OVERLOADED with retryAfterMs) instead of
 * joining a queue it would leave by timeout, and none waits longer than `limits.waitMs`. Every
 * query goes through `connect` (Pool.query too), so the bound covers all of them.
 */
export function createPool(databaseUrl: string, max: number, limits: PoolLimits = UNBOUNDED): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: limits.waitMs });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one: a backend terminated (failover, pg_terminate_backend) between two
  // statements emits 'error' on its client, and an 'error' without a listener ends the process.
  // The client is then unqueryable: its next statement fails, and whoever holds it releases it
  // with that error, which removes it from the pool (withTransaction, Pool.query).
  pool.on('connect', (client) => client.on('error', () => {}));
  if (Number.isFinite(limits.maxWaiting)) {
    const connect = pool.connect.bind(pool) as (cb?: unknown) => unknown;
    (pool as { connect: unknown }).connect = (cb?: (err: Error | undefined) => void) => {
      // Only a caller that would have to wait is refused: an idle or creatable client serves it.
      const mustWait = pool.idleCount === 0 && pool.totalCount >= max;
      if (mustWait && pool.waitingCount >= limits.maxWaiting) {
        const err = overloaded(pool);
        if (typeof cb === 'function') {
          queueMicrotask(() => cb(err));
          return undefined;
        }
        return Promise.reject(err);
      }
      return connect(cb);
    };
  }
  return pool;
}
