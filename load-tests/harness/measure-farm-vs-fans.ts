/**
 * `npx tsx load-tests/harness/measure-farm-vs-fans.ts [--farm 1000] [--farm-addresses 50] [--fans 200]
 *   [--places 240] [--ramp-ms 10000] [--solver native|altcha]`
 *
 * The chaos run at full size (tests/chaos/farm-vs-fans.test.ts runs it at a fifth in CI):
 * a farm of accounts spread over few addresses and fans on an address each join a sale behind
 * the door with the default challenge settings, at once. Prints each side's share of the
 * admissions, the hashes it solved (the work), its CPU at the measured cost per hash, and the
 * wait of its admitted accounts. All clients run in this one process: the waits include its own
 * queueing (real fans solve on their own phones), so read them as upper bounds.
 */
import { parseArgs } from 'node:util';
import { formatFarmVsFans, measureCpuMicrosPerHash, measureNativeCpuMicrosPerHash, runFarmVsFans } from './run-farm-vs-fans.js';
import { seedUsers } from './seed-users.js';
import { startSystem } from './start-system.js';

const { values } = parseArgs({
  options: {
    farm: { type: 'string', default: '1000' },
    'farm-addresses': { type: 'string', default: '50' },
    fans: { type: 'string', default: '200' },
    places: { type: 'string', default: '240' },
    'ramp-ms': { type: 'string', default: '10000' },
    solver: { type: 'string', default: 'native' },
  },
});
const farmCount = Number(values.farm);
const fanCount = Number(values.fans);
const solver = values.solver === 'altcha' ? 'altcha' : 'native';
const ADMIN = { email: 'farm-admin@evently.test', password: 'farm-admin-password' };

const system = await startSystem({
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  gateways: 1,
  workers: 1,
  pgPoolSize: 10,
  admin: ADMIN,
  // The default door (CHALLENGE_* unset); this process is the proxy every address comes through.
  env: { TRUSTED_PROXIES: '127.0.0.1,::1', LOG_LEVEL: 'error' },
});
try {
  const url = system.gateways[0]?.url as string;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const users = (
    await seedUsers(system.databaseUrl, system.env.JWT_ACCESS_SECRET as string, farmCount + fanCount, system.id)
  ).map((u) => ({ id: u.id, token: u.token }));
  const started = process.cpuUsage();
  const report = await runFarmVsFans({
    url,
    adminToken: accessToken,
    farm: users.slice(0, farmCount),
    farmAddresses: Number(values['farm-addresses']),
    fans: users.slice(farmCount),
    places: Number(values.places),
    admitPerTick: 10,
    tickMs: 200,
    rampMs: Number(values['ramp-ms']),
    deadlineMs: 300_000,
    solver,
    log: (line) => process.stderr.write(`farm-vs-fans: ${line}\n`),
  });
  const used = process.cpuUsage(started);
  const perHash = solver === 'native' ? await measureNativeCpuMicrosPerHash() : await measureCpuMicrosPerHash();
  console.log(
    `solver: ${solver}, ${perHash.toFixed(2)} µs CPU per hash; this process used ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`,
  );
  console.log(formatFarmVsFans(report, perHash));
} finally {
  await system.stopProcesses();
  await system.cleanUp();
}
