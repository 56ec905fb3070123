import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { AdmissionControl } from './admission-control.js';
import { type DoorDeps, issueChallenge } from './issue-challenge.js';
import { spendProof } from './spend-proof.js';

/** True while the user waits in the event's room (pre-queue included) or holds a live admission. */
async function holdsPlace(deps: DoorDeps, eventId: string, userId: string, nowMs: number): Promise<boolean> {
  const [order, admittedUntil] = await Promise.all([
    deps.redis.zscore(deps.keys.queue(eventId), userId),
    deps.redis.zscore(deps.keys.active(eventId), userId),
  ]);
  return order !== null || (admittedUntil !== null && Number(admittedUntil) > nowMs);
}

/**
 * The event's door, before a join takes a place: a verified email when the event asks for one,
 * then a proof of work when the challenge is on (not for a user who already has a place or an
 * admission: joining again keeps it). Refusals change nothing; a refused proof is answered with
 * a fresh challenge, so a client never needs a second round trip to learn what to solve.
 */
export async function passDoor(
  deps: DoorDeps & { pool: Pool },
  control: AdmissionControl,
  userId: string,
  proof: string | undefined,
  now: Date,
): Promise<void> {
  const { eventId, settings } = control;
  if (settings.requireVerifiedEmail) {
    const verified = await deps.pool.maybeOneFirst(
      sql.type(z.object({ email_verified: z.boolean() }))`SELECT email_verified FROM users WHERE id = ${userId}`,
    );
    if (verified !== true) {
      throw new AppError('FORBIDDEN', 'this event asks for a verified email address', { reason: 'email_unverified' });
    }
  }
  if (!settings.challenge?.required) return;
  if (await holdsPlace(deps, eventId, userId, now.getTime())) return;
  if (proof !== undefined && (await spendProof(deps, eventId, userId, proof, now))) return;
  const challenge = await issueChallenge(deps, eventId, userId, now);
  throw new AppError(
    'CHALLENGE_REQUIRED',
    proof === undefined ? 'this waiting room asks for a proof of work' : 'the proof was not accepted: solve this one',
    { challenge },
  );
}
