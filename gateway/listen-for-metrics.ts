import uWS from 'uWebSockets.js';
import type { AppContext } from './context/app-context.js';
import { createRouter, type RouterOptions } from './http/http-router.js';
import { registerMetricsRoute } from './http/routes/metrics-route.js';

/** `/metrics` (and `/health`) on their own port, for a scraper on a private network. */
export async function listenForMetrics(app: AppContext, options: RouterOptions): Promise<{ port: number; close(): void }> {
  const uws = uWS.App();
  const router = createRouter(uws, options);
  router.get('/health', async () => ({ status: 200, body: { status: 'ok', instance: app.config.instanceId } }));
  registerMetricsRoute(router, app, true);
  router.installFallbacks();
  const { host, metricsPort } = app.config;
  const listenSocket = await new Promise<uWS.us_listen_socket>((resolve, reject) => {
    uws.listen(host, metricsPort ?? 0, (token) =>
      token ? resolve(token) : reject(new Error(`cannot listen on ${host}:${metricsPort}`)),
    );
  });
  return { port: uWS.us_socket_local_port(listenSocket), close: () => uWS.us_listen_socket_close(listenSocket) };
}
