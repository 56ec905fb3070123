import { z } from 'zod';
import type { EventDetail, EventSummary } from '../../contract/http.js';
import type { AdmissionSettings } from '../../contract/primitives.js';
import { sql } from '../../db/sql.js';
import { eventStatus } from '../../domain/event-status.js';

/** Columns every event query selects, with the live seat counts. */
export const EVENT_COLUMNS = sql.fragment`e.id, e.name, e.venue, e.starts_at, e.sale_starts_at, e.cancelled_at,
  e.max_seats_per_user, e.hold_ttl_seconds, e.capacity,
  e.admission_max_active, e.admission_admit_per_tick, e.admission_tick_ms, e.admission_session_ttl_seconds,
  e.admission_target_hold_p95_ms, e.admission_auto, e.admission_challenge_required, e.admission_require_verified_email,
  e.owner_id, e.venue_id, e.series, e.presale_starts_at, e.refund_percent,
  (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'available') AS available`;

export const EventRow = z.object({
  id: z.string(),
  name: z.string(),
  venue: z.string(),
  starts_at: z.date(),
  sale_starts_at: z.date(),
  cancelled_at: z.date().nullable(),
  max_seats_per_user: z.number(),
  hold_ttl_seconds: z.number(),
  capacity: z.number(),
  admission_max_active: z.number(),
  admission_admit_per_tick: z.number(),
  admission_tick_ms: z.number(),
  admission_session_ttl_seconds: z.number(),
  admission_target_hold_p95_ms: z.number(),
  admission_auto: z.boolean(),
  admission_challenge_required: z.boolean(),
  admission_require_verified_email: z.boolean(),
  owner_id: z.string().nullable(),
  venue_id: z.string().nullable(),
  series: z.string().nullable(),
  presale_starts_at: z.date().nullable(),
  refund_percent: z.number(),
  available: z.number(),
});
export type EventRow = z.infer<typeof EventRow>;

/** The admission columns of an events row (the waiting room reads them too: findAdmissionControls). */
type AdmissionColumns = Pick<
  EventRow,
  | 'admission_max_active'
  | 'admission_admit_per_tick'
  | 'admission_tick_ms'
  | 'admission_session_ttl_seconds'
  | 'admission_target_hold_p95_ms'
  | 'admission_auto'
  | 'admission_challenge_required'
  | 'admission_require_verified_email'
>;

export function admissionOf(r: AdmissionColumns): AdmissionSettings {
  return {
    maxActive: r.admission_max_active,
    admitPerTick: r.admission_admit_per_tick,
    tickMs: r.admission_tick_ms,
    sessionTtlSeconds: r.admission_session_ttl_seconds,
    targetHoldP95Ms: r.admission_target_hold_p95_ms,
    auto: r.admission_auto,
    challenge: { required: r.admission_challenge_required },
    requireVerifiedEmail: r.admission_require_verified_email,
  };
}

export function toEventSummary(r: EventRow, now: Date): EventSummary {
  return {
    id: r.id,
    name: r.name,
    venue: r.venue,
    startsAt: r.starts_at.toISOString(),
    saleStartsAt: r.sale_starts_at.toISOString(),
    status: eventStatus(
      { cancelledAt: r.cancelled_at, startsAt: r.starts_at, saleStartsAt: r.sale_starts_at, available: r.available },
      now,
    ),
    capacity: r.capacity,
    available: r.available,
    venueId: r.venue_id,
    series: r.series,
    presaleStartsAt: r.presale_starts_at?.toISOString() ?? null,
    refundPercent: r.refund_percent,
  };
}

export function toEventDetail(r: EventRow, sections: EventDetail['sections'], now: Date): EventDetail {
  return {
    ...toEventSummary(r, now),
    sections,
    maxSeatsPerUser: r.max_seats_per_user,
    holdTtlSeconds: r.hold_ttl_seconds,
    admission: admissionOf(r),
  };
}
