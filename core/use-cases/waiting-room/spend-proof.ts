import { extractParams, verifySolution } from 'altcha-lib/v1';
import { ProofPayload } from '../../contract/challenge.js';
import { challengeKeyOf, type DoorDeps } from './issue-challenge.js';

function decodeProof(proof: string): ProofPayload | null {
  try {
    const parsed = ProofPayload.safeParse(JSON.parse(Buffer.from(proof, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * True when `proof` solves a challenge issued to this user for this event, not expired, and
 * this is its first use: the spend is one `SET NX` in Redis, so two joins racing with the same
 * proof (two tabs, two gateways) cannot both pass. False changes nothing.
 */
export async function spendProof(deps: DoorDeps, eventId: string, userId: string, proof: string, now: Date): Promise<boolean> {
  const payload = decodeProof(proof);
  if (!payload) return false;
  const params = extractParams(payload);
  if (params.e !== eventId || params.u !== userId) return false;
  const expiresAtMs = Number(params.expires) * 1000;
  if (!Number.isFinite(expiresAtMs) || expiresAtMs <= now.getTime()) return false;
  if (!(await verifySolution(payload, challengeKeyOf(deps.admissionTokenSecret), true))) return false;
  // Kept until the challenge would have expired anyway (plus a margin for clock skew).
  const keepMs = Math.max(1000, expiresAtMs - now.getTime() + 60_000);
  const spent = await deps.redis.set(deps.keys.challengeSpent(eventId, payload.signature), '1', 'PX', keepMs, 'NX');
  return spent === 'OK';
}
