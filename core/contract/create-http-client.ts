import type { Ack, AckError } from './ack.js';
import type { CommandName, CommandPayload, CommandReply } from './commands.js';
import { type ErrorCode, isRetryableByDefault } from './error-codes.js';
import type { MeState } from './me-state.js';

/** An HTTP answer as an ack (the same shape the socket client resolves), plus its status. */
export type HttpAck<T> = Ack<T> & { status: number };

/** A route's body: the command's payload without what the path and the Idempotency-Key header carry. */
type Body<K extends CommandName> = Omit<CommandPayload<K>, 'eventId' | 'holdId' | 'idempotencyKey'>;

/**
 * A typed client of the booking routes (PROTOCOL "Booking over HTTP"), for server-side and
 * mobile integrators: each method answers like the socket command it mirrors. `token` is asked
 * before every request (a refreshed access token is picked up). A 429 or 503 error carries
 * `details.retryAfterMs` from `Retry-After` when the body did not say.
 */
export function createHttpClient(baseUrl: string, token: () => string | undefined, fetchImpl: typeof fetch = fetch) {
  const call = async <T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<HttpAck<T>> => {
    const headers: Record<string, string> = {};
    const t = token();
    if (t) headers.authorization = `Bearer ${t}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const res = await fetchImpl(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (res.ok) return { ok: true, data: parsed as T, status: res.status };
    const e = (parsed as { error?: { code: ErrorCode; message: string; details?: unknown } }).error;
    const code: ErrorCode = e?.code ?? 'INTERNAL';
    const error: AckError = { code, message: e?.message ?? res.statusText, retryable: isRetryableByDefault(code) };
    const retryAfter = res.headers.get('retry-after');
    if (e?.details !== undefined) error.details = e.details;
    else if (retryAfter !== null) error.details = { retryAfterMs: Number(retryAfter) * 1000 };
    return { ok: false, error, status: res.status };
  };
  const ev = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;
  return {
    meState: () => call<MeState>('GET', '/api/me/state'),
    queueJoin: (eventId: string, body: Body<'queue:join'> = {}) =>
      call<CommandReply<'queue:join'>>('POST', `${ev(eventId)}/queue`, body),
    /** A waiting reply carries `refreshAfterMs`: ask again no sooner. */
    queueStatus: (eventId: string) => call<CommandReply<'queue:status'>>('GET', `${ev(eventId)}/queue`),
    queueLeave: (eventId: string) => call<Record<string, never>>('DELETE', `${ev(eventId)}/queue`),
    seatsHold: (eventId: string, idempotencyKey: string, body: Body<'seats:hold'>) =>
      call<CommandReply<'seats:hold'>>('POST', `${ev(eventId)}/holds`, body, idempotencyKey),
    holdRelease: (holdId: string) => call<CommandReply<'hold:release'>>('DELETE', `/api/holds/${encodeURIComponent(holdId)}`),
    holdConfirm: (holdId: string, idempotencyKey: string, body: Body<'hold:confirm'>) =>
      call<CommandReply<'hold:confirm'>>('POST', `/api/holds/${encodeURIComponent(holdId)}/confirm`, body, idempotencyKey),
    bookingCancel: (bookingId: string) =>
      call<CommandReply<'booking:cancel'>>('POST', `/api/me/bookings/${encodeURIComponent(bookingId)}/cancel`),
    waitlistJoin: (eventId: string, body: Body<'waitlist:join'>) =>
      call<CommandReply<'waitlist:join'>>('POST', `${ev(eventId)}/waitlist`, body),
    waitlistLeave: (eventId: string) => call<Record<string, never>>('DELETE', `${ev(eventId)}/waitlist`),
  };
}

export type EventlyHttpClient = ReturnType<typeof createHttpClient>;

/**
 * Where an admitted buyer's booking requests go (PROTOCOL `shopUrl`): a client of the shop tier
 * the admission names, or `client` itself when it names none or this same origin.
 */
export function followShopOverHttp(
  client: EventlyHttpClient,
  baseUrl: string,
  admission: { shopUrl?: string },
  token: () => string | undefined,
  fetchImpl: typeof fetch = fetch,
): EventlyHttpClient {
  const shop = admission.shopUrl;
  if (!shop || new URL(shop).origin === new URL(baseUrl).origin) return client;
  return createHttpClient(shop, token, fetchImpl);
}
