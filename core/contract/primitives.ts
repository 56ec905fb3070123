import { z } from 'zod';

/** Ids are uuids on the wire; validating the shape keeps odd strings away from Postgres casts. */
export const Id = z.string().uuid();
export const IsoTime = z.string().datetime({ offset: true });
/**
 * Where an admitted buyer sends the seat commands (the shop tier's origin, on an admission).
 * Absent: where they are (one tier). A client that ignores it keeps working on an `all` gateway.
 */
export const ShopUrl = z.string().url();
export const Cents = z.number().int().min(0).max(100_000_000);
export const SeatStatus = z.enum(['available', 'held', 'sold']);
export type SeatStatus = z.infer<typeof SeatStatus>;
export const Role = z.enum(['user', 'organizer', 'admin']);
export type Role = z.infer<typeof Role>;
export const IdempotencyKey = z.string().min(1).max(128);
/** Hard cap on how many seats one request may name; the per-event limit is checked later. */
export const MAX_SEATS_PER_REQUEST = 100;

export const SeatRef = z.object({
  id: Id,
  section: z.string(),
  row: z.number().int(),
  number: z.number().int(),
  priceCents: Cents,
});
export type SeatRef = z.infer<typeof SeatRef>;

export const SeatState = SeatRef.extend({ status: SeatStatus, version: z.number().int() });
export type SeatState = z.infer<typeof SeatState>;

export const AdmissionSettings = z
  .object({
    maxActive: z.number().int().min(1).max(1_000_000),
    admitPerTick: z.number().int().min(1).max(100_000),
    tickMs: z.number().int().min(50).max(60_000),
    sessionTtlSeconds: z.number().int().min(10).max(86_400),
    /** Closed loop: the hold/confirm ack p95 the admission rate steers towards (default 250). */
    targetHoldP95Ms: z.number().int().min(10).max(60_000).optional(),
    /** Closed loop on (default) or off (fixed admitPerTick). */
    auto: z.boolean().optional(),
    /** A proof of work at queue:join (default off). */
    challenge: z.object({ required: z.boolean() }).strict().optional(),
    /** Only accounts with a verified email may join the waiting room (default false). */
    requireVerifiedEmail: z.boolean().optional(),
  })
  .strict();
export type AdmissionSettings = z.infer<typeof AdmissionSettings>;
