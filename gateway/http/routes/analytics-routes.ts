import { AnalyticsQuery } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { scopeSnapshotToEvent } from '../../../core/domain/scope-snapshot.js';
import { getAnalyticsReport } from '../../../core/use-cases/analytics/get-analytics-report.js';
import { assertManagesEvent } from '../../../core/use-cases/catalog/assert-manages-event.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { requireStaff } from '../require-staff.js';

export function registerAnalyticsRoutes(router: Router, app: AppContext) {
  router.get('/api/admin/analytics', async (req) => {
    const actor = await requireStaff(req, app.config.jwtAccessSecret, app.pool);
    const query = parseInput(AnalyticsQuery, Object.fromEntries(req.query));
    if (actor.role === 'admin') return { status: 200, body: await getAnalyticsReport(app, query, app.now()) };
    // Organizers: one of their events, or all of theirs together; nothing about anyone else's.
    const { eventId } = query;
    if (!eventId) {
      const own = await getAnalyticsReport(app, query, app.now(), { includeRegistrations: false, ownerId: actor.userId });
      return { status: 200, body: own };
    }
    await assertManagesEvent(app.pool, actor, eventId);
    const report = await getAnalyticsReport(app, query, app.now(), { includeRegistrations: false });
    return { status: 200, body: { ...report, live: report.live && scopeSnapshotToEvent(report.live, eventId) } };
  });
}
