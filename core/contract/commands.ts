import { z } from 'zod';
import { AccessCodeInput } from './access-codes.js';
import { ProofInput } from './challenge.js';
import { MeState } from './me-state.js';
import {
  AdmissionSettings,
  Cents,
  Id,
  IdempotencyKey,
  IsoTime,
  MAX_SEATS_PER_REQUEST,
  SeatRef,
  SeatState,
} from './primitives.js';
import { QueueState } from './queue-state.js';

const Empty = z.object({}).strict();
const EventOnly = z.object({ eventId: Id }).strict();

export { QueueState };

/** `seats:hold`'s fields before the rules that tie them together (HTTP documents its body from it). */
export const HoldFields = z
  .object({
    eventId: Id,
    admissionToken: z.string().min(1).max(2048),
    idempotencyKey: IdempotencyKey,
    seatIds: z.array(Id).min(1).max(MAX_SEATS_PER_REQUEST).optional(),
    section: z.string().min(1).max(60).optional(),
    quantity: z.number().int().min(1).max(MAX_SEATS_PER_REQUEST).optional(),
    acceptPartial: z.boolean().optional(),
    waitlistRest: z.boolean().optional(),
  })
  .strict();

export const HoldPayload = HoldFields.superRefine((p, ctx) => {
  const byIds = p.seatIds !== undefined;
  const byQuantity = p.quantity !== undefined;
  if (byIds === byQuantity) {
    ctx.addIssue({ code: 'custom', message: 'give either seatIds or quantity (with optional section)' });
  }
  if (byIds && p.section !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['section'], message: 'section goes with quantity, not seatIds' });
  }
  if (p.seatIds && new Set(p.seatIds).size !== p.seatIds.length) {
    ctx.addIssue({ code: 'custom', path: ['seatIds'], message: 'duplicate seat ids' });
  }
  if (p.waitlistRest && !p.acceptPartial) {
    ctx.addIssue({ code: 'custom', path: ['waitlistRest'], message: 'waitlistRest needs acceptPartial' });
  }
});
export type HoldPayload = z.infer<typeof HoldPayload>;

export const HoldReply = z.object({
  holdId: Id,
  eventId: Id,
  seats: z.array(SeatRef),
  totalCents: Cents,
  expiresAt: IsoTime,
  waitlist: z.object({ position: z.number().int(), quantity: z.number().int() }).optional(),
});
export type HoldReply = z.infer<typeof HoldReply>;

export const BookingStatus = z.enum(['confirmed', 'cancelled']);
export const Booking = z.object({
  bookingId: Id,
  reference: z.string(),
  eventId: Id,
  seats: z.array(SeatRef),
  totalCents: Cents,
  status: BookingStatus,
  createdAt: IsoTime,
});
export type Booking = z.infer<typeof Booking>;

export const ConfirmReply = z.object({
  bookingId: Id,
  reference: z.string(),
  eventId: Id,
  seats: z.array(SeatRef),
  totalCents: Cents,
  status: z.literal('confirmed'),
});
export type ConfirmReply = z.infer<typeof ConfirmReply>;

/** Seat-map formats: `full` (the default, what a client that names none gets) or `compact` (one character per seat index). */
export const SeatMapFormat = z.enum(['full', 'compact']);
export type SeatMapFormat = z.infer<typeof SeatMapFormat>;

export const SeatsSubscribePayload = z.object({ eventId: Id, format: SeatMapFormat.optional() }).strict();

/** v1 reply (also `format:'full'`): every seat with status and version. `seq` as in the compact reply (a client that knows only versions ignores it). */
export const FullSeatMap = z.object({
  eventId: Id,
  format: z.literal('full').optional(),
  seq: z.number().int().min(0).optional(),
  seats: z.array(SeatState),
});
export type FullSeatMap = z.infer<typeof FullSeatMap>;

/** Compact reply: `status[index]` is `a`, `h` or `s`; `seq` as in `seats:delta`. */
export const CompactSeatMap = z.object({
  eventId: Id,
  format: z.literal('compact'),
  seq: z.number().int().min(0),
  status: z.string().regex(/^[ahs]*$/),
});
export type CompactSeatMap = z.infer<typeof CompactSeatMap>;

/** Availability summary (`availability:subscribe` reply and `availability:changed` push). */
export const Availability = z.object({
  eventId: Id,
  at: IsoTime,
  capacity: z.number().int().min(0),
  available: z.number().int().min(0),
  sections: z.array(
    z.object({ id: Id, name: z.string(), capacity: z.number().int().min(0), available: z.number().int().min(0) }),
  ),
});
export type Availability = z.infer<typeof Availability>;

