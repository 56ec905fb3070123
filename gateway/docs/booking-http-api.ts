import { z } from 'zod';
import { ConfirmBody, HoldBody, QueueJoinBody, WaitlistJoinBody } from '../../core/contract/booking-http.js';
import { commands } from '../../core/contract/commands.js';
import { MeState } from '../../core/contract/me-state.js';
import { Id, IdempotencyKey } from '../../core/contract/primitives.js';
import type { HttpRoute } from './http-route.js';

const IdParams = z.object({ id: Id });
const Idempotency = z.object({
  'Idempotency-Key': IdempotencyKey.describe('Same key, same reply; reused with another body: CONFLICT'),
});
/** Every booking route: state conflicts, and the shared limits and load shedding (Retry-After). */
const BOOKING_ERRORS = [409, 429, 503];
const reply = <K extends keyof typeof commands>(name: K) => commands[name].reply;

/** PROTOCOL "Booking over HTTP" and "Picking up where you left off": the buyer's commands as routes. */
export const bookingHttpRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/api/me/state',
    summary: 'Everything you have: holds (and waitlist offers), waitlist entries, waiting-room places and admissions',
    tag: 'booking',
    access: 'user',
    replies: { 200: MeState },
    errors: [429, 503],
  },
  {
    method: 'post',
    path: '/api/events/{id}/queue',
    summary: 'Join the waiting room (as queue:join)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    body: QueueJoinBody,
    replies: { 200: reply('queue:join') },
    errors: BOOKING_ERRORS,
  },
  {
    method: 'get',
    path: '/api/events/{id}/queue',
    summary: 'Your place or admission (as queue:status); a waiting reply carries refreshAfterMs: poll no sooner',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    replies: { 200: reply('queue:status') },
    errors: BOOKING_ERRORS,
  },
  {
    method: 'delete',
    path: '/api/events/{id}/queue',
    summary: 'Leave the waiting room (as queue:leave)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    replies: { 204: null },
    errors: BOOKING_ERRORS,
  },
  {
    method: 'post',
    path: '/api/events/{id}/holds',
    summary: 'Hold seats (as seats:hold): seatIds, or quantity with an optional section',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    headers: Idempotency,
    body: HoldBody,
    replies: { 201: reply('seats:hold') },
    errors: [403, ...BOOKING_ERRORS],
  },
  {
    method: 'delete',
    path: '/api/holds/{id}',
    summary: 'Release a hold (as hold:release)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    replies: { 200: reply('hold:release') },
    errors: BOOKING_ERRORS,
  },
  {
    method: 'post',
    path: '/api/holds/{id}/confirm',
    summary: 'Pay for a hold (as hold:confirm)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    headers: Idempotency,
    body: ConfirmBody,
    replies: { 201: reply('hold:confirm') },
    errors: [402, ...BOOKING_ERRORS],
  },
  {
    method: 'post',
    path: '/api/me/bookings/{id}/cancel',
    summary: 'Cancel a booking (as booking:cancel)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    replies: { 200: reply('booking:cancel') },
    errors: [403, ...BOOKING_ERRORS],
  },
  {
    method: 'post',
    path: '/api/events/{id}/waitlist',
    summary: 'Join the waitlist of a sold-out event (as waitlist:join)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    body: WaitlistJoinBody,
    replies: { 201: reply('waitlist:join') },
    errors: [403, ...BOOKING_ERRORS],
  },
  {
    method: 'delete',
    path: '/api/events/{id}/waitlist',
    summary: 'Leave the waitlist (as waitlist:leave)',
    tag: 'booking',
    access: 'user',
    params: IdParams,
    replies: { 204: null },
    errors: BOOKING_ERRORS,
  },
];
