import { afterAll } from 'vitest';
import {
  type ClientOptions,
  createAdminClient,
  createClient,
  type EventlyAdminClient,
  type EventlyClient,
} from '../../core/contract/create-client.js';
import type { PushName, PushPayload } from '../../core/contract/pushes.js';

const open = new Set<{ close(): void }>();
afterAll(() => {
  for (const c of open) c.close();
  open.clear();
});

/** A connected typed client; closed automatically after the file. */
export async function connectClient(url: string, token?: string, options?: ClientOptions): Promise<EventlyClient> {
  const client = createClient(url, token, options);
  open.add(client);
  await client.connected();
  return client;
}

export async function connectAdmin(url: string, token: string, options?: ClientOptions): Promise<EventlyAdminClient> {
  const client = createAdminClient(url, token, options);
  open.add(client);
  await client.connected();
  return client;
}

/** The next push of that name matching the predicate, or a rejection after `timeoutMs`. */
export function nextPush<K extends PushName>(
  client: EventlyClient,
  name: K,
  predicate: (p: PushPayload<K>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<PushPayload<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} push within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(name, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Collects every push of that name until stopped. */
export function collectPushes<K extends PushName>(client: EventlyClient, name: K): { items: PushPayload<K>[]; stop(): void } {
  const items: PushPayload<K>[] = [];
  const stop = client.on(name, (p) => {
    items.push(p);
  });
  return { items, stop };
}

/** The `connect_error` a refused handshake gets (its `data.code` says why); closes the client. */
export function connectRefusal(client: {
  socket: { once(e: string, f: (err: any) => void): void };
  close(): void;
}): Promise<any> {
  return new Promise((resolve) =>
    client.socket.once('connect_error', (err) => {
      client.close();
      resolve(err);
    }),
  );
}
