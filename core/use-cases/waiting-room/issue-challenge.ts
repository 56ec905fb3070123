import { createHmac } from 'node:crypto';
import { createChallenge } from 'altcha-lib/v1';
import type { Challenge } from '../../contract/challenge.js';
import { challengeMaxNumber } from '../../domain/challenge-max-number.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

export interface ChallengeSettings {
  ttlSeconds: number;
  maxNumberMin: number;
  maxNumberMax: number;
  crowdStep: number;
}

export interface DoorDeps {
  redis: Redis;
  keys: Keys;
  admissionTokenSecret: string;
  challenge: ChallengeSettings;
}

/** The challenge HMAC key, derived from the admission secret so that neither can be used for the other. */
export function challengeKeyOf(admissionTokenSecret: string): string {
  return createHmac('sha256', admissionTokenSecret).update('evently altcha challenge').digest('hex');
}

/**
 * A fresh challenge for this user and this event: both ids and the expiry ride in the salt,
 * which the signature covers, so a proof is worth nothing for another user or event or after
 * `ttlSeconds`. Its work follows the crowd already waiting (challengeMaxNumber).
 */
export async function issueChallenge(deps: DoorDeps, eventId: string, userId: string, now: Date): Promise<Challenge> {
  const waiting = await deps.redis.zcard(deps.keys.queue(eventId));
  const created = await createChallenge({
    algorithm: 'SHA-256',
    hmacKey: challengeKeyOf(deps.admissionTokenSecret),
    maxnumber: challengeMaxNumber(waiting, deps.challenge),
    expires: new Date(now.getTime() + deps.challenge.ttlSeconds * 1000),
    params: { e: eventId, u: userId },
  });
  return {
    algorithm: 'SHA-256',
    challenge: created.challenge,
    salt: created.salt,
    maxnumber: created.maxnumber ?? deps.challenge.maxNumberMin,
    signature: created.signature,
  };
}
