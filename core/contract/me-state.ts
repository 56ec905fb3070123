import { z } from 'zod';
import { Cents, Id, IsoTime, SeatRef } from './primitives.js';

/** An active hold of the user: one they made (`buyer`) or an open waitlist offer (`waitlist`). */
export const MyHold = z.object({
  holdId: Id,
  eventId: Id,
  seats: z.array(SeatRef),
  totalCents: Cents,
  expiresAt: IsoTime,
  origin: z.enum(['buyer', 'waitlist']),
});
export type MyHold = z.infer<typeof MyHold>;

export const MyWaitlistEntry = z.object({
  eventId: Id,
  position: z.number().int().min(1),
  quantity: z.number().int().min(1),
  section: z.string().optional(),
});
export type MyWaitlistEntry = z.infer<typeof MyWaitlistEntry>;

/** A waiting-room place or a live admission, as `queue:status` answers it, with its event. */
export const MyQueuePlace = z.discriminatedUnion('state', [
  z.object({
    eventId: Id,
    state: z.literal('waiting'),
    position: z.number().int().min(1).nullable(),
    ahead: z.number().int().min(0),
    etaSeconds: z.number().int().min(0).nullable(),
    paused: z.boolean().optional(),
  }),
  z.object({ eventId: Id, state: z.literal('admitted'), admissionToken: z.string(), expiresAt: IsoTime }),
]);
export type MyQueuePlace = z.infer<typeof MyQueuePlace>;

/** `me:state` and `GET /api/me/state` (PROTOCOL "Picking up where you left off"). */
export const MeState = z.object({
  at: IsoTime,
  holds: z.array(MyHold),
  waitlists: z.array(MyWaitlistEntry),
  queues: z.array(MyQueuePlace),
});
export type MeState = z.infer<typeof MeState>;
