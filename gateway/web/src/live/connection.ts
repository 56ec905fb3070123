import type { Ack } from '../../../../core/contract/ack.js';
import {
  createAdminClient,
  createClient,
  type EventlyAdminClient,
  type EventlyClient,
} from '../../../../core/contract/create-client.js';
import { apiBase } from '../api/api-base.js';
import { freshAccessToken, getSession, onSessionChange, refreshNow } from '../api/session.js';
import { type CommandOptions, runCommand } from './run-command.js';

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

export { CommandError } from './run-command.js';

/** Refresh the token and reconnect the user socket: a command refused as UNAUTHENTICATED is then sent again. */
async function reauthenticate(): Promise<boolean> {
  if (!getSession() || !client) return false;
  await refreshNow().catch(() => {});
  const socket = client.socket;
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.disconnect().connect();
  });
  return true;
}

export function command<T>(send: () => Promise<Ack<T>>, options: Omit<CommandOptions, 'reauthenticate'> = {}): Promise<T> {
  return runCommand(send, { ...options, reauthenticate });
}
