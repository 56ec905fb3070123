import { createPgDriverFactory } from '@slonik/pg-driver';
import type { DriverClient, DriverFactory } from 'slonik';

type Listener = (...args: never[]) => void;

/**
 * slonik's pg driver (47.3), with one repair: a client whose backend dies while a statement is
 * in flight (pg_terminate_backend, failover, a reset socket) starts its destroy while that
 * statement is still pending; the statement then fails, the destroy throws on it and never
 * says 'destroy', and the pool keeps the dead client as PENDING_DESTROY for good. Each one takes
 * a place of the pool until none is left and every caller waits forever (seen in
 * tests/e2e/pg-terminate). Here a destroy that failed counts as done: the pool is told (its
 * 'destroy' listeners run once) and drops the client; pg's own socket is already gone.
 */
export function createDriverFactory(): DriverFactory {
  const pgDriverFactory = createPgDriverFactory();
  return async (options) => {
    const driver = await pgDriverFactory(options);
    return { createClient: async () => repairDestroy(await driver.createClient()) };
  };
}

function repairDestroy(client: DriverClient): DriverClient {
  const destroyListeners = new Map<Listener, () => void>();
  let gone = false;
  const destroyed = () => {
    if (gone) return;
    gone = true;
    for (const once of [...destroyListeners.values()]) once();
  };
  const destroy = () => client.destroy().catch(destroyed);
  // The driver starts the destroy itself on a client error: see how it ends.
  client.on('error', () => {
    setImmediate(() => void destroy());
  });
  const on = ((event: string, listener: Listener) => {
    if (event !== 'destroy') return client.on(event as 'error', listener as never);
    let called = false;
    const once = () => {
      if (called) return;
      called = true;
      (listener as () => void)();
    };
    destroyListeners.set(listener, once);
    return client.on('destroy', once);
  }) as unknown as DriverClient['on'];
  const off = ((event: string, listener: Listener) => {
    if (event !== 'destroy') return client.off(event as 'error', listener as never);
    const once = destroyListeners.get(listener);
    destroyListeners.delete(listener);
    return client.off('destroy', once ?? (listener as never));
  }) as unknown as DriverClient['off'];
  return {
    ...client,
    destroy,
    on,
    off,
    removeListener: off as unknown as DriverClient['removeListener'],
    state: () => (gone ? 'DESTROYED' : client.state()),
  };
}
