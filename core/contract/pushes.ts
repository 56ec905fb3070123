import { z } from 'zod';
import { AnalyticsSnapshot } from './commands.js';
import { Cents, Id, IsoTime, SeatRef, SeatStatus } from './primitives.js';

export const SeatChange = z.object({ seatId: Id, status: SeatStatus, version: z.number().int() });
export type SeatChange = z.infer<typeof SeatChange>;

/** Server pushes on namespace `/`. */
export const pushes = {
  'seats:changed': z.object({ eventId: Id, changes: z.array(SeatChange) }),
  'queue:position': z.object({
    eventId: Id,
    position: z.number().int().nullable(),
    ahead: z.number().int(),
    etaSeconds: z.number().int().nullable(),
  }),
  'queue:admitted': z.object({ eventId: Id, admissionToken: z.string(), expiresAt: IsoTime }),
  'hold:expired': z.object({ holdId: Id, eventId: Id }),
  'waitlist:position': z.object({ eventId: Id, position: z.number().int() }),
  'waitlist:offer': z.object({
    eventId: Id,
    holdId: Id,
    seats: z.array(SeatRef),
    totalCents: Cents,
    expiresAt: IsoTime,
  }),
} as const;

/** Server pushes on namespace `/admin`. */
export const adminPushes = {
  'analytics:update': AnalyticsSnapshot,
} as const;

export type Pushes = typeof pushes;
export type PushName = keyof Pushes;
export type PushPayload<K extends PushName> = z.infer<Pushes[K]>;
export type AdminPushes = typeof adminPushes;
export type AdminPushName = keyof AdminPushes;
export type AdminPushPayload<K extends AdminPushName> = z.infer<AdminPushes[K]>;
