import { z } from 'zod';
import { AnalyticsSnapshot } from './commands.js';
import { AdmissionSettings, Cents, Id, IsoTime, Role } from './primitives.js';

const Email = z.string().trim().toLowerCase().email().max(254);
export const Password = z.string().min(8).max(256);
const Name = z.string().trim().min(1).max(200);
const Text = z.string().trim().min(1).max(200);

export const RegisterBody = z.object({ email: Email, password: Password, name: Name }).strict();
export const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(256) }).strict();
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512) }).strict();

export const PublicUser = z.object({ id: Id, email: z.string(), name: z.string(), role: Role, emailVerified: z.boolean() });
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

/** A seat layout: what an event is created with and what a venue keeps. */
export const SectionsInput = z
  .array(SectionInput)
  .min(1)
  .max(100)
  .superRefine((sections, ctx) => {
    const names = new Set(sections.map((s) => s.name));
    if (names.size !== sections.length) ctx.addIssue({ code: 'custom', message: 'section names must be unique' });
    const seats = sections.reduce((n, s) => n + s.rows * s.seatsPerRow, 0);
    if (seats > MAX_SEATS_PER_EVENT) ctx.addIssue({ code: 'custom', message: `at most ${MAX_SEATS_PER_EVENT} seats` });
  });
export type SectionsInput = z.infer<typeof SectionsInput>;

const Series = Text;
const RefundPercent = z.number().int().min(0).max(100);

/** Times that must come in order: presale, then sale, then the event (checked where all are known). */
function checkTimeOrder(b: { startsAt?: string; saleStartsAt?: string; presaleStartsAt?: string | null }, ctx: z.RefinementCtx) {
  if (b.saleStartsAt && b.startsAt && Date.parse(b.saleStartsAt) > Date.parse(b.startsAt)) {
    ctx.addIssue({ code: 'custom', path: ['saleStartsAt'], message: 'sale must start before the event' });
  }
  if (b.presaleStartsAt && b.saleStartsAt && Date.parse(b.presaleStartsAt) > Date.parse(b.saleStartsAt)) {
    ctx.addIssue({ code: 'custom', path: ['presaleStartsAt'], message: 'presale must start before the sale' });
  }
}

export const CreateEventBody = z
  .object({
    name: Text,
    /** Optional with venueId: the venue's name is used. */
    venue: Text.optional(),
    startsAt: IsoTime,
    saleStartsAt: IsoTime.optional(),
    maxSeatsPerUser: z.number().int().min(1).max(100).optional(),
    holdTtlSeconds: z.number().int().min(5).max(3600).optional(),
    /** Optional with venueId: the venue's saved layout is copied. */
    sections: SectionsInput.optional(),
    admission: AdmissionSettings.optional(),
    venueId: Id.optional(),
    series: Series.optional(),
    presaleStartsAt: IsoTime.optional(),
    refundPercent: RefundPercent.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.venueId && !body.sections) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'give sections or a venueId' });
    }
    if (!body.venueId && !body.venue) {
      ctx.addIssue({ code: 'custom', path: ['venue'], message: 'give venue or a venueId' });
    }
    checkTimeOrder(body, ctx);
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
    /** Links the event to another venue; its seats stay as they are. */
    venueId: Id.nullable().optional(),
    series: Series.nullable().optional(),
    presaleStartsAt: IsoTime.nullable().optional(),
    refundPercent: RefundPercent.optional(),
    /** The whole layout (sections, rows, seats per row, prices): only before the sale (or presale)
     * opens and before anyone held, booked, waited or used a code (CONFLICT otherwise). */
    sections: SectionsInput.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' })
  .superRefine(checkTimeOrder);
export type UpdateEventBody = z.infer<typeof UpdateEventBody>;

const QueryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** GET /api/events filters; all optional, they combine (AND). */
export const EventListQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional(),
    venueId: Id.optional(),
    series: z.string().trim().min(1).max(200).optional(),
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    available: QueryBool.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be after from',
  });
export type EventListQuery = z.infer<typeof EventListQuery>;

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
  venueId: Id.nullable(),
  series: z.string().nullable(),
  presaleStartsAt: IsoTime.nullable(),
  refundPercent: z.number().int(),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const SectionSummary = z.object({
  id: Id,
  name: z.string(),
  priceCents: Cents,
  capacity: z.number().int(),
  available: z.number().int(),
  /** The section's shape (capacity = rows x seatsPerRow), as the layout was created or last edited. */
  rows: z.number().int(),
  seatsPerRow: z.number().int(),
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
  /** The daily figures summed per UTC month (`YYYY-MM`). */
  monthly: z.array(
    z.object({
      month: z.string(),
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
  /** Access codes of the event (or all): issued, used (all time) and used within the range, per kind. */
  /** Reports: registrations per day (admins, no eventId), active users, most booked, capacity utilization. */
  reports: z
    .object({
      registrationsPerDay: z.array(z.object({ day: z.string(), registrations: z.number().int() })).nullable(),
      activeUsers: z.number().int(),
      mostBooked: z.array(
        z.object({ eventId: Id, name: z.string(), bookings: z.number().int(), revenueCents: z.number().int() }),
      ),
      capacityUtilization: z.object({
        capacity: z.number().int(),
        sold: z.number().int(),
        ratio: z.number(),
        events: z.array(
          z.object({ eventId: Id, name: z.string(), capacity: z.number().int(), sold: z.number().int(), ratio: z.number() }),
        ),
      }),
    })
    .optional(),
  accessCodes: z
    .object({
      presale: z.object({ codes: z.number().int(), uses: z.number().int(), usesInRange: z.number().int() }),
      bypass: z.object({ codes: z.number().int(), uses: z.number().int(), usesInRange: z.number().int() }),
    })
    .optional(),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;

export const HttpError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** GET /api/events/:id/seats: the static layout; `index` runs 0..capacity-1, never changes. */
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
