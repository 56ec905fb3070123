import type { Ack } from '../../../../core/contract/ack.js';
import {
  createAdminClient,
  createClient,
  type EventlyAdminClient,
  type EventlyClient,
} from '../../../../core/contract/create-client.js';
import { apiBase } from '../api/api-base.js';
import { freshAccessToken, getSession, onSessionChange, refreshNow } from '../api/session.js';
import { CommandError, type CommandOptions, runCommand } from './run-command.js';

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
    if (!shopUrl()) for (const l of shopConnectListeners) l();
  });
  c.socket.on('disconnect', () => setState('reconnecting'));
  watchRefusals(c.socket);
  // The server ended this account's sessions (a role change, a stolen session): the refresh is
  // refused then, which signs the tab out; the socket reconnects as whoever the tab is now.
  c.on('session:ended', () => {
    void refreshNow()
      .catch(() => {})
      .finally(() => {
        if (!c.socket.connected) c.socket.connect();
      });
  });
  // Signing in or out changes who the socket is: reconnect so the server sees the new token.
  onSessionChange(() => {
    const now = getSession()?.user.id;
    if (now === identity) return;
    identity = now;
    c.socket.disconnect().connect();
  });
  return c;
}

/**
 * Two tiers (PROTOCOL `shopUrl`): an admission may name another origin, the shop, for the
 * seat commands. It is kept for the tab's session so that a reload picks up there (me:state, the
 * seat map, the hold); without one the shop is this page's own gateway.
 */
const SHOP_KEY = 'evently.shopUrl';
const shopConnectListeners = new Set<() => void>();
let shop: EventlyClient | null = null;

function shopUrl(): string | null {
  return sessionStorage.getItem(SHOP_KEY);
}

/** Follows an admission's `shopUrl` (none, or this page's gateway: nothing changes). */
export function rememberShop(url: string | undefined): void {
  if (!url || url === shopUrl()) return;
  if (new URL(url).origin === new URL(apiBase()).origin) return;
  sessionStorage.setItem(SHOP_KEY, url);
  shop?.close();
  shop = null;
  shopClient();
}

/** The socket for seat maps, holds, payments, bookings, waitlists and me:state. */
export function shopClient(): EventlyClient {
  const url = shopUrl();
  if (!url) return userClient();
  if (shop) return shop;
  const c = createClient(url, freshAccessToken, { transports: ['websocket'], timeoutMs: 15_000 });
  shop = c;
  c.socket.on('connect', () => {
    for (const l of shopConnectListeners) l();
  });
  watchRefusals(c.socket);
  let who = getSession()?.user.id;
  onSessionChange(() => {
    const now = getSession()?.user.id;
    if (now === who) return;
    who = now;
    c.socket.disconnect().connect();
  });
  return c;
}

/** Like onConnected, for the shop's socket: its subscribers resync on every (re)connect. */
export function onShopConnected(listener: () => void): () => void {
  shopConnectListeners.add(listener);
  if (shopClient().socket.connected) listener();
  return () => shopConnectListeners.delete(listener);
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

/**
 * Sends a command (see runCommand). A gateway of the other tier refuses it as FORBIDDEN and names
 * the shop: a tab that never saw this session's admission (another device, a closed tab) learns
 * where to shop there, and the command is sent once more through the shop socket (`send` asks
 * shopClient() again).
 */
export async function command<T>(send: () => Promise<Ack<T>>, options: Omit<CommandOptions, 'reauthenticate'> = {}): Promise<T> {
  try {
    return await runCommand(send, { ...options, reauthenticate });
  } catch (error) {
    if (!followsShopFrom(error)) throw error;
    return runCommand(send, { ...options, reauthenticate });
  }
}

/** True when `error` is the other tier's refusal naming a shop this tab did not use yet (now it does). */
function followsShopFrom(error: unknown): boolean {
  if (!(error instanceof CommandError) || error.code !== 'FORBIDDEN') return false;
  const url = (error.error.details as { shopUrl?: unknown } | undefined)?.shopUrl;
  if (typeof url !== 'string' || !URL.canParse(url) || url === shopUrl()) return false;
  rememberShop(url);
  return shopUrl() === url;
}
