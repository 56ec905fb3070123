import pg from 'pg';

// bigint counts (COUNT(*), SUM) come back as strings by default; ours fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

export function createPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one: a backend terminated (failover, pg_terminate_backend) between two
  // statements emits 'error' on its client, and an 'error' without a listener ends the process.
  // The client is then unqueryable: its next statement fails, and whoever holds it releases it
  // with that error, which removes it from the pool (withTransaction, Pool.query).
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
