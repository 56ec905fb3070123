import { solveChallenge } from 'altcha-lib/v1';
import { z } from 'zod';

/**
 * A proof-of-work challenge in the ALTCHA format: find `number` in 0..maxnumber with
 * lowercase hex SHA-256(`salt` + number) = `challenge`; `signature` is the server's HMAC of it.
 */
export const Challenge = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string(),
  salt: z.string(),
  maxnumber: z.number().int().min(1),
  signature: z.string(),
});
export type Challenge = z.infer<typeof Challenge>;

/** What a client sends back, as the base64 of this JSON (queue:join's `proof`). */
export const ProofPayload = z
  .object({
    algorithm: z.literal('SHA-256'),
    challenge: z.string().regex(/^[0-9a-f]{64}$/),
    number: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    salt: z.string().min(1).max(512),
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type ProofPayload = z.infer<typeof ProofPayload>;

/** The base64 text on the wire; its content is checked by the door, not the schema. */
export const ProofInput = z.string().min(1).max(2048);

/** `GET /api/events/:id/challenge`. */
export const ChallengeReply = z.object({ challenge: Challenge });
export type ChallengeReply = z.infer<typeof ChallengeReply>;

/** The base64 proof a client sends for a solved challenge. */
export function encodeProof(challenge: Challenge, number: number): string {
  const payload: ProofPayload = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  return btoa(JSON.stringify(payload));
}

/**
 * Solves a challenge with altcha-lib's solver, a slice of the range at a time so a page can
 * show progress (`onProgress(tried, maxnumber)`) and stop (`signal`). Null when not solvable.
 */
export async function solveChallengeProof(
  challenge: Challenge,
  opts: { onProgress?: (tried: number, of: number) => void; signal?: AbortSignal; sliceSize?: number } = {},
): Promise<string | null> {
  const slice = opts.sliceSize ?? 20_000;
  for (let start = 0; start <= challenge.maxnumber; start += slice) {
    if (opts.signal?.aborted) return null;
    const end = Math.min(challenge.maxnumber, start + slice - 1);
    const found = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, end, start).promise;
    if (found) {
      opts.onProgress?.(challenge.maxnumber, challenge.maxnumber);
      return encodeProof(challenge, found.number);
    }
    opts.onProgress?.(end + 1, challenge.maxnumber);
  }
  return null;
}
