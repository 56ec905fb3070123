import type { AdmissionSettings } from '../../contract/primitives.js';

/** The closed loop's default latency target (also the column default). */
export const DEFAULT_TARGET_HOLD_P95_MS = 250;

/** One event's waiting-room settings as mirrored in Redis (the row in Postgres is the truth). */
export interface AdmissionControl {
  eventId: string;
  settings: AdmissionSettings;
  paused: boolean;
  saleStartsAtMs: number;
  /** The event's start: the sale (and the queue) ends there. */
  endsAtMs: number;
  cancelled: boolean;
  /** `events.updated_at` in microseconds: newer rows overwrite the mirror, older ones never do. */
  version: number;
}

/** Flat hash fields, the order the store script expects after the version. */
export function toControlFields(c: AdmissionControl): (string | number)[] {
  return [
    'maxActive',
    c.settings.maxActive,
    'admitPerTick',
    c.settings.admitPerTick,
    'tickMs',
    c.settings.tickMs,
    'sessionTtlSeconds',
    c.settings.sessionTtlSeconds,
    'targetHoldP95Ms',
    c.settings.targetHoldP95Ms ?? DEFAULT_TARGET_HOLD_P95_MS,
    'auto',
    c.settings.auto === false ? 0 : 1,
    'challengeRequired',
    c.settings.challenge?.required ? 1 : 0,
    'requireVerifiedEmail',
    c.settings.requireVerifiedEmail ? 1 : 0,
    'paused',
    c.paused ? 1 : 0,
    'saleStartsAtMs',
    c.saleStartsAtMs,
    'endsAtMs',
    c.endsAtMs,
    'cancelled',
    c.cancelled ? 1 : 0,
  ];
}

export function fromControlHash(eventId: string, h: Record<string, string>): AdmissionControl | null {
  if (!h.version) return null;
  const n = (k: string) => Number(h[k]);
  return {
    eventId,
    settings: {
      maxActive: n('maxActive'),
      admitPerTick: n('admitPerTick'),
      tickMs: n('tickMs'),
      sessionTtlSeconds: n('sessionTtlSeconds'),
      // Mirrors written before the closed loop existed lack these: the defaults apply.
      targetHoldP95Ms: h.targetHoldP95Ms ? n('targetHoldP95Ms') : DEFAULT_TARGET_HOLD_P95_MS,
      auto: h.auto !== '0',
      challenge: { required: h.challengeRequired === '1' },
      requireVerifiedEmail: h.requireVerifiedEmail === '1',
    },
    paused: h.paused === '1',
    saleStartsAtMs: n('saleStartsAtMs'),
    endsAtMs: n('endsAtMs'),
    cancelled: h.cancelled === '1',
    version: n('version'),
  };
}
