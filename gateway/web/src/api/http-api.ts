import { apiBase } from './api-base.js';
import { errorWords } from './error-words.js';
import { freshAccessToken, getSession, refreshNow } from './session.js';

/** An HTTP error reply `{error:{code, message, details}}`, or a network failure as INTERNAL. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function once(method: string, path: string, body: unknown, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(apiBase() + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** JSON over HTTP with the session's token; a 401 refreshes the token once and tries again. */
export async function api<T>(method: string, path: string, body?: unknown, opts: ExchangeOptions = {}): Promise<T> {
  return (await exchange<T>(method, path, body, opts)).body;
}

export interface ExchangeOptions {
  /**
   * A 401 that judges what was sent rather than the token (a wrong current password) must not
   * refresh and send it again: that would spend a second guess of the login allowance.
   */
  noRetryOn401?: boolean;
}

/** A GET of a paged list: its items and the path of the next page (the `Link: rel="next"` header). */
export async function apiPage<T>(path: string): Promise<{ items: T[]; next: string | null }> {
  const { body, res } = await exchange<T[]>('GET', path);
  const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
  return { items: body, next };
}

async function exchange<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: ExchangeOptions = {},
): Promise<{ body: T; res: Response }> {
  let res: Response;
  try {
    res = await once(method, path, body, await freshAccessToken());
    if (res.status === 401 && getSession() && !opts.noRetryOn401) res = await once(method, path, body, await refreshNow());
  } catch {
    throw new ApiError('INTERNAL', 'The server cannot be reached. Check your connection and try again.', 0);
  }
  if (res.status === 204) return { body: undefined as T, res };
  const parsed = await res.json().catch(() => null);
  if (!res.ok) {
    const e = parsed?.error ?? {};
    throw new ApiError(e.code ?? 'INTERNAL', e.message ?? `HTTP ${res.status}`, res.status, e.details);
  }
  return { body: parsed as T, res };
}

/** Buyer words for a failed HTTP call: an unreachable server says so rather than blaming us. */
export function describeApiError(err: unknown): string {
  if (err instanceof ApiError && err.status === 0) return err.message;
  return errorWords(err instanceof ApiError ? err.code : undefined);
}

/** The field a VALIDATION_FAILED or UNAUTHENTICATED reply blames (`details.field`, or the first issue's path). */
export function badField(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const d = err.details as { field?: string; issues?: { path?: string }[] } | undefined;
  return d?.field ?? d?.issues?.[0]?.path;
}
