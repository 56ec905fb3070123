import type { AuthReply, PublicUser } from '../../../../core/contract/http.js';
import { apiBase } from './api-base.js';

export interface Session {
  user: PublicUser;
  accessToken: string;
  refreshToken: string;
}

const KEY = 'evently.session';
const listeners = new Set<() => void>();
let current: Session | null = read();
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<string | undefined> | null = null;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function claims(token: string): { exp?: number; iat?: number } {
  try {
    const part = token.split('.')[1] ?? '';
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

/** Refresh this long before expiry: a minute, or a quarter of a short lifetime (tests use 10 s). */
function refreshMarginMs(token: string): number {
  const { exp, iat } = claims(token);
  if (!exp) return 0;
  const lifetimeMs = (exp - (iat ?? exp - 900)) * 1000;
  return Math.min(60_000, lifetimeMs / 4);
}

function expiresAtMs(token: string): number {
  return (claims(token).exp ?? 0) * 1000;
}

function schedule() {
  clearTimeout(timer);
  if (!current) return;
  const due = expiresAtMs(current.accessToken) - refreshMarginMs(current.accessToken) - Date.now();
  // A failed refresh (server away) tries again shortly; reconnecting refreshes on its own too.
  const attempt = () =>
    void refreshNow().catch(() => {
      timer = setTimeout(attempt, 5000);
    });
  timer = setTimeout(attempt, Math.max(0, due));
}

function emit() {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setSession(next: AuthReply | Session | null) {
  current = next ? { user: next.user, accessToken: next.accessToken, refreshToken: next.refreshToken } : null;
  if (current) localStorage.setItem(KEY, JSON.stringify(current));
  else localStorage.removeItem(KEY);
  schedule();
  emit();
}

async function postRefresh(refreshToken: string): Promise<AuthReply | null> {
  const res = await fetch(`${apiBase()}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  if (res.status === 200) return (await res.json()) as AuthReply;
  // 401: the refresh token was revoked or used already; anything else: keep the session and retry later.
  if (res.status === 401) return null;
  throw new Error(`refresh failed with ${res.status}`);
}

/**
 * Trades the refresh token for a new pair. One refresh at a time in this tab, and across tabs
 * through a Web Lock: refresh tokens rotate, so a second tab using the same one would be refused.
 */
export function refreshNow(): Promise<string | undefined> {
  if (inFlight) return inFlight;
  const run = async () => {
    const stored = read();
    // Another tab may have refreshed already: take its fresh pair instead of spending ours.
    if (stored && current && stored.refreshToken !== current.refreshToken) {
      current = stored;
      if (expiresAtMs(stored.accessToken) - Date.now() > refreshMarginMs(stored.accessToken)) {
        schedule();
        emit();
        return stored.accessToken;
      }
    }
    if (!current) return undefined;
    const reply = await postRefresh(current.refreshToken);
    setSession(reply);
    return reply?.accessToken;
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const viaLock = async (): Promise<string | undefined> => (locks ? await locks.request('evently-refresh', run) : run());
  const started = viaLock().finally(() => {
    inFlight = null;
  });
  inFlight = started;
  return started;
}

/** The access token to send now: refreshed first when it is about to expire. */
export async function freshAccessToken(): Promise<string | undefined> {
  if (!current) return undefined;
  if (expiresAtMs(current.accessToken) - Date.now() <= refreshMarginMs(current.accessToken)) {
    return refreshNow().catch(() => current?.accessToken);
  }
  return current.accessToken;
}

export async function signOut() {
  const s = current;
  setSession(null);
  if (s) {
    await fetch(`${apiBase()}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: s.refreshToken }),
    }).catch(() => {});
  }
}

if (typeof window !== 'undefined') {
  // Another tab signed in, out or refreshed.
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY) return;
    current = read();
    schedule();
    emit();
  });
  schedule();
}
