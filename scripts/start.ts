/**
 * `npm start`: the whole system on one machine with a demo event.
 * Finds or starts Postgres and Redis, builds the web app when missing or stale, migrates,
 * creates the admin, seeds a demo event when there are none, then runs one gateway and one
 * worker process until Ctrl-C. `npm start -- --tiered`: a queue-tier gateway on PORT (at a lower
 * CPU priority, `nice`, so the shop is served first) and a shop-tier gateway on PORT+1 instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '../core/config.js';
import { migrate } from '../core/db/migrate.js';
import { createPool } from '../core/db/pool.js';
import { startSmtpSink } from '../core/mail/start-smtp-sink.js';
import { ensureAdmin } from '../core/use-cases/auth/ensure-admin.js';
import { seedDemoEvent } from '../core/use-cases/catalog/seed-demo-event.js';
import { ensureWebAppBuilt, isWebAppStale } from './build-web-app.js';
import { ensureServices } from './ensure-services.js';
import { buildStartEnv } from './start-env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, '.data');

/** Development secrets, generated once and kept in .data so tokens survive restarts. */
function devSecrets(): Record<string, string> {
  const file = path.join(DATA, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(DATA, { recursive: true });
  const secrets = {
    JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
    ADMISSION_TOKEN_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@evently.local',
    ADMIN_PASSWORD: randomBytes(9).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

let services: Awaited<ReturnType<typeof ensureServices>>;
try {
  services = await ensureServices(process.env, DATA);
} catch (err) {
  process.stderr.write(`evently: cannot start: ${(err as Error).message}\n`);
  process.exit(1);
}
const { env, generatedAdminPassword } = buildStartEnv(process.env, devSecrets(), services);
// Without SMTP_URL a local SMTP sink catches the notification mail; the gateway shows it at /dev/mail.
const mailSink = env.SMTP_URL ? null : await startSmtpSink({ dir: path.join(DATA, 'mail') });
if (mailSink) Object.assign(env, { SMTP_URL: mailSink.url, DEV_MAIL_DIR: path.join(DATA, 'mail') });
const config = loadConfigOrExit(env);

if (isWebAppStale()) say('Building the web app (Vite)…');
try {
  await ensureWebAppBuilt();
} catch (err) {
  process.stderr.write(`evently: cannot build the web app: ${(err as Error).message}\n`);
  await services.stop();
  process.exit(1);
}

await migrate(config.databaseUrl);
const pool = createPool(config.databaseUrl, 2);
if (config.admin) await ensureAdmin(pool, config.admin);
const demoId = await seedDemoEvent(
  pool,
  { holdTtlSeconds: config.holdTtlSeconds, maxSeatsPerUser: config.maxSeatsPerUser, admission: config.admission },
  new Date(),
);
await pool.end();

const tiered = process.argv.includes('--tiered');
const shopPort = config.port + 1;
const shopBase = `http://127.0.0.1:${shopPort}`;
/** Niceness of the queue tier on one machine: the shop's holds are scheduled before the crowd's joins. */
const QUEUE_TIER_NICE = 10;

const children: ChildProcess[] = [];
let stopping = false;
function run(entry: string, role: string, extraEnv: Record<string, string> = {}, nice = 0): Promise<void> {
  const argv = [process.execPath, '--import', 'tsx', entry];
  const [command, ...args] = nice > 0 ? ['nice', '-n', String(nice), ...argv] : argv;
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: { ...env, INSTANCE_ID: `${role}-1`, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`evently: ${role} exited (${code ?? signal}); stopping\n`);
      void shutdown(1);
    }
  });
  return new Promise((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('{"msg":"ready"')) resolve();
      if (config.logLevel === 'debug' || config.logLevel === 'trace') process.stdout.write(text);
    });
  });
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  await services.stop();
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

const tierEnv = { SHOP_URL: shopBase };
await Promise.all(
  tiered
    ? [
        run('gateway/main.ts', 'queue-gateway', { ...tierEnv, GATEWAY_ROLE: 'queue' }, QUEUE_TIER_NICE),
        run('gateway/main.ts', 'shop-gateway', { ...tierEnv, GATEWAY_ROLE: 'shop', PORT: String(shopPort) }),
        run('workers/main.ts', 'worker', tierEnv),
      ]
    : [run('gateway/main.ts', 'gateway'), run('workers/main.ts', 'worker')],
);
const base = `http://127.0.0.1:${config.port}`;
say('');
say('Evently is up.');
for (const n of services.notes) say(`  ${n}`);
say(`  Web app:                    ${base}/`);
say(`  Gateway (HTTP + Socket.IO): ${base}${tiered ? ` (queue tier, nice ${QUEUE_TIER_NICE})` : ''}`);
if (tiered) say(`  Shop tier:                  ${shopBase} (admitted buyers)`);
say(`  Ready check:                ${base}/ready`);
say(`  Events:                     ${base}/api/events`);
say(`  Metrics:                    ${base}/metrics`);
if (mailSink) say(`  Mail (local SMTP sink):     ${base}/dev/mail`);
if (demoId) say(`  Demo event seeded:          ${base}/api/events/${demoId}`);
if (config.admin)
  say(
    `  Admin: ${config.admin.email} / ${generatedAdminPassword ? `${generatedAdminPassword} (kept in .data/dev-secrets.json)` : 'the password in ADMIN_PASSWORD'}`,
  );
say('Ctrl-C stops everything.');
