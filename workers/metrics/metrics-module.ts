import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBearer } from '../../core/auth/is-bearer.js';
import type { WorkerModule } from '../runtime/worker-context.js';

/**
 * Prometheus text for a worker process on `WORKER_METRICS_PORT` (0: off). A plain node:http
 * server: workers have no uWS app, so nothing here patches what Socket.IO relies on.
 */
export const metricsModule: WorkerModule = {
  name: 'metrics',
  async start(ctx) {
    const port = ctx.config.workerMetricsPort;
    if (port === 0) return { close: async () => {} };
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const token = ctx.config.metricsToken;
      if (token !== null && !isBearer(req.headers.authorization, token)) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('metrics need the bearer token from METRICS_TOKEN');
        return;
      }
      ctx.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(text),
        (err) => {
          ctx.log.warn({ err }, 'metrics failed');
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, ctx.config.host, () => resolve());
    });
    ctx.log.info({ port: (server.address() as AddressInfo).port }, 'worker metrics listening');
    let closing: Promise<void> | undefined;
    return {
      close: () => {
        closing ??= new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        return closing;
      },
    };
  },
};
