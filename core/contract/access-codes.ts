import { z } from 'zod';
import { Id } from './primitives.js';

export const AccessCodeKind = z.enum(['presale', 'bypass']);
export type AccessCodeKind = z.infer<typeof AccessCodeKind>;

/** What a holder types or a link carries: letters, digits and dashes, case-insensitive. */
export const AccessCodeInput = z
  .string()
  .trim()
  .min(4)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only');

export const CreateAccessCodesBody = z
  .object({
    count: z.number().int().min(1).max(1000),
    kind: AccessCodeKind,
    maxUses: z.number().int().min(1).max(1_000_000).default(1),
  })
  .strict();
export type CreateAccessCodesBody = z.infer<typeof CreateAccessCodesBody>;

export const CreatedAccessCodes = z.object({
  eventId: Id,
  kind: AccessCodeKind,
  maxUses: z.number().int(),
  /** The plain codes: shown this once, only their hashes are stored. */
  codes: z.array(z.string()),
});
export type CreatedAccessCodes = z.infer<typeof CreatedAccessCodes>;
