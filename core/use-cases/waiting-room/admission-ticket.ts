import { signAdmissionToken } from '../../auth/admission-tokens.js';
import type { AdmissionSessionRecord } from './admission-session.js';

export interface AdmissionTicket {
  admissionToken: string;
  expiresAt: string;
}

/**
 * The token of a stored session. Signing is deterministic (fixed `iat`), so the admitter's push,
 * a later `queue:status` on another gateway and a re-join all hand out the very same token.
 */
export function admissionTicketOf(
  session: AdmissionSessionRecord,
  who: { userId: string; eventId: string },
  secret: string,
): AdmissionTicket {
  const admissionToken = signAdmissionToken(
    { userId: who.userId, eventId: who.eventId, sessionId: session.sessionId },
    secret,
    session.expiresAtSec - session.issuedAtSec,
    new Date(session.issuedAtSec * 1000),
  );
  return { admissionToken, expiresAt: new Date(session.expiresAtSec * 1000).toISOString() };
}
