/**
 * `npm run bench -- [options]`: the flash-sale scenario against a freshly started system on this
 * machine. Writes bench.json, bench.md and bench.png to load-tests/results/<time>/ and prints the
 * Markdown summary. Exits 1 on any correctness violation (never on timing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './format-report.js';
import { renderChart } from './render-chart.js';
import { runBench } from './run-bench.js';
import { ROOT } from './start-system.js';

const defaults = {
  clients: '2000',
  seats: '2000',
  'max-active': '500',
  'admit-per-tick': '100',
  'tick-ms': '250',
  'session-ttl': '600',
  duration: '60',
  ramp: '3',
  gateways: '2',
  workers: '1',
  tiered: 'false',
  'queue-nice': '10',
  'clients-per-process': '7000',
  observers: '10',
  'confirm-rate': '0.85',
  'think-ms': '100-1000',
  'pg-pool': '10',
  'pgbench-seconds': '10',
  'pgbench-scale': '10',
  format: 'compact',
  'cpu-prof': '',
  out: '',
};
const HELP = `npm run bench -- [--name value]
  --clients N              users, each with one socket (default ${defaults.clients})
  --seats N                seats in the event (default ${defaults.seats}, rounded up to rows of 25)
  --max-active N --admit-per-tick N --tick-ms N --session-ttl S   admission settings of the event
  --duration S             the sale phase ends after S seconds (default ${defaults.duration})
  --ramp S                 spread the users' queue joins over S seconds (default ${defaults.ramp})
  --gateways N --workers N (default 2 and 1)
  --tiered true            two tiers: the gateways serve the queue (at nice 10), one more gateway the
                           shop; admitted users follow the admission's shopUrl with a second socket
  --queue-nice N           niceness of the queue tier when tiered (default 10; 0 to compare)
  --clients-per-process N  sockets per load-generator process, at most 19000 (default ${defaults['clients-per-process']})
  --observers N            sockets per client process that record seat pushes for fan-out lag (default ${defaults.observers})
  --confirm-rate F --think-ms LO-HI   share of holds confirmed (rest released), think time before it
  --pg-pool N              Postgres pool per gateway/worker (default ${defaults['pg-pool']})
  --pgbench-seconds S      pgbench -N duration, 0 to skip (default ${defaults['pgbench-seconds']}); --pgbench-scale N
  --format compact|full    seat map: compact (default; waiting users watch availability, buyers take the
                           compact state once admitted, as a frontend does) or full (the full map on every socket)
  --cpu-prof DIR           every gateway and worker writes a V8 CPU profile into DIR when it stops
                           (read it with: npx tsx scripts/summarize-cpu-profile.ts DIR/*.cpuprofile)
  --challenge              the event asks a proof of work at the door: every user solves it (altcha-lib)
                           before joining; its solve times are the challenge:solve line of the acks
  --env KEY=VALUE          extra environment for every gateway and worker (repeatable), e.g. to compare a setting
  --out DIR                where to write the report (default load-tests/results/<time>)
Env: BENCH_DATABASE_URL (an admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
     BENCH_REDIS_URL (default redis://127.0.0.1:6379).`;

const { values: parsed } = parseArgs({
  options: {
    ...Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, { type: 'string' as const, default: v }])),
    help: { type: 'boolean', default: false },
    challenge: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const values = parsed as Record<keyof typeof defaults, string> & { help: boolean; challenge: boolean; env: string[] };
const extraEnv: Record<string, string> = {};
for (const pair of values.env) {
  const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
  if (!m) {
    process.stderr.write(`--env: KEY=VALUE, not ${pair}\n${HELP}\n`);
    process.exit(2);
  }
  extraEnv[m[1] as string] = m[2] as string;
}
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const num = (k: keyof typeof defaults) => {
  const v = Number(values[k]);
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`--${k}: not a number: ${values[k]}\n${HELP}\n`);
    process.exit(2);
  }
  return v;
};
if (values.format !== 'compact' && values.format !== 'full') {
  process.stderr.write(`--format: compact or full, not ${values.format}\n${HELP}\n`);
  process.exit(2);
}
const [thinkLo, thinkHi] = String(values['think-ms']).split('-').map(Number);

const report = await runBench({
  clients: num('clients'),
  seats: num('seats'),
  maxActive: num('max-active'),
  admitPerTick: num('admit-per-tick'),
  tickMs: num('tick-ms'),
  sessionTtlSeconds: num('session-ttl'),
  durationSeconds: num('duration'),
  rampSeconds: num('ramp'),
  gateways: num('gateways'),
  workers: num('workers'),
  tiered: values.tiered === 'true',
  queueNice: num('queue-nice'),
  clientsPerProcess: num('clients-per-process'),
  observersPerProcess: num('observers'),
  confirmRate: num('confirm-rate'),
  thinkMs: [thinkLo ?? 100, thinkHi ?? thinkLo ?? 1000],
  pgPoolSize: num('pg-pool'),
  pgbenchSeconds: num('pgbench-seconds'),
  pgbenchScale: num('pgbench-scale'),
  format: values.format === 'full' ? 'full' : 'compact',
  challenge: values.challenge,
  cpuProfileDir: values['cpu-prof'] || undefined,
  env: extraEnv,
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  log: (line) => process.stderr.write(`bench: ${line}\n`),
});

const out = values.out || path.join(ROOT, 'load-tests/results', report.startedAt.replace(/[:.]/g, '-'));
mkdirSync(out, { recursive: true });
const markdown = formatReport(report);
writeFileSync(path.join(out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(out, 'bench.md'), markdown);
writeFileSync(path.join(out, 'bench.png'), renderChart(report.timeline, report.admission.configuredPerSecond));
process.stdout.write(`${markdown}\nReport: ${path.relative(process.cwd(), out)}/bench.{json,md,png}\n`);
process.exit(report.correctness.ok ? 0 : 1);
