import { z } from 'zod';
import { IsoTime, ShopUrl } from './primitives.js';

/** A user's place in one event's waiting room (`queue:join` and `queue:status` replies). */
export const QueueState = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('waiting'),
    position: z.number().int().min(1).nullable(),
    ahead: z.number().int().min(0),
    etaSeconds: z.number().int().min(0).nullable(),
    /** The waiting room is paused by an admin. */
    paused: z.boolean().optional(),
    /** HTTP only (`GET /api/events/:id/queue`): poll again no sooner than this. */
    refreshAfterMs: z.number().int().min(0).optional(),
  }),
  z.object({ state: z.literal('admitted'), admissionToken: z.string(), expiresAt: IsoTime, shopUrl: ShopUrl.optional() }),
  z.object({ state: z.literal('none') }),
]);
export type QueueState = z.infer<typeof QueueState>;
