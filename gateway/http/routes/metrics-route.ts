import { isBearer } from '../../../core/auth/is-bearer.js';
import { AppError } from '../../../core/domain/app-error.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';

/**
 * Prometheus text. Metrics name events, instances and load: not for the public. On the API port
 * they need `METRICS_TOKEN` (and are off without one); on a separate `METRICS_PORT`, which an
 * operator keeps private, the token is asked for only when one is configured.
 */
export function registerMetricsRoute(router: Router, app: AppContext, onSeparatePort: boolean) {
  const token = app.config.metricsToken;
  router.get('/metrics', async (req) => {
    if (token === null && !onSeparatePort) {
      throw new AppError('NOT_FOUND', 'metrics are off on this port: set METRICS_TOKEN or METRICS_PORT');
    }
    if (token !== null && !isBearer(req.headers.authorization, token)) {
      throw new AppError('UNAUTHENTICATED', 'metrics need the bearer token from METRICS_TOKEN');
    }
    return { status: 200, text: await app.metrics.registry.metrics(), contentType: app.metrics.registry.contentType };
  });
}
