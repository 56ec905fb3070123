import { describe, expect, it } from 'vitest';
import { formatFarmVsFans, measureCpuMicrosPerHash, runFarmVsFans } from '../../load-tests/harness/run-farm-vs-fans.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { loginAdmin } from '../support/http-client.js';
import { startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

/**
 * The farm-vs-fans sale at a fifth of its size, same ratios: 200 farm accounts on 10
 * addresses (20 each, the registration allowance of an address) beside 40 fans on 40 addresses.
 * The full size (1,000 on 50 beside 200 on 200) is `npx tsx load-tests/harness/measure-farm-vs-fans.ts`;
 * its figures are in load-tests/RESULTS.md. Asserts what must hold whatever the timing: every
 * account paid the door, no honest proof was refused, nobody got in without one, and the farm
 * did the work of its accounts.
 */
describe('a farm and fans at a sale behind the door', () => {
  it('makes every farm account pay the same work a fan pays; reports shares, work and waits', { timeout: 120_000 }, async () => {
    const t = await createTestEnv({
      TRUSTED_PROXIES: '127.0.0.1,::1',
      // Small work: all 240 accounts solve on this one test process, which real farms and fans do not share.
      CHALLENGE_MAX_NUMBER_MIN: '200',
      CHALLENGE_MAX_NUMBER_MAX: '1600',
      CHALLENGE_CROWD_STEP: '10',
    });
    const [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
    const adminToken = (await loginAdmin(gw.url)).accessToken;
    const accounts = (await createBulkUsers(t.databaseUrl, t.config.jwtAccessSecret, 240)).map((u) => ({
      id: u.userId,
      token: u.accessToken,
    }));
    const report = await runFarmVsFans({
      url: gw.url,
      adminToken,
      farm: accounts.slice(0, 200),
      farmAddresses: 10,
      fans: accounts.slice(200),
      places: 48,
      admitPerTick: 8,
      tickMs: 200,
      rampMs: 3000,
      deadlineMs: 30_000,
    });
    console.log(formatFarmVsFans(report, await measureCpuMicrosPerHash()));
    const { farm, fans } = report;
    expect(farm.admitted + fans.admitted).toBe(48);
    // One solve per account: the door asked everyone, and took every honest proof the first time.
    expect([farm.solves, fans.solves]).toEqual([200, 40]);
    expect([farm.refusedProofs, fans.refusedProofs]).toEqual([0, 0]);
    // The work rises with the crowd the farm made: the 192 left waiting make it 8 times dearer.
    expect(report.maxnumber.first).toBe(200);
    expect(report.maxnumber.atEnd).toBe(1600);
    // The farm did the work of its 200 accounts: several times the fans' (40 accounts), never less.
    expect(farm.hashes).toBeGreaterThan(2 * fans.hashes);
  });
});
