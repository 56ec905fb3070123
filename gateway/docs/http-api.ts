import { z } from 'zod';
import { CreateAccessCodesBody, CreatedAccessCodes } from '../../core/contract/access-codes.js';
import {
  AnalyticsQuery,
  AnalyticsReport,
  AuthReply,
  CreateEventBody,
  EventDetail,
  EventListQuery,
  EventSummary,
  LoginBody,
  RefreshBody,
  RegisterBody,
  SeatLayout,
  UpdateEventBody,
} from '../../core/contract/http.js';
import { MyBooking, MyBookingsQuery } from '../../core/contract/my-bookings.js';
import { Id } from '../../core/contract/primitives.js';
import { AdminUser, UpdateUserBody, UserListQuery } from '../../core/contract/users-admin.js';
import { CreateVenueBody, UpdateVenueBody, Venue, VenueListQuery } from '../../core/contract/venues.js';

/** Who may call a route: nobody signed in, any user, admins and organizers, admins only. */
export type Access = 'anyone' | 'user' | 'staff' | 'admin' | 'metrics';

export interface HttpRoute {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI form: `{id}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.AnyZodObject;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  /** Status -> reply schema (JSON), `'text'` for text bodies, null for no body. */
  replies: Record<number, z.ZodTypeAny | 'text' | null>;
  /** A page announced by a `Link: <...>; rel="next"` header. */
  paged?: boolean;
}

const IdParams = z.object({ id: Id });
const CancelledEvent = z.object({
  eventId: Id,
  releasedHolds: z.number().int(),
  refundedBookings: z.number().int(),
  refundCents: z.number().int(),
});
const Health = z.object({ status: z.literal('ok'), instance: z.string() });
const Ready = z.object({ status: z.string(), checks: z.object({ postgres: z.string(), redis: z.string() }) });

/**
 * Every HTTP route the gateway serves, with the schemas its handler validates with (the same
 * objects, imported from core/contract). /api/openapi.json is generated from this table; a test
 * checks that it lists exactly the routes the gateway registers.
 */
export const httpRoutes: HttpRoute[] = [
  {
    method: 'post',
    path: '/api/auth/register',
    summary: 'Create an account and sign in',
    tag: 'auth',
    access: 'anyone',
    body: RegisterBody,
    replies: { 201: AuthReply },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in',
    tag: 'auth',
    access: 'anyone',
    body: LoginBody,
    replies: { 200: AuthReply },
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    summary: 'Rotate a refresh token for a new pair',
    tag: 'auth',
    access: 'anyone',
    body: RefreshBody,
    replies: { 200: AuthReply },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke a refresh token',
    tag: 'auth',
    access: 'anyone',
    body: RefreshBody,
    replies: { 204: null },
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'Search the catalog (filters combine; cursor paging)',
    tag: 'catalog',
    access: 'anyone',
    query: EventListQuery,
    replies: { 200: z.array(EventSummary) },
    paged: true,
  },
  {
    method: 'get',
    path: '/api/events/{id}',
    summary: 'One event with its sections',
    tag: 'catalog',
    access: 'anyone',
    params: IdParams,
    replies: { 200: EventDetail },
  },
  {
    method: 'get',
    path: '/api/events/{id}/seats',
    summary: 'Static seat layout (strong ETag, 304 on If-None-Match)',
    tag: 'catalog',
    access: 'anyone',
    params: IdParams,
    replies: { 200: SeatLayout, 304: null },
  },
  {
    method: 'post',
    path: '/api/admin/events',
    summary: 'Create an event (from sections or a venue)',
    tag: 'admin events',
    access: 'staff',
    body: CreateEventBody,
    replies: { 201: EventDetail },
  },
  {
    method: 'patch',
    path: '/api/admin/events/{id}',
    summary: 'Change an event',
    tag: 'admin events',
    access: 'staff',
    params: IdParams,
    body: UpdateEventBody,
    replies: { 200: EventDetail },
  },
  {
    method: 'delete',
    path: '/api/admin/events/{id}',
    summary: 'Cancel an event: holds released, bookings refunded',
    tag: 'admin events',
    access: 'staff',
    params: IdParams,
    replies: { 200: CancelledEvent },
  },
  {
    method: 'post',
    path: '/api/admin/events/{id}/access-codes',
    summary: 'Generate presale or bypass codes',
    tag: 'admin events',
    access: 'staff',
    params: IdParams,
    body: CreateAccessCodesBody,
    replies: { 201: CreatedAccessCodes },
  },
  {
    method: 'get',
    path: '/api/admin/venues',
    summary: 'Venues you manage',
    tag: 'venues',
    access: 'staff',
    query: VenueListQuery,
    replies: { 200: z.array(Venue) },
    paged: true,
  },
  {
    method: 'get',
    path: '/api/admin/venues/{id}',
    summary: 'One venue',
    tag: 'venues',
    access: 'staff',
    params: IdParams,
    replies: { 200: Venue },
  },
  {
    method: 'post',
    path: '/api/admin/venues',
    summary: 'Create a venue with a saved layout',
    tag: 'venues',
    access: 'staff',
    body: CreateVenueBody,
    replies: { 201: Venue },
  },
  {
    method: 'patch',
    path: '/api/admin/venues/{id}',
    summary: 'Change a venue (events keep their copied layout)',
    tag: 'venues',
    access: 'staff',
    params: IdParams,
    body: UpdateVenueBody,
    replies: { 200: Venue },
  },
  {
    method: 'delete',
    path: '/api/admin/venues/{id}',
    summary: 'Delete a venue',
    tag: 'venues',
    access: 'staff',
    params: IdParams,
    replies: { 204: null },
  },
  {
    method: 'get',
    path: '/api/me/bookings',
    summary: 'Your bookings, newest first',
    tag: 'bookings',
    access: 'user',
    query: MyBookingsQuery,
    replies: { 200: z.array(MyBooking) },
    paged: true,
  },
  {
    method: 'get',
    path: '/api/me/bookings/{id}',
    summary: 'One of your bookings',
    tag: 'bookings',
    access: 'user',
    params: IdParams,
    replies: { 200: MyBooking },
  },
  {
    method: 'get',
    path: '/api/admin/users',
    summary: 'Accounts (search, role filter)',
    tag: 'users',
    access: 'admin',
    query: UserListQuery,
    replies: { 200: z.array(AdminUser) },
    paged: true,
  },
  {
    method: 'patch',
    path: '/api/admin/users/{id}',
    summary: "Change a role (ends that user's sessions)",
    tag: 'users',
    access: 'admin',
    params: IdParams,
    body: UpdateUserBody,
    replies: { 200: AdminUser },
  },
  {
    method: 'get',
    path: '/api/admin/analytics',
    summary: 'Figures and reports for a time range',
    tag: 'analytics',
    access: 'staff',
    query: AnalyticsQuery,
    replies: { 200: AnalyticsReport },
  },
  { method: 'get', path: '/health', summary: 'Liveness', tag: 'operations', access: 'anyone', replies: { 200: Health } },
  {
    method: 'get',
    path: '/ready',
    summary: 'Readiness (Postgres and Redis answer)',
    tag: 'operations',
    access: 'anyone',
    replies: { 200: Ready, 503: Ready },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (METRICS_TOKEN or METRICS_PORT)',
    tag: 'operations',
    access: 'metrics',
    replies: { 200: 'text' },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tag: 'documents',
    access: 'anyone',
    replies: { 200: z.record(z.unknown()) },
  },
  {
    method: 'get',
    path: '/api/asyncapi.json',
    summary: 'The Socket.IO contract as AsyncAPI 3',
    tag: 'documents',
    access: 'anyone',
    replies: { 200: z.record(z.unknown()) },
  },
  {
    method: 'get',
    path: '/api/docs',
    summary: 'A browsable page of this document',
    tag: 'documents',
    access: 'anyone',
    replies: { 200: 'text' },
  },
];
