import { z } from 'zod';
import { sql } from '../../../core/db/sql.js';
import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerOpsRoutes(router: Router, app: AppContext) {
  router.get('/health', async () => ({ status: 200, body: { status: 'ok', instance: app.config.instanceId } }));
  router.get('/ready', async () => {
    const [pg, redis] = await Promise.allSettled([
      within(2000, app.pool.query(sql.type(z.object({ one: z.number() }))`SELECT 1 AS one`)),
      within(2000, app.redis.ping()),
    ]);
    const checks = { postgres: pg.status === 'fulfilled' ? 'ok' : 'down', redis: redis.status === 'fulfilled' ? 'ok' : 'down' };
    const ready = checks.postgres === 'ok' && checks.redis === 'ok' && !app.isShuttingDown();
    return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks } };
  });
}
