import { z } from 'zod';
import { AccessCodeKind } from './access-codes.js';
import { EventSummary } from './http.js';
import { Id, IsoTime } from './primitives.js';

const Limit = z.coerce.number().int().min(1).max(500).default(100);
const Cursor = z.string().min(1).max(400).optional();

/** GET /api/admin/events: the events the caller manages (admins: all), newest first, any status. */
export const ManagedEventListQuery = z
  .object({ q: z.string().trim().min(1).max(200).optional(), limit: Limit, cursor: Cursor })
  .strict();
export type ManagedEventListQuery = z.infer<typeof ManagedEventListQuery>;

/** A catalog summary plus the live split of its seats (sold + held + available = capacity). */
export const ManagedEvent = EventSummary.extend({ sold: z.number().int(), held: z.number().int() });
export type ManagedEvent = z.infer<typeof ManagedEvent>;

/** One issued access code as the server knows it (only its hash is stored, never the code). */
export const AccessCodeSummary = z.object({
  id: Id,
  kind: AccessCodeKind,
  maxUses: z.number().int(),
  uses: z.number().int(),
  usesLeft: z.number().int(),
  createdAt: IsoTime,
});
export type AccessCodeSummary = z.infer<typeof AccessCodeSummary>;

export const WaitlistEntryStatus = z.enum(['waiting', 'offered']);

/** GET /api/admin/events/:id/waitlist: open entries in line order. */
export const AdminWaitlistEntry = z.object({
  id: Id,
  /** 1-based place among the waiting entries; null while an offer is out. */
  position: z.number().int().nullable(),
  status: WaitlistEntryStatus,
  userId: Id,
  userName: z.string(),
  userEmail: z.string(),
  quantity: z.number().int(),
  section: z.string().nullable(),
  since: IsoTime,
});
export type AdminWaitlistEntry = z.infer<typeof AdminWaitlistEntry>;

export const AuditQuery = z.object({ limit: Limit, cursor: Cursor }).strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One row of the append-only audit_log of an event, newest first. */
export const AuditEntry = z.object({
  id: z.string(),
  at: IsoTime,
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  data: z.record(z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** GET /api/admin/queue-health: the hold path as the admission loop sees it, per gateway and combined. */
export const QueueHealthReply = z.object({
  gateways: z.array(
    z.object({
      instance: z.string(),
      holdP95Ms: z.number().nullable(),
      /** Queries waiting for a database connection on that gateway. */
      dbWaiting: z.number().int(),
      at: IsoTime,
      /** Recent enough for the admission loop to count it. */
      fresh: z.boolean(),
    }),
  ),
  /** The fresh reports combined as the loop does (worst p95, summed queue); null without any. */
  combined: z.object({ holdP95Ms: z.number().nullable(), dbWaiting: z.number().int() }).nullable(),
  /** Past this database queue the loop cuts admissions (DB_QUEUE_MAX). */
  dbQueueMax: z.number().int(),
});
export type QueueHealthReply = z.infer<typeof QueueHealthReply>;
