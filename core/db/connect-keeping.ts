import type { DatabasePoolConnection } from 'slonik';
import { isConnectionLost } from './connection-lost.js';

type Connect = <R>(routine: (connection: DatabasePoolConnection) => Promise<R>) => Promise<R>;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Marks a failure after which the connection's state is unknown (its ROLLBACK failed). */
export class ConnectionUnusable extends Error {
  constructor(readonly original: unknown) {
    super('the connection could not be rolled back');
  }
}

/**
 * Runs `routine` on one slonik connection and returns the connection to the pool also when the
 * routine fails with a healthy connection (a constraint violation, a refused command, a
 * rolled-back transaction): slonik destroys every connection whose routine throws, which would
 * mean a new backend per failed statement (under contention: many). The failure passes `connect`
 * as a value and is thrown again outside it. A lost connection, or one whose state is unknown
 * (ConnectionUnusable), is still thrown inside, so slonik destroys it instead of reusing it.
 */
export async function connectKeeping<T>(
  connect: Connect,
  routine: (connection: DatabasePoolConnection) => Promise<T>,
): Promise<T> {
  const outcome = await connect(async (connection): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await routine(connection) };
    } catch (error) {
      if (isConnectionLost(error) || error instanceof ConnectionUnusable) throw error;
      return { ok: false, error };
    }
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
