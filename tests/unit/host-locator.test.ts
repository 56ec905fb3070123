import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionLost } from '../../core/db/connection-lost.js';
import { createHostLocator, NoWritableHostError } from '../../core/db/host-locator.js';
import { translatePgError } from '../../core/db/translate-pg-error.js';

/** A port that accepts and counts connections, then closes them (no Postgres behind it). */
let counted: net.Server;
let countedPort: number;
let connections = 0;
beforeAll(async () => {
  counted = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => counted.listen(0, '127.0.0.1', () => r()));
  countedPort = (counted.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => counted.close(() => r())));

describe('the host locator', () => {
  it('uses a single host as written, never probing it', async () => {
    const url = `postgres://u@127.0.0.1:${countedPort}/db`;
    const locator = createHostLocator(url);
    expect(await locator.writable()).toBe(url);
    locator.lost(url);
    expect(await locator.writable()).toBe(url);
    expect(connections).toBe(0);
  });

  it('with no host answering, fails fast with a lost-connection error and shares that answer for a moment', async () => {
    const locator = createHostLocator(`postgres://u:secret-pw@127.0.0.1:${countedPort},127.0.0.1:1/db`, { retryMs: 60_000 });
    const before = connections;
    const err = await locator.writable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoWritableHostError);
    expect((err as Error).message).toContain(`127.0.0.1:${countedPort}`);
    expect((err as Error).message).not.toContain('secret-pw');
    expect(isConnectionLost(err)).toBe(true);
    expect(translatePgError(err)).toMatchObject({ code: 'OVERLOADED', retryable: true });
    // Many callers at once during a failover: no new probe round within retryMs.
    const again = await Promise.all(Array.from({ length: 50 }, () => locator.writable().catch((e: unknown) => e)));
    expect(again.every((e) => e === err)).toBe(true);
    expect(connections - before).toBe(1);
  });
});
