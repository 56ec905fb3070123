import { z } from 'zod';
import { AnalyticsSnapshot, Availability } from './commands.js';
import { Cents, Id, IsoTime, SeatRef, SeatStatus, ShopUrl } from './primitives.js';

export const SeatChange = z.object({ seatId: Id, status: SeatStatus, version: z.number().int() });
export type SeatChange = z.infer<typeof SeatChange>;

/** A compact change: `[seat index, 'a' | 'h' | 's']`. */
export const CompactSeatChange = z.tuple([z.number().int().min(0), z.enum(['a', 'h', 's'])]);
export type CompactSeatChange = z.infer<typeof CompactSeatChange>;

export const QueueRoomState = z.enum(['paused', 'resumed', 'sold_out', 'cancelled']);
export type QueueRoomState = z.infer<typeof QueueRoomState>;

/** Server pushes on namespace `/`. */
export const pushes = {
  'seats:changed': z.object({ eventId: Id, changes: z.array(SeatChange) }),
  'queue:position': z.object({
    eventId: Id,
    position: z.number().int().nullable(),
    ahead: z.number().int(),
    etaSeconds: z.number().int().nullable(),
    paused: z.boolean().optional(),
  }),
  'queue:admitted': z.object({ eventId: Id, admissionToken: z.string(), expiresAt: IsoTime, shopUrl: ShopUrl.optional() }),
  'hold:expired': z.object({ holdId: Id, eventId: Id }),
  'waitlist:position': z.object({ eventId: Id, position: z.number().int() }),
  'waitlist:offer': z.object({
    eventId: Id,
    holdId: Id,
    seats: z.array(SeatRef),
    totalCents: Cents,
    expiresAt: IsoTime,
  }),
  /** To compact subscribers instead of `seats:changed`; `prevSeq` not the last seen = resync. */
  'seats:delta': z.object({
    eventId: Id,
    seq: z.number().int().min(0),
    prevSeq: z.number().int().min(0),
    changes: z.array(CompactSeatChange),
  }),
  /** At most one per second per event, while availability changes. */
  'availability:changed': Availability,
  /** To every socket waiting in the event's room. */
  'queue:state': z.object({ eventId: Id, state: QueueRoomState, at: IsoTime }),
  /** Sent right before the server closes a socket whose sessions ended (role change, revocation). */
  'session:ended': z.object({ reason: z.string() }),
} as const;

/** Server pushes on namespace `/admin`. */
export const adminPushes = {
  'analytics:update': AnalyticsSnapshot,
  'session:ended': z.object({ reason: z.string() }),
} as const;

export type Pushes = typeof pushes;
export type PushName = keyof Pushes;
export type PushPayload<K extends PushName> = z.infer<Pushes[K]>;
export type AdminPushes = typeof adminPushes;
export type AdminPushName = keyof AdminPushes;
export type AdminPushPayload<K extends AdminPushName> = z.infer<AdminPushes[K]>;
