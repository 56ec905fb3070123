import { z } from 'zod';
import { AnalyticsSnapshot } from './commands.js';
import { AdmissionSettings, Cents, Id, IsoTime, Role } from './primitives.js';

const Email = z.string().trim().toLowerCase().email().max(254);
const Password = z.string().min(8).max(256);
const Name = z.string().trim().min(1).max(200);
const Text = z.string().trim().min(1).max(200);

export const RegisterBody = z.object({ email: Email, password: Password, name: Name }).strict();
export const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(256) }).strict();
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512) }).strict();

export const PublicUser = z.object({ id: Id, email: z.string(), name: z.string(), role: Role });
export type PublicUser = z.infer<typeof PublicUser>;
export const AuthReply = z.object({
  user: PublicUser,
  accessToken: z.string(),
  refreshToken: z.string(),
});
export type AuthReply = z.infer<typeof AuthReply>;

export const SectionInput = z
  .object({
    name: Text.max(60),
    priceCents: Cents,
    rows: z.number().int().min(1).max(200),
    seatsPerRow: z.number().int().min(1).max(200),
  })
  .strict();

/** At most 50,000 seats per event: enough for an arena, small enough to create in one go. */
export const MAX_SEATS_PER_EVENT = 50_000;

export const CreateEventBody = z
  .object({
    name: Text,
    venue: Text,
    startsAt: IsoTime,
    saleStartsAt: IsoTime.optional(),
    maxSeatsPerUser: z.number().int().min(1).max(100).optional(),
    holdTtlSeconds: z.number().int().min(5).max(3600).optional(),
    sections: z.array(SectionInput).min(1).max(100),
    admission: AdmissionSettings.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const names = new Set(body.sections.map((s) => s.name));
    if (names.size !== body.sections.length) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'section names must be unique' });
    }
    const seats = body.sections.reduce((n, s) => n + s.rows * s.seatsPerRow, 0);
    if (seats > MAX_SEATS_PER_EVENT) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `at most ${MAX_SEATS_PER_EVENT} seats` });
    }
    if (body.saleStartsAt && Date.parse(body.saleStartsAt) > Date.parse(body.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['saleStartsAt'], message: 'sale must start before the event' });
    }
  });
export type CreateEventBody = z.infer<typeof CreateEventBody>;

export const UpdateEventBody = z
  .object({
    name: Text.optional(),
    venue: Text.optional(),
    startsAt: IsoTime.optional(),
    saleStartsAt: IsoTime.optional(),
    maxSeatsPerUser: z.number().int().min(1).max(100).optional(),
    holdTtlSeconds: z.number().int().min(5).max(3600).optional(),
    admission: AdmissionSettings.partial().strict().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' });
export type UpdateEventBody = z.infer<typeof UpdateEventBody>;

export const EventStatus = z.enum(['scheduled', 'on_sale', 'sold_out', 'ended', 'cancelled']);
export type EventStatus = z.infer<typeof EventStatus>;

export const EventSummary = z.object({
  id: Id,
  name: z.string(),
  venue: z.string(),
  startsAt: IsoTime,
  saleStartsAt: IsoTime,
  status: EventStatus,
  capacity: z.number().int(),
  available: z.number().int(),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const SectionSummary = z.object({
  id: Id,
  name: z.string(),
  priceCents: Cents,
  capacity: z.number().int(),
  available: z.number().int(),
});

export const EventDetail = EventSummary.extend({
  sections: z.array(SectionSummary),
  maxSeatsPerUser: z.number().int(),
  holdTtlSeconds: z.number().int(),
  admission: AdmissionSettings,
});
export type EventDetail = z.infer<typeof EventDetail>;

export const AnalyticsQuery = z.object({ from: IsoTime.optional(), to: IsoTime.optional(), eventId: Id.optional() }).strict();

/** GET /api/admin/analytics: roll-up figures for [from, to) at minute resolution (UTC days). */
export const AnalyticsReport = z.object({
  from: IsoTime,
  to: IsoTime,
  eventId: Id.optional(),
  holds: z.number().int(),
  heldSeats: z.number().int(),
  releases: z.number().int(),
  expiries: z.number().int(),
  bookings: z.number().int(),
  grossRevenueCents: z.number().int(),
  refundCents: z.number().int(),
  /** After refunds, like the live stream's revenueCents. */
  revenueCents: z.number().int(),
  cancellations: z.number().int(),
  holdsPerMinute: z.number(),
  confirmsPerMinute: z.number(),
  conversionRate: z.number(),
  cancellationRate: z.number(),
  daily: z.array(
    z.object({
      day: z.string(),
      holds: z.number().int(),
      bookings: z.number().int(),
      revenueCents: z.number().int(),
      cancellations: z.number().int(),
      refundCents: z.number().int(),
    }),
  ),
  events: z.array(
    z.object({
      eventId: Id,
      name: z.string(),
      holds: z.number().int(),
      bookings: z.number().int(),
      revenueCents: z.number().int(),
      cancellations: z.number().int(),
    }),
  ),
  /** The latest live snapshot (inventory, queue, waitlist, connections now), null before the first tick. */
  live: AnalyticsSnapshot.nullable(),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;

export const HttpError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** v1.1 GET /api/events/:id/seats: the static layout; `index` runs 0..capacity-1, never changes. */
export const SeatLayout = z.object({
  eventId: Id,
  layoutVersion: z.number().int().min(1),
  sections: z.array(z.object({ id: Id, name: z.string(), priceCents: Cents, position: z.number().int() })),
  seats: z.array(
    z.object({
      id: Id,
      index: z.number().int().min(0),
      section: z.string(),
      row: z.number().int(),
      number: z.number().int(),
      priceCents: Cents,
    }),
  ),
});
export type SeatLayout = z.infer<typeof SeatLayout>;