/** Commands on namespace `/`: payload schema (validated on the server) and reply schema. */
export const commands = {
  'seats:subscribe': {
    payload: SeatsSubscribePayload,
    reply: z.union([CompactSeatMap, FullSeatMap]),
  },
  'seats:unsubscribe': { payload: EventOnly, reply: Empty },
  'queue:join': {
    /** `accessCode`: a presale or bypass code for this event; `proof`: a solved challenge. */
    payload: z.object({ eventId: Id, accessCode: AccessCodeInput.optional(), proof: ProofInput.optional() }).strict(),
    reply: QueueState,
  },
  'queue:status': { payload: EventOnly, reply: QueueState },
  'queue:leave': { payload: EventOnly, reply: Empty },
  'seats:hold': { payload: HoldPayload, reply: HoldReply },
  'hold:release': {
    payload: z.object({ holdId: Id }).strict(),
    reply: z.object({ holdId: Id, released: z.number().int() }),
  },
  'hold:confirm': {
    payload: z
      .object({
        holdId: Id,
        idempotencyKey: IdempotencyKey,
        payment: z.object({ method: z.literal('mock'), outcome: z.enum(['approve', 'decline']).optional() }).strict(),
      })
      .strict(),
    reply: ConfirmReply,
  },
  'booking:list': { payload: Empty, reply: z.object({ bookings: z.array(Booking) }) },
  'booking:cancel': {
    payload: z.object({ bookingId: Id }).strict(),
    reply: z.object({ bookingId: Id, status: z.literal('cancelled'), refundCents: Cents }),
  },
  'waitlist:join': {
    payload: z
      .object({
        eventId: Id,
        quantity: z.number().int().min(1).max(MAX_SEATS_PER_REQUEST),
        section: z.string().min(1).max(60).optional(),
      })
      .strict(),
    reply: z.object({ eventId: Id, position: z.number().int(), quantity: z.number().int() }),
  },
  'waitlist:leave': { payload: EventOnly, reply: Empty },
  'availability:subscribe': { payload: EventOnly, reply: Availability },
  'availability:unsubscribe': { payload: EventOnly, reply: Empty },
  /** Everything the user has (holds, offers, waitlist entries, places, admissions). */
  'me:state': { payload: Empty, reply: MeState },
} as const;

export const AnalyticsSnapshot = z.object({
  at: IsoTime,
  eventId: Id.optional(),
  capacity: z.number().int(),
  available: z.number().int(),
  held: z.number().int(),
  sold: z.number().int(),
  revenueCents: z.number().int(),
  holdsPerMinute: z.number(),
  confirmsPerMinute: z.number(),
  conversionRate: z.number(),
  cancellationRate: z.number(),
  queue: z.object({
    waiting: z.number().int(),
    active: z.number().int(),
    admittedPerMinute: z.number(),
    paused: z.boolean(),
    fairnessDisplacement: z.number().int().optional(),
    /** Closed loop: on or off, the latency target, the measured hold/confirm ack p95 across
     * gateways (null when nothing was measured), and the admitted-per-tick limit it chose. */
    auto: z.boolean().optional(),
    targetHoldP95Ms: z.number().int().optional(),
    holdP95Ms: z.number().nullable().optional(),
    admitLimitPerTick: z.number().int().optional(),
  }),
  waitlist: z.object({ entries: z.number().int(), seats: z.number().int() }),
  connections: z.number().int(),
  connectionsByInstance: z.record(z.number().int()).optional(),
  topEvents: z.array(z.object({ eventId: Id, name: z.string(), sold: z.number().int(), revenueCents: z.number().int() })),
});
export type AnalyticsSnapshot = z.infer<typeof AnalyticsSnapshot>;

export const AdmissionState = AdmissionSettings.extend({ eventId: Id, paused: z.boolean() });
export type AdmissionState = z.infer<typeof AdmissionState>;

/** Commands on namespace `/admin`. */
export const adminCommands = {
  'analytics:subscribe': {
    payload: z.object({ eventId: Id.optional() }).strict(),
    reply: AnalyticsSnapshot,
  },
  'analytics:unsubscribe': { payload: z.object({ eventId: Id.optional() }).strict(), reply: Empty },
  'queue:control': {
    payload: z
      .object({
        eventId: Id,
        action: z.enum(['pause', 'resume', 'configure']),
        maxActive: AdmissionSettings.shape.maxActive.optional(),
        admitPerTick: AdmissionSettings.shape.admitPerTick.optional(),
        tickMs: AdmissionSettings.shape.tickMs.optional(),
        targetHoldP95Ms: AdmissionSettings.shape.targetHoldP95Ms,
        auto: AdmissionSettings.shape.auto,
        challenge: AdmissionSettings.shape.challenge,
        requireVerifiedEmail: AdmissionSettings.shape.requireVerifiedEmail,
      })
      .strict()
      .refine(
        (p) =>
          p.action !== 'configure' ||
          p.maxActive ||
          p.admitPerTick ||
          p.tickMs ||
          p.targetHoldP95Ms ||
          p.auto !== undefined ||
          p.challenge !== undefined ||
          p.requireVerifiedEmail !== undefined,
        {
          message:
            'configure needs at least one of maxActive, admitPerTick, tickMs, targetHoldP95Ms, auto, challenge, requireVerifiedEmail',
        },
      ),
    reply: AdmissionState,
  },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type AdminCommands = typeof adminCommands;
export type AdminCommandName = keyof AdminCommands;
export type CommandPayload<K extends CommandName> = z.infer<Commands[K]['payload']>;
export type CommandReply<K extends CommandName> = z.infer<Commands[K]['reply']>;
export type AdminCommandPayload<K extends AdminCommandName> = z.infer<AdminCommands[K]['payload']>;
export type AdminCommandReply<K extends AdminCommandName> = z.infer<AdminCommands[K]['reply']>;

export type { Cents };
