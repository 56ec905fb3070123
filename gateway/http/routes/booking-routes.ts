import { IDEMPOTENCY_HEADER } from '../../../core/contract/booking-http.js';
import { AppError } from '../../../core/domain/app-error.js';
import { pollRefreshMs } from '../../../core/domain/poll-refresh-ms.js';
import type { AppContext } from '../../context/app-context.js';
import type { HttpRequest } from '../http-request.js';
import type { Router } from '../http-router.js';
import { createHttpCommands } from './run-http-command.js';

/**
 * The body's fields, refusing a body that is not an object or that names what the path or a
 * header carries (a second, different eventId must not be silently dropped).
 */
function bodyFields(req: HttpRequest, carriedElsewhere: readonly string[]): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('VALIDATION_FAILED', 'the body must be a JSON object');
  }
  const misplaced = carriedElsewhere.filter((k) => Object.hasOwn(body, k));
  if (misplaced.length > 0) {
    throw new AppError('VALIDATION_FAILED', `${misplaced.join(', ')} goes in the path or a header, not the body`, {
      fields: misplaced,
    });
  }
  return body as Record<string, unknown>;
}

function idempotencyKeyOf(req: HttpRequest): string {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined || key === '') throw new AppError('VALIDATION_FAILED', 'the Idempotency-Key header is required');
  return key;
}

/**
 * PROTOCOL "Booking over HTTP": the buyer's socket commands as routes, run by the same
 * pipeline and handlers (createHttpCommands); the ack's `data` is the body.
 */
export function registerBookingRoutes(router: Router, app: AppContext) {
  const run = createHttpCommands(app);
  router.post('/api/events/:id/queue', async (req) => {
    const input = { ...bodyFields(req, ['eventId']), eventId: req.params.id };
    return { status: 200, body: await run(req, 'queue:join', input) };
  });
  router.get('/api/events/:id/queue', async (req) => {
    const state = await run(req, 'queue:status', { eventId: req.params.id });
    // A poller learns of its admission here: no sooner than a waiting socket would cost (pollRefreshMs).
    const body =
      state.state === 'waiting' ? { ...state, refreshAfterMs: pollRefreshMs(state, app.config.queuePositionPushMs) } : state;
    return { status: 200, body };
  });
  router.delete('/api/events/:id/queue', async (req) => {
    await run(req, 'queue:leave', { eventId: req.params.id });
    return { status: 204 };
  });
  router.post('/api/events/:id/holds', async (req) => {
    const input = {
      ...bodyFields(req, ['eventId', 'idempotencyKey']),
      eventId: req.params.id,
      idempotencyKey: idempotencyKeyOf(req),
    };
    return { status: 201, body: await run(req, 'seats:hold', input) };
  });
  router.delete('/api/holds/:id', async (req) => ({
    status: 200,
    body: await run(req, 'hold:release', { holdId: req.params.id }),
  }));
  router.post('/api/holds/:id/confirm', async (req) => {
    const input = {
      ...bodyFields(req, ['holdId', 'idempotencyKey']),
      holdId: req.params.id,
      idempotencyKey: idempotencyKeyOf(req),
    };
    return { status: 201, body: await run(req, 'hold:confirm', input) };
  });
  router.post('/api/me/bookings/:id/cancel', async (req) => {
    const input = { ...bodyFields(req, ['bookingId']), bookingId: req.params.id };
    return { status: 200, body: await run(req, 'booking:cancel', input) };
  });
  router.post('/api/events/:id/waitlist', async (req) => {
    const input = { ...bodyFields(req, ['eventId']), eventId: req.params.id };
    return { status: 201, body: await run(req, 'waitlist:join', input) };
  });
  router.delete('/api/events/:id/waitlist', async (req) => {
    await run(req, 'waitlist:leave', { eventId: req.params.id });
    return { status: 204 };
  });
  router.get('/api/me/state', async (req) => ({ status: 200, body: await run(req, 'me:state', {}) }));
}
