import { AnalyticsQuery } from '../../../core/contract/http.js';
import { parseInput } from '../../../core/contract/parse-input.js';
import { getAnalyticsReport } from '../../../core/use-cases/analytics/get-analytics-report.js';
import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';
import { requireAdmin } from '../require-principal.js';

export function registerAnalyticsRoutes(router: Router, app: AppContext) {
  router.get('/api/admin/analytics', async (req) => {
    requireAdmin(req, app.config.jwtAccessSecret);
    const query = parseInput(AnalyticsQuery, Object.fromEntries(req.query));
    return { status: 200, body: await getAnalyticsReport(app, query, app.now()) };
  });
}
