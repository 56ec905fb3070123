import {
  forgetInstanceConnections,
  reportInstanceConnections,
} from '../../core/use-cases/analytics/report-instance-connections.js';
import type { AppContext } from '../context/app-context.js';

/**
 * This gateway's connection count into Redis once per analytics interval (the heartbeat the
 * analytics worker sums per instance). `stop()` removes the entry so a clean shutdown stops
 * counting at once; a killed gateway drops out when its heartbeat goes stale.
 */
export function startConnectionReports(app: AppContext): { stop(): Promise<void> } {
  const report = () =>
    reportInstanceConnections(app, app.config.instanceId, app.io.engine.clientsCount, app.now()).catch((err) =>
      app.log.debug({ err }, 'connection report failed'),
    );
  void report();
  const timer = setInterval(report, app.config.analyticsIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await forgetInstanceConnections(app, app.config.instanceId);
    },
  };
}
