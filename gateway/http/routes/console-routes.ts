import { z } from 'zod';
import { AuditQuery, ManagedEventListQuery } from '../../../core/contract/console.js';
import { Id } from '../../../core/contract/primitives.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { listAccessCodes } from '../../../core/use-cases/access-codes/list-access-codes.js';
import { listEventAudit } from '../../../core/use-cases/catalog/list-event-audit.js';
import { listManagedEvents } from '../../../core/use-cases/catalog/list-managed-events.js';
import { getQueueHealth } from '../../../core/use-cases/waiting-room/get-queue-health.js';
import { listWaitlistEntries } from '../../../core/use-cases/waitlist/list-waitlist-entries.js';
import { removeWaitlistEntry } from '../../../core/use-cases/waitlist/remove-waitlist-entry.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { pageReply } from '../page-reply.js';
import { requireStaff } from '../require-staff.js';

const EventParams = z.object({ id: Id });
const EntryParams = z.object({ id: Id, entryId: Id });

/** What the organizer's console reads beyond the catalog: its events, codes, waitlist, audit log. */
export function registerConsoleRoutes(router: Router, app: AppContext) {
  const staff = (req: Parameters<typeof requireStaff>[0]) => requireStaff(req, app.config.jwtAccessSecret, app.pool);

  router.get('/api/admin/events', async (req) => {
    const actor = await staff(req);
    const query = parseInput(ManagedEventListQuery, Object.fromEntries(req.query));
    return pageReply(req, await listManagedEvents(app.pool, actor, app.now(), query));
  });
  router.get('/api/admin/events/:id/access-codes', async (req) => {
    const actor = await staff(req);
    const { id } = parseInput(EventParams, req.params);
    return { status: 200, body: await listAccessCodes(app.pool, actor, id) };
  });
  router.get('/api/admin/events/:id/waitlist', async (req) => {
    const actor = await staff(req);
    const { id } = parseInput(EventParams, req.params);
    return { status: 200, body: await listWaitlistEntries(app.pool, actor, id) };
  });
  router.delete('/api/admin/events/:id/waitlist/:entryId', async (req) => {
    const actor = await staff(req);
    const { id, entryId } = parseInput(EntryParams, req.params);
    const { effects } = await removeWaitlistEntry(app.pool, actor, id, entryId);
    req.afterCommit(effects);
    return { status: 204 };
  });
  router.get('/api/admin/queue-health', async (req) => {
    await staff(req);
    return { status: 200, body: await getQueueHealth(app, app.now().getTime(), app.config.dbQueueMax) };
  });
  router.get('/api/admin/events/:id/audit', async (req) => {
    const actor = await staff(req);
    const { id } = parseInput(EventParams, req.params);
    const query = parseInput(AuditQuery, Object.fromEntries(req.query));
    return pageReply(req, await listEventAudit(app.pool, actor, id, query));
  });
}
