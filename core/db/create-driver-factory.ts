import { createPgDriverFactory } from '@slonik/pg-driver';
import type { DriverClient, DriverFactory } from 'slonik';
import { HostNoLongerWritable, isConnectionLost } from './connection-lost.js';
import type { HostLocator } from './host-locator.js';

type Listener = (...args: never[]) => void;

/** How long a dead client's own destroy may take before the pool is told it is gone anyway. */
const DEAD_CLIENT_GRACE_MS = 1000;
/** Any destroy (also one the driver began itself, e.g. at its idle timeout) that has not told the
 * pool after this long is taken as done: past slonik's 5 s wait for a statement in flight. */
const STUCK_DESTROY_MS = 6000;

/** Clients whose pool has not been told they are gone; swept for destroys that never finish. */
const watched = new Set<{ client: DriverClient; pendingSince: number | null; gone(): boolean; destroyed(): void }>();
let sweeper: NodeJS.Timeout | null = null;
function sweep() {
  const now = Date.now();
  for (const w of watched) {
    if (w.gone()) {
      watched.delete(w);
      continue;
    }
    if (w.client.state() !== 'PENDING_DESTROY') continue;
    w.pendingSince ??= now;
    if (now - w.pendingSince >= STUCK_DESTROY_MS) w.destroyed();
  }
  if (watched.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

/**
 * slonik's pg driver (47.3), with one repair: the destroy of a client whose backend died
 * (pg_terminate_backend, failover, a reset socket) can fail or never finish, and then never
 * says 'destroy': the pool keeps the dead client as PENDING_DESTROY for good. A statement in
 * flight when the error came makes the destroy throw on it; under a storm of terminations
 * (tests/e2e/pg-terminate, two of them at once) destroys also hung, every place of the pool
 * PENDING_DESTROY and every caller waiting forever; the driver's own idle-timeout destroys of
 * such clients hung the same way. Here a destroy that failed, or has not told the pool
 * DEAD_CLIENT_GRACE_MS after we began it (STUCK_DESTROY_MS after the driver did), counts as
 * done: the pool is told (its 'destroy' listeners run once) and drops the client. Only dead or
 * discarded clients are destroyed, so nothing still in use is dropped.
 */
export function createDriverFactory(locator?: HostLocator): DriverFactory {
  const pgDriverFactory = createPgDriverFactory();
  return async (options) => {
    if (!locator || locator.urls.length === 1) {
      const driver = await pgDriverFactory(options);
      return { createClient: async () => repairDestroy(await driver.createClient()) };
    }
    // Several hosts: one pg driver per host (each reads its type oids once, when first used),
    // and every new client goes to the host the locator says accepts writes.
    type Driver = Awaited<ReturnType<DriverFactory>>;
    const drivers = new Map<string, Promise<Driver>>();
    const driverFor = (url: string): Promise<Driver> => {
      let driver = drivers.get(url);
      if (!driver) {
        driver = pgDriverFactory({ driverConfiguration: { ...options.driverConfiguration, connectionUri: url } });
        drivers.set(url, driver);
        driver.catch(() => drivers.delete(url));
      }
      return driver;
    };
    return {
      createClient: async () => {
        const url = await locator.writable();
        let client: DriverClient;
        try {
          client = await (await driverFor(url)).createClient();
        } catch (err) {
          // Refused, reset, timed out, starting up: find the writable host again.
          locator.lost(url);
          throw err;
        }
        return repairDestroy(followWritable(client, url, locator));
      },
    };
  };
}

/**
 * A client of one host of a multi-host URL: a connection error on it, or a write refused as
 * read-only (SQLSTATE 25006, a demoted primary), makes the locator find the writable host again;
 * and once the locator has found another host, this client refuses every statement with a
 * lost-connection error (the pool destroys it; the caller answers a retryable OVERLOADED)
 * instead of running it on a host that no longer takes writes.
 */
function followWritable(client: DriverClient, url: string, locator: HostLocator): DriverClient {
  client.on('error', () => locator.lost(url));
  const moved = () => {
    const known = locator.known();
    return known !== null && known !== url;
  };
  return {
    ...client,
    query: async (sql, values) => {
      if (moved()) throw new HostNoLongerWritable();
      try {
        return await client.query(sql, values);
      } catch (err) {
        if (isConnectionLost(err)) locator.lost(url);
        throw err;
      }
    },
    stream: (sql, values) => {
      if (moved()) throw new HostNoLongerWritable();
      return client.stream(sql, values);
    },
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
  watched.add({ client, pendingSince: null, gone: () => gone, destroyed });
  sweeper ??= setInterval(sweep, 1000).unref();
  const destroy = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        destroyed();
        resolve();
      };
      const timer = setTimeout(done, DEAD_CLIENT_GRACE_MS);
      client.destroy().then(done, done);
    });
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
      // The pool has been told: nothing more to repair for this client.
      gone = true;
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
