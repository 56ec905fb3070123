import { loadConfigOrExit } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { createPool } from '../core/db/pool.js';
import { installProcessErrorHandlers } from '../core/install-process-error-handlers.js';
import { createLogger } from '../core/log.js';
import { ensureAdmin } from '../core/use-cases/auth/ensure-admin.js';
import { startGateway } from './start-gateway.js';

const config = loadConfigOrExit(process.env);
const log = createLogger(config.logLevel, { role: 'gateway', instance: config.instanceId });
installProcessErrorHandlers(log);

try {
  await migrate(config.databaseUrl, (m) => log.debug(m));
  if (config.admin) {
    const pool = createPool(config.databaseUrl, 1);
    await ensureAdmin(pool, config.admin).finally(() => pool.end());
  }
  const gateway = await startGateway(config, log);
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Tests and supervisors read this line to learn the port.
  process.stdout.write(
    `${JSON.stringify({ msg: 'ready', role: 'gateway', port: gateway.port, metricsPort: gateway.metricsPort, pid: process.pid })}\n`,
  );
} catch (err) {
  log.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
