import { loadConfigOrExit } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { installProcessErrorHandlers } from '../core/install-process-error-handlers.js';
import { createLogger } from '../core/log.js';
import { startWorkers } from './start-workers.js';

const config = loadConfigOrExit(process.env);
const log = createLogger(config.logLevel, { role: 'worker', instance: config.instanceId });
installProcessErrorHandlers(log);

try {
  await migrate(config.databaseUrl, (m) => log.debug(m));
  const workers = await startWorkers(config, log);
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void workers.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.stdout.write(`${JSON.stringify({ msg: 'ready', role: 'worker', pid: process.pid })}\n`);
} catch (err) {
  log.fatal({ err }, 'workers failed to start');
  process.exit(1);
}
