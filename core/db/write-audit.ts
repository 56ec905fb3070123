import type { Db } from './pool.js';
import { sql } from './sql.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  eventId?: string | null;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/** Appends to the audit log; call inside the transaction of the change it records. */
export async function writeAudit(tx: Db, e: AuditEntry): Promise<void> {
  await tx.query(
    sql.typeAlias('void')`INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
     VALUES (${e.actorId}, ${e.action}, ${e.eventId ?? null}, ${e.entityType}, ${e.entityId}, ${JSON.stringify(e.data ?? {})})`,
  );
}
