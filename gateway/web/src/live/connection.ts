import type { Ack, AckError } from '../../../../core/contract/ack.js';
import {
  createAdminClient,
  createClient,
  type EventlyAdminClient,
  type EventlyClient,
} from '../../../../core/contract/create-client.js';
import { apiBase } from '../api/api-base.js';
import { freshAccessToken, getSession, onSessionChange, refreshNow } from '../api/session.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

const stateListeners = new Set<() => void>();
const connectListeners = new Set<() => void>();
let state: ConnectionState = 'connecting';
let client: EventlyClient | null = null;
let identity: string | undefined;

function setState(next: ConnectionState) {
  state = next;
  for (const l of stateListeners) l();
}

export function connectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/**
 * Runs on every (re)connect of the user socket, also through another gateway after a restart:
 * a new socket is in no rooms and has missed pushes, so subscribers resync here.
 */
export function onConnected(listener: () => void): () => void {
  connectListeners.add(listener);
  if (client?.socket.connected) listener();
  return () => connectListeners.delete(listener);
}

/**
 * The server refuses a handshake with a bad or expired token and then the socket does not retry
 * by itself: refresh the token and connect again (with a pause, so a refused refresh cannot spin).
 */
function watchRefusals(socket: EventlyClient['socket'] | EventlyAdminClient['socket']) {
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    if (socket.active) return; // a transport error: Socket.IO retries with backoff itself
    const retry = () => setTimeout(() => socket.connect(), 1000);
    if (err.data?.code === 'UNAUTHENTICATED' && getSession()) void refreshNow().then(retry, retry);
  });
}

/** The one user socket of this tab (anonymous until sign-in); its token is asked for on every connect. */
export function userClient(): EventlyClient {
  if (client) return client;
  const c = createClient(apiBase(), freshAccessToken, { transports: ['websocket'], timeoutMs: 15_000 });
  client = c;
  identity = getSession()?.user.id;
  c.socket.on('connect', () => {
    setState('connected');
    for (const l of connectListeners) l();
  });
  c.socket.on('disconnect', () => setState('reconnecting'));
  watchRefusals(c.socket);
  // Signing in or out changes who the socket is: reconnect so the server sees the new token.
  onSessionChange(() => {
    const now = getSession()?.user.id;
    if (now === identity) return;
    identity = now;
    c.socket.disconnect().connect();
  });
  return c;
}

export function adminClient(): EventlyAdminClient {
  const c = createAdminClient(apiBase(), freshAccessToken, { transports: ['websocket'], timeoutMs: 15_000 });
  watchRefusals(c.socket);
  return c;
}

export class CommandError extends Error {
  constructor(readonly error: AckError) {
    super(error.message);
    this.name = 'CommandError';
  }
  get code() {
    return this.error.code;
  }
}

function retryAfterMs(error: AckError): number {
  const d = error.details as { retryAfterMs?: unknown } | undefined;
  return typeof d?.retryAfterMs === 'number' ? Math.min(Math.max(d.retryAfterMs, 100), 10_000) : 1000;
}

export interface CommandOptions {
  /** Told before each automatic retry (to show "busy, retrying"). */
  onRetry?: (error: AckError, attempt: number) => void;
  attempts?: number;
}

/**
 * Sends a command and unwraps its ack. Retryable errors (OVERLOADED, RATE_LIMITED, SHUTTING_DOWN)
 * are sent again unchanged after `retryAfterMs`, so an idempotency key in the payload keeps the
 * retry safe; an expired token is refreshed once and the socket reconnected first.
 */
export async function command<T>(send: () => Promise<Ack<T>>, options: CommandOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    let ack: Ack<T>;
    try {
      ack = await send();
    } catch {
      ack = { ok: false, error: { code: 'INTERNAL', message: 'no answer from the server', retryable: true } };
    }
    if (ack.ok) return ack.data;
    if (ack.error.code === 'UNAUTHENTICATED' && getSession() && !refreshed && client) {
      refreshed = true;
      await refreshNow().catch(() => {});
      const socket = client.socket;
      await new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        socket.disconnect().connect();
      });
      continue;
    }
    if (!ack.error.retryable || attempt >= attempts) throw new CommandError(ack.error);
    options.onRetry?.(ack.error, attempt);
    await new Promise((r) => setTimeout(r, retryAfterMs(ack.error)));
  }
}
