import { io, type Socket } from 'socket.io-client';
import type { Ack } from './ack.js';
import {
  type AdminCommandName,
  type AdminCommandPayload,
  type AdminCommandReply,
  adminCommands,
  type CommandName,
  type CommandPayload,
  type CommandReply,
  type CompactSeatMap,
  commands,
  type FullSeatMap,
} from './commands.js';
import type { AdminPushName, AdminPushPayload, PushName, PushPayload } from './pushes.js';

/** camelCase method name for a command: `seats:hold` -> `seatsHold`. */
type MethodName<K extends string> = K extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : K;

/** The reply a payload gets: `seats:subscribe` answers in the format it asked for. */
export type ReplyFor<K extends CommandName, P> = K extends 'seats:subscribe'
  ? P extends { format: 'compact' }
    ? CompactSeatMap
    : FullSeatMap
  : CommandReply<K>;

export type CommandMethods = {
  [K in CommandName as MethodName<K>]: <P extends CommandPayload<K>>(
    payload: P,
    opts?: { timeoutMs?: number },
  ) => Promise<Ack<ReplyFor<K, P>>>;
};
export type AdminCommandMethods = {
  [K in AdminCommandName as MethodName<K>]: (
    payload: AdminCommandPayload<K>,
    opts?: { timeoutMs?: number },
  ) => Promise<Ack<AdminCommandReply<K>>>;
};

/**
 * Where the handshake token comes from. A function is asked again on every (re)connect, so a
 * browser that refreshed its short-lived access token reconnects with the new one.
 */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

export interface ClientOptions {
  /** Defaults to websocket only: no sticky sessions needed behind a load balancer. */
  transports?: ('websocket' | 'polling')[];
  reconnection?: boolean;
  timeoutMs?: number;
}

interface BaseClient {
  socket: Socket;
  /** Where this client connects (without the namespace). */
  url: string;
  connected(): Promise<void>;
  /** Raw emit for tests that send hostile payloads the types would reject. */
  send(name: string, payload: unknown, opts?: { timeoutMs?: number }): Promise<Ack<unknown>>;
  close(): void;
}

export type EventlyClient = BaseClient &
  CommandMethods & {
    on<K extends PushName>(name: K, listener: (payload: PushPayload<K>) => void): () => void;
  };
export type EventlyAdminClient = BaseClient &
  AdminCommandMethods & {
    on<K extends AdminPushName>(name: K, listener: (payload: AdminPushPayload<K>) => void): () => void;
  };

function methodName(command: string): string {
  const [a, b = ''] = command.split(':');
  return a + b.charAt(0).toUpperCase() + b.slice(1);
}

function handshakeAuth(token: TokenSource) {
  if (typeof token !== 'function') return token ? { token } : {};
  return (cb: (data: object) => void) => {
    Promise.resolve()
      .then(token)
      .then(
        (t) => cb(t ? { token: t } : {}),
        () => cb({}),
      );
  };
}

function build(url: string, token: TokenSource, names: string[], options: ClientOptions) {
  const socket = io(url, {
    auth: handshakeAuth(token),
    transports: options.transports ?? ['websocket'],
    reconnection: options.reconnection ?? true,
    forceNew: true,
  });
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const send = (name: string, payload: unknown, opts?: { timeoutMs?: number }) =>
    socket.timeout(opts?.timeoutMs ?? defaultTimeout).emitWithAck(name, payload) as Promise<Ack<unknown>>;
  const client: Record<string, unknown> = {
    socket,
    url: url.replace(/\/admin$/, ''),
    send,
    connected: () =>
      new Promise<void>((resolve, reject) => {
        if (socket.connected) return resolve();
        const onError = (err: Error) => {
          socket.off('connect', onConnect);
          reject(err);
        };
        const onConnect = () => {
          socket.off('connect_error', onError);
          resolve();
        };
        socket.once('connect', onConnect);
        socket.once('connect_error', onError);
      }),
    on: (name: string, listener: (p: unknown) => void) => {
      socket.on(name, listener);
      return () => socket.off(name, listener);
    },
    close: () => socket.close(),
  };
  for (const name of names) {
    client[methodName(name)] = (payload: unknown, opts?: { timeoutMs?: number }) => send(name, payload, opts);
  }
  return client;
}

/** A typed Evently client: one promise-returning method per command, typed push listeners. */
export function createClient(url: string, token?: TokenSource, options: ClientOptions = {}): EventlyClient {
  return build(url.replace(/\/$/, ''), token, Object.keys(commands), options) as unknown as EventlyClient;
}

export function createAdminClient(url: string, token: TokenSource, options: ClientOptions = {}): EventlyAdminClient {
  return build(`${url.replace(/\/$/, '')}/admin`, token, Object.keys(adminCommands), options) as unknown as EventlyAdminClient;
}

/**
 * The client for an admitted buyer's seat commands (PROTOCOL `shopUrl`): a new one at the
 * shop tier the admission names when that is another origin, else `client` itself (one tier, or
 * an admission without `shopUrl`). The caller closes a new one when done.
 */
export function followShop(
  client: EventlyClient,
  admission: { shopUrl?: string },
  token?: TokenSource,
  options: ClientOptions = {},
): EventlyClient {
  const shop = admission.shopUrl;
  if (!shop || new URL(shop).origin === new URL(client.url).origin) return client;
  return createClient(shop, token, options);
}
